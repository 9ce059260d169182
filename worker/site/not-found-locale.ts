/**
 * Which language's 404 page a visitor gets: the locale of the path's prefix (`/en/…`), else the first language of
 * `Accept-Language` that has a page, else the root language's (undefined).
 */
export function notFoundPrefix(urlPath: string, acceptLanguage: string | undefined, prefixes: readonly string[], defaultLocale: string): string | undefined {
  const first = urlPath.split('/')[1]?.toLowerCase() ?? '';
  if (prefixes.includes(first)) return first;
  if (!acceptLanguage) return undefined;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag!.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q);
  const primary = (tag: string) => tag.split('-')[0];
  const root = defaultLocale.toLowerCase();
  for (const { tag } of ranked) {
    // The root pages are the default locale's; a language with a prefix of its own gets it (pt-BR and pt → pt-br).
    if (tag === root || primary(tag) === primary(root)) return undefined;
    const match = prefixes.find((p) => p === tag) ?? prefixes.find((p) => primary(p) === primary(tag));
    if (match) return match;
  }
  return undefined;
}
