import { createHash } from 'node:crypto';

/**
 * The security headers of every answer, prepared with the body they go with (once per body, never per request).
 * An HTML page gets a Content-Security-Policy allowing only the site's own files and the exact inline scripts it
 * carries (by their SHA-256); only the embeddable widget's page may be framed by other sites.
 */
export interface SecurityHeaderPolicy {
  /** Strict-Transport-Security is sent only when the public address is https (a plain-http install would lock itself out). */
  hsts: boolean;
}

export const securityPolicyFor = (publicUrl: string | undefined): SecurityHeaderPolicy => ({
  hsts: /^https:\/\//i.test(publicUrl ?? ''),
});

const HSTS = 'max-age=31536000; includeSubDomains';

/** Headers every answer carries, whatever its type. */
export function baseSecurityHeaders(policy: SecurityHeaderPolicy): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    ...(policy.hsts ? { 'strict-transport-security': HSTS } : {}),
  };
}

/** A non-HTML answer (JSON, feeds, images, scripts): nothing in it may run or be framed. */
export function resourceSecurityHeaders(policy: SecurityHeaderPolicy): Record<string, string> {
  return {
    ...baseSecurityHeaders(policy),
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  };
}

const EXECUTABLE_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript']);
const SCRIPT_ELEMENT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** The SHA-256 sources of a page's inline scripts (data blocks such as `type="application/json"` do not run). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const [, attributes, content] of html.matchAll(SCRIPT_ELEMENT)) {
    if (/\bsrc\s*=/i.test(attributes!)) continue;
    const type = /\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attributes!);
    const value = (type ? (type[1] ?? type[2] ?? type[3] ?? '') : '').trim().toLowerCase();
    if (!EXECUTABLE_TYPES.has(value)) continue;
    hashes.add(`'sha256-${createHash('sha256').update(content!).digest('base64')}'`);
  }
  return [...hashes];
}

/**
 * An HTML page's headers. Styles allow inline `style` attributes (the pages colour severities with custom
 * properties): CSS cannot run code, scripts are what the policy holds strictly. Images may come from any https
 * address (a logo configured as a URL).
 */
export function pageSecurityHeaders(policy: SecurityHeaderPolicy, html: string | Buffer, options: { framable?: boolean } = {}): Record<string, string> {
  const scripts = ["'self'", ...inlineScriptHashes(typeof html === 'string' ? html : html.toString('utf8'))];
  const csp = [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${options.framable ? '*' : "'none'"}`,
  ].join('; ');
  return {
    ...baseSecurityHeaders(policy),
    'content-security-policy': csp,
    ...(options.framable ? {} : { 'x-frame-options': 'DENY' }),
  };
}

/** The headers for a body of this content type. */
export function securityHeadersFor(
  policy: SecurityHeaderPolicy,
  contentType: string,
  body: string | Buffer,
  options: { framable?: boolean } = {},
): Record<string, string> {
  return contentType.startsWith('text/html') ? pageSecurityHeaders(policy, body, options) : resourceSecurityHeaders(policy);
}
