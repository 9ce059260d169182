import type { MiddlewareHandler } from 'hono';
import { pageSecurityHeaders, resourceSecurityHeaders, type SecurityHeaderPolicy } from '../lib/security-headers.ts';

/**
 * Security headers on every answer the router makes (API JSON, errors, the subscription pages, the page shown while
 * the site is first built), each header only where the route did not set its own (the subscription pages keep their
 * stricter policy). The sets are prepared once; pages and documents served from memory carry theirs already.
 */
export function securityHeaders(policy: SecurityHeaderPolicy): MiddlewareHandler {
  const page = Object.entries(pageSecurityHeaders(policy, ''));
  const resource = Object.entries(resourceSecurityHeaders(policy));
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    const set = (headers.get('content-type') ?? '').startsWith('text/html') ? page : resource;
    for (const [name, value] of set) if (!headers.has(name)) headers.set(name, value);
  };
}
