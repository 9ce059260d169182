/**
 * Public addresses of pages and documents, as the site lays them out: the default locale at the root,
 * every other locale under its lower-cased tag (`/en/`, `/pt-br/`), the same rule as the site's `localePath`.
 */
export function localizedPath(locale: string, defaultLocale: string, path: string): string {
  const clean = path.startsWith('/') ? path : `/${path}`;
  return locale === defaultLocale ? clean : `/${locale.toLowerCase()}${clean}`;
}

/** An absolute address under the site's public URL (which may carry a path). */
export function absoluteUrl(siteUrl: string, path: string): string {
  return `${siteUrl.replace(/\/+$/, '')}${path}`;
}
