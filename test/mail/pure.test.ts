import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recipientProblem } from '../../worker/mail/address.ts';
import { backoffDelay, parseRetryAfter } from '../../worker/mail/backoff.ts';
import { encodeAddress, formatEml } from '../../worker/mail/eml.ts';
import { classifyFailure, retryAfterMs } from '../../worker/mail/provider-errors.ts';
import { nextStartAt, RateLimiter } from '../../worker/mail/rate-limiter.ts';
import { mapPermissiveAnswer } from '../../worker/mail/transport.ts';
import { nextUtcMidnight } from '../../worker/mail/pause.ts';

describe('backoffDelay', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };
  it('doubles its ceiling per attempt and draws from the upper half of it', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(2, policy, () => 0)).toBe(1_000);
    expect(backoffDelay(4, policy, () => 1)).toBe(8_000);
    expect(backoffDelay(40, policy, () => 1)).toBe(60_000);
  });
  it('stays within [ceiling/2, ceiling] for any attempt and random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
        const d = backoffDelay(attempt, policy, () => r);
        return d >= ceiling / 2 - 0.5 && d <= ceiling + 0.5;
      }),
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-20T15:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
    expect(parseRetryAfter('Fri, 20 Nov 2026 15:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 20 Nov 2026 14:00:00 GMT', now)).toBe(0);
  });
  it('returns null for what it cannot read', () => {
    for (const v of [undefined, null, '', 'soon', '-1', '2026-11-20T15:00:30Z', '1e3']) expect(parseRetryAfter(v, now)).toBeNull();
  });
});

describe('classifyFailure', () => {
  const now = 0;
  const f = (status: number | null, name: string, message = '', headers: Record<string, string> | null = null) => classifyFailure({ status, name, message, headers }, now);
  it('maps Resend errors to what the dispatcher does', () => {
    expect(f(429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': '3' })).toEqual({ kind: 'rate_limited', retryAfterMs: 3_000 });
    expect(f(429, 'daily_quota_exceeded', 'You have reached your daily email sending quota.')).toEqual({ kind: 'quota', scope: 'daily' });
    expect(f(429, 'monthly_quota_exceeded')).toEqual({ kind: 'quota', scope: 'monthly' });
    expect(f(429, 'application_error', 'Monthly quota reached')).toEqual({ kind: 'quota', scope: 'monthly' });
    expect(f(409, 'concurrent_idempotent_requests')).toEqual({ kind: 'in_progress', retryAfterMs: 1_000 });
    expect(f(409, 'invalid_idempotent_request')).toEqual({ kind: 'key_conflict' });
    expect(f(null, 'application_error', 'Unable to fetch data.')).toEqual({ kind: 'transient' });
    expect(f(500, 'internal_server_error')).toEqual({ kind: 'transient' });
    expect(f(503, 'application_error')).toEqual({ kind: 'transient' });
    expect(f(422, 'validation_error', 'Invalid `to` field.')).toEqual({ kind: 'rejected' });
    expect(f(400, 'invalid_idempotency_key')).toEqual({ kind: 'rejected' });
    expect(f(401, 'missing_api_key')).toEqual({ kind: 'misconfigured' });
    expect(f(403, 'invalid_api_key')).toEqual({ kind: 'misconfigured' });
    expect(f(404, 'not_found')).toEqual({ kind: 'misconfigured' });
  });
  it('waits from retry-after, then ratelimit-reset, then one second, and never more than an hour', () => {
    expect(retryAfterMs({ 'ratelimit-reset': '4' }, now)).toBe(4_000);
    expect(retryAfterMs({}, now)).toBe(1_000);
    expect(retryAfterMs({ 'retry-after': '86400' }, now)).toBe(3_600_000);
  });
});

describe('rate limiter', () => {
  /** A clock that advances only when the limiter sleeps, with optional extra lateness per wake-up. */
  const fakeClock = (lateness: () => number = () => 0) => {
    const clock = {
      t: 0,
      now: () => clock.t,
      sleep: async (ms: number) => {
        clock.t += ms + lateness();
      },
    };
    return clock;
  };

  it('spaces starts 1/rate apart (plus the margin) without bursts, and does not save idle time up', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock, 0);
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await limiter.acquire();
      starts.push(clock.t);
    }
    expect(starts).toEqual([0, 100, 200, 300]);
    clock.t = 5_000;
    await limiter.acquire();
    await limiter.acquire();
    expect(clock.t).toBe(5_100);
    expect(new RateLimiter(10, clock).intervalMs).toBe(103);
  });

  it('keeps at most `rate` starts in any one-second window, however late callers wake and however they arrive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 80 })), { minLength: 1, maxLength: 60 }),
        async (rate, arrivals) => {
          let k = 0;
          const clock = fakeClock(() => arrivals[k % arrivals.length]![1]);
          const limiter = new RateLimiter(rate, clock, 0);
          const starts: number[] = [];
          for (const [gap] of arrivals) {
            k++;
            clock.t += gap;
            await limiter.acquire();
            starts.push(clock.t);
          }
          return starts.every((s) => starts.filter((t) => t > s - 1000 && t <= s).length <= rate);
        },
      ),
    );
  });

  it('holds a caller that is already sleeping until a deferral that came meanwhile has passed', async () => {
    const sleeps: { ms: number; wake: () => void }[] = [];
    const clock = {
      t: 0,
      now: () => clock.t,
      sleep: (ms: number) =>
        new Promise<void>((resolve) =>
          sleeps.push({
            ms,
            wake: () => {
              clock.t += ms;
              resolve();
            },
          }),
        ),
    };
    const limiter = new RateLimiter(10, clock, 0);
    await limiter.acquire(); // t=0, at once
    let done = false;
    const waiting = limiter.acquire().then(() => (done = true));
    while (!sleeps.length) await Promise.resolve();
    expect(sleeps[0]!.ms).toBe(100);
    limiter.deferFor(1_000); // a 429 elsewhere, while it sleeps
    sleeps[0]!.wake();
    while (sleeps.length < 2) await Promise.resolve();
    expect(done).toBe(false);
    expect(sleeps[1]!.ms).toBe(900);
    sleeps[1]!.wake();
    await waiting;
    expect(clock.t).toBe(1_000);
    expect(nextStartAt(0, 0, 100)).toBe(100);
    expect(nextStartAt(0, 700, 100)).toBe(700);
    expect(() => new RateLimiter(0)).toThrow(RangeError);
  });
});

