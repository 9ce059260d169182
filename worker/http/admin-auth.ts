import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Bearer-token check for the admin API; the comparison takes the same time whatever the token. */
export function requireAdminToken(token: string | undefined): MiddlewareHandler {
  const expected = token ? digest(token) : null;
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) throw new ApiError(401, 'unauthorized', 'send the admin token as "Authorization: Bearer <token>"');
    if (!expected || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      throw new ApiError(401, 'unauthorized', 'the admin token is not valid');
    }
    await next();
  };
}
