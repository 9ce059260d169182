import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { describeZodError, formatKeyPath, MAX_DESCRIBED_ISSUES } from '../lib/zod-issues.ts';
import { DomainError, RateLimitedError, type DomainErrorKind } from '../core/errors.ts';

// Not-found is a domain error (worker/core/errors.ts); also offered here beside the HTTP helpers.
export { notFound } from '../core/errors.ts';

/**
 * An error only the HTTP layer knows (a body that is not JSON, a missing token, a media type); services throw
 * domain errors instead. Either is answered as `{ "error": { "code", "message" } }`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** The status each kind of domain error is answered with. */
export const STATUS_BY_KIND: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  rule_broken: 422,
  rate_limited: 429,
};

/** The one place a thrown API or domain error becomes a response. */
export function sendError(c: Context, error: ApiError | DomainError) {
  const status = error instanceof ApiError ? error.status : STATUS_BY_KIND[error.kind];
  if (error instanceof RateLimitedError) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json(errorBody(error.code, error.message, error.details), status);
}

export const isAnsweredError = (error: unknown): error is ApiError | DomainError => error instanceof ApiError || error instanceof DomainError;

/** Validates a value with zod; a bad field becomes a 400 naming the field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError(400, 'invalid_request', `invalid ${where}: ${describeZodError(result.error, value)}`, {
    fields: [...new Set(result.error.issues.slice(0, MAX_DESCRIBED_ISSUES).map((i) => formatKeyPath(i.path)))],
  });
}

/** Reads a JSON request body, answering 400 (not a stack trace) when it is not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
  }
}
