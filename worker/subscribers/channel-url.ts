/** The URL rule every channel that POSTs to a URL shares: absolute http(s), no credentials in it, of a sane length. */
export function channelUrlProblem(url: string): string | null {
  if (url.length > 2000) return 'longer than 2000 characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not an absolute URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  return null;
}

/** The host alone, for logs and alerts: chat webhook URLs carry their secret in the path. */
export const urlHost = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown host';
  }
};