describe('recipientProblem', () => {
  it('accepts ordinary addresses and leaves finer judgement to the provider', () => {
    for (const a of ['ana@cliente.example', 'ops+alerts@sub.cliente.example', 'someone@localhost']) expect(recipientProblem(a)).toBeNull();
  });
  it('refuses what could never be delivered or would break a header', () => {
    for (const a of ['', 'no-at-sign', '@cliente.example', 'ana@', 'a@b@c', 'ana @cliente.example', 'ana@cliente.example\r\nBcc: x@y.z', 'a@x.example, b@y.example', 'x'.repeat(250) + '@a.example']) {
      expect(recipientProblem(a), a).not.toBeNull();
    }
  });
});

describe('mapPermissiveAnswer', () => {
  it('lines up created ids and refused indices with the request', () => {
    expect(mapPermissiveAnswer(4, [{ id: 'a' }, { id: 'b' }, { id: 'd' }], [{ index: 2, message: 'Invalid `to` field.' }])).toEqual([
      { ok: true, id: 'a' },
      { ok: true, id: 'b' },
      { ok: false, error: 'Invalid `to` field.' },
      { ok: true, id: 'd' },
    ]);
  });
  it('keeps accepted messages accepted when the counts disagree, without guessing ids', () => {
    expect(mapPermissiveAnswer(2, [{ id: 'a' }], [])).toEqual([
      { ok: true, id: null },
      { ok: true, id: null },
    ]);
  });
});

describe('formatEml', () => {
  it('writes a MIME message with encoded headers and both bodies', () => {
    const eml = formatEml(
      { from: 'Vigía <status@prueba.example>', to: 'ana@cliente.example', subject: 'Mantenimiento: migración', html: '<p>Año</p>', text: 'Año', headers: { 'List-Unsubscribe': '<https://s.example/u/1>', 'X-Evil': 'a\r\nBcc: x@y.z' } },
      { date: new Date('2026-11-20T15:00:00Z'), messageId: 'abc@vigia.local', boundary: 'b1' },
    );
    const [head, ...rest] = eml.split('\r\n\r\n');
    expect(head).toContain(`From: =?UTF-8?B?${Buffer.from('Vigía').toString('base64')}?= <status@prueba.example>`);
    expect(head).toContain(`Subject: =?UTF-8?B?${Buffer.from('Mantenimiento: migración').toString('base64')}?=`);
    expect(head).toContain('Date: Fri, 20 Nov 2026 15:00:00 +0000');
    expect(head).toContain('List-Unsubscribe: <https://s.example/u/1>');
    expect(head).not.toMatch(/^Bcc:/m);
    const parts = rest.join('\r\n\r\n');
    expect(parts).toContain(Buffer.from('Año').toString('base64'));
    expect(parts).toContain(Buffer.from('<p>Año</p>').toString('base64'));
    expect(eml.trimEnd().endsWith('--b1--')).toBe(true);
  });
  it('quotes ASCII display names', () => {
    expect(encodeAddress('Status Team <s@x.example>')).toBe('"Status Team" <s@x.example>');
    expect(encodeAddress('s@x.example')).toBe('s@x.example');
  });
});

describe('nextUtcMidnight', () => {
  it('is the next 00:01 UTC', () => {
    expect(nextUtcMidnight(new Date('2026-11-20T23:59:00-05:00')).toISOString()).toBe('2026-11-22T00:01:00.000Z');
    expect(nextUtcMidnight(new Date('2026-12-31T10:00:00Z')).toISOString()).toBe('2027-01-01T00:01:00.000Z');
  });
});
