import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ConflictError, invalidFields, InvalidInputError, notFound, RuleBrokenError } from '../../worker/core/errors.ts';
import { ApiError, isAnsweredError, sendError } from '../../worker/http/errors.ts';

/** A Hono app answering errors the way the worker's app does, whose one route throws what it is given. */
function throwing(error: unknown) {
  const app = new Hono();
  app.onError((e, c) => (isAnsweredError(e) ? sendError(c, e) : c.json({ error: { code: 'internal_error', message: 'unhandled' } }, 500)));
  app.get('/', () => {
    throw error;
  });
  return app;
}

async function answer(error: unknown) {
  const response = await throwing(error).request('/');
  return { status: response.status, body: await response.json() };
}

describe('domain errors as HTTP answers', () => {
  it('answers not found with 404 and the thing named', async () => {
    expect(await answer(notFound('incident "abc"'))).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'incident "abc" not found' } } });
  });

  it('answers a conflict with 409 and its code', async () => {
    expect(await answer(new ConflictError('already_started', 'maintenance "m" has already started'))).toEqual({
      status: 409,
      body: { error: { code: 'already_started', message: 'maintenance "m" has already started' } },
    });
  });

  it('answers a broken rule with 422, the rule as its code and its details', async () => {
    const error = new RuleBrokenError('notice_too_short', 'too soon', { earliest_allowed_start: '2026-11-21T00:00:00.000Z' });
    expect(error.rule).toBe('notice_too_short');
    expect(await answer(error)).toEqual({
      status: 422,
      body: { error: { code: 'notice_too_short', message: 'too soon', details: { earliest_allowed_start: '2026-11-21T00:00:00.000Z' } } },
    });
  });

  it('answers invalid input with 400', async () => {
    expect(await answer(new InvalidInputError('invalid_csv', 'the CSV is empty'))).toEqual({ status: 400, body: { error: { code: 'invalid_csv', message: 'the CSV is empty' } } });
  });

  it('words bad fields like validation errors, keeping each field and its problem apart', async () => {
    const error = invalidFields('body', [{ field: 'components[1]', message: 'unknown component "x"' }]);
    expect(error.problems).toEqual([{ field: 'components[1]', message: 'unknown component "x"' }]);
    expect(await answer(error)).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'invalid body: components[1]: unknown component "x"', details: { fields: ['components[1]'] } } },
    });
  });

  it('keeps the status an HTTP-only error carries', async () => {
    expect(await answer(new ApiError(415, 'unsupported_media_type', 'send JSON'))).toEqual({ status: 415, body: { error: { code: 'unsupported_media_type', message: 'send JSON' } } });
  });

  it('leaves any other error to the caller', async () => {
    expect((await answer(new Error('boom'))).status).toBe(500);
    expect(isAnsweredError(new Error('boom'))).toBe(false);
  });
});
