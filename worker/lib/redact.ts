/**
 * Secrets out of URLs and of text that may hold URLs: the one redaction used wherever an address is shown or logged
 * (the logger, poll errors, the admin API, detection's report). A URL's user and password become `redacted`, and so
 * does the value of any query parameter whose name says it is a secret (`token=`, `key=`, `api_key=`, `secret=`,
 * `password=`, `sig=`…). It errs on the side of hiding: a parameter named `monkey` is hidden too.
 * Also the split between a source's address and its credentials, which are stored apart (see worker/sources/).
 */

export const REDACTED = 'redacted';

/** Parameter names that carry a secret: any name containing one of these words (case-insensitive). */
const SECRET_NAME = /(?:token|key|secret|passw(?:or)?d|pwd|sig|auth|credential|session)/i;

/** `scheme://user:password@` in text: everything from the scheme to the last `@` before the host. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi;
/** `name=value` pairs, in a query string or in free text. */
const PAIR = /([?&;\s(]|^)([\w.%-]+)=([^&\s#"'<>)]*)/g;
/**
 * Chat webhooks whose secret is a path segment, not a parameter: what follows the kept prefix is the secret.
 * Slack `hooks.slack.com/services/T…/B…/<secret>`, Discord `…/api/webhooks/<id>/<token>`, Teams
 * `….webhook.office.com/webhookb2/<ids and key>`.
 */
const PATH_SECRETS: readonly RegExp[] = [
  /(\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?:[^\s/?#"'<>]+\/){0,2})[^\s?#"'<>]+/gi,
  /(\/\/(?:[\w-]+\.)?discord(?:app)?\.com\/api\/webhooks\/[^\s/?#"'<>]+\/)[^\s?#"'<>]+/gi,
  /(\/\/[\w.-]*webhook\.office\.com\/webhookb2\/)[^\s?#"'<>]+/gi,
];

/** Redacts credentials and secret-looking parameters wherever they appear in `text`. */
export function redactText(text: string): string {
  const paths = text.includes('//') ? PATH_SECRETS.reduce((out, pattern) => out.replace(pattern, `$1${REDACTED}`), text) : text;
  if (!paths.includes('@') && !paths.includes('=')) return paths;
  return paths
    .replace(USERINFO, `$1${REDACTED}@`)
    .replace(PAIR, (whole, before: string, name: string, value: string) =>
      value !== '' && value !== REDACTED && SECRET_NAME.test(name) ? `${before}${name}=${REDACTED}` : whole,
    );
}

/** A URL as it may be shown: without its password or secret parameters. Text that is no URL is redacted as text. */
export function redactUrl(url: string): string {
  return redactText(url);
}

/** A URL and the credentials it carried (`user:password` as written in it, percent-encoded), stored apart. */
export interface SplitUrl {
  url: string;
  credentials: string | null;
}

/** Takes the user and password out of a URL. A string that is no URL is returned as it is. */
export function splitCredentials(url: string): SplitUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, credentials: null };
  }
  if (parsed.username === '' && parsed.password === '') return { url, credentials: null };
  const credentials = `${parsed.username}:${parsed.password}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, credentials };
}

/** Puts stored credentials back into a URL, for the request alone (node sends them as Basic authorization). */
export function withCredentials(url: string, credentials: string | null | undefined): string {
  if (!credentials) return url;
  const parsed = new URL(url);
  const colon = credentials.indexOf(':');
  parsed.username = colon < 0 ? credentials : credentials.slice(0, colon);
  parsed.password = colon < 0 ? '' : credentials.slice(colon + 1);
  return parsed.href;
}

/** A URL without its user and password (the address that answered, as a poll reports it). */
export const withoutCredentials = (url: string): string => splitCredentials(url).url;
