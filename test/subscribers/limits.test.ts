import { describe, expect, it } from 'vitest';
import type { Context } from 'hono';
import { readEnv } from '../../worker/env.ts';
import { addressListProblems, addressSet } from '../../worker/lib/address-set.ts';
import { clientKey } from '../../worker/subscribers/client-ip.ts';
import { claimRequestMail, REQUEST_MAIL_COOLDOWN_MS, REQUEST_MAIL_DAILY_CAP } from '../../worker/subscribers/request-mail-policy.ts';
import { SlidingWindowLimiter } from '../../worker/subscribers/sliding-window.ts';
import { testApp } from '../helpers/app.ts';
import { mails, subscribeForm, subscribeJson, subscriber } from './fixtures.ts';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` hits per window and says when the oldest one leaves it', () => {
    const limiter = new SlidingWindowLimiter(3, 1000);
    expect(limiter.hit('a', 0).allowed).toBe(true);
    expect(limiter.hit('a', 400).allowed).toBe(true);
    expect(limiter.hit('a', 800).allowed).toBe(true);
    expect(limiter.hit('a', 900)).toEqual({ allowed: false, retryAfterMs: 100 });
    expect(limiter.hit('b', 900).allowed).toBe(true);
    // Refused hits do not count, so a patient client gets back in.
    expect(limiter.hit('a', 1000).allowed).toBe(true);
    expect(limiter.hit('a', 1001)).toEqual({ allowed: false, retryAfterMs: 399 });
  });

  it('keeps at most maxKeys keys, dropping the least recently used', () => {
    const limiter = new SlidingWindowLimiter(1, 1000, 2);
    limiter.hit('a', 0);
    limiter.hit('b', 1);
    limiter.hit('c', 2);
    expect(limiter.hit('b', 3).allowed).toBe(false);
    expect(limiter.hit('c', 3).allowed).toBe(false);
    expect(limiter.hit('a', 3).allowed).toBe(true);
  });
});

describe('claimRequestMail', () => {
  const empty = { lastAt: null, windowStart: null, count: 0 };
  it('spaces mails by the cooldown and caps them per day', () => {
    let state = claimRequestMail(empty, new Date(0))!;
    expect(state).toEqual({ lastAt: new Date(0), windowStart: new Date(0), count: 1 });
    expect(claimRequestMail(state, new Date(REQUEST_MAIL_COOLDOWN_MS - 1))).toBeNull();
    let at = 0;
    for (let i = 1; i < REQUEST_MAIL_DAILY_CAP; i++) {
      at += REQUEST_MAIL_COOLDOWN_MS;
      state = claimRequestMail(state, new Date(at))!;
    }
    expect(state.count).toBe(REQUEST_MAIL_DAILY_CAP);
    expect(claimRequestMail(state, new Date(at + REQUEST_MAIL_COOLDOWN_MS))).toBeNull();
    expect(claimRequestMail(state, new Date(24 * 3_600_000))).toEqual({ lastAt: new Date(24 * 3_600_000), windowStart: new Date(24 * 3_600_000), count: 1 });
  });
});

describe('clientKey', () => {
  const context = (peer: string | null, forwarded?: string) =>
    ({
      env: peer === null ? undefined : { incoming: { socket: { remoteAddress: peer } } },
      req: { header: (name: string) => (name === 'x-forwarded-for' ? forwarded : undefined) },
    }) as unknown as Context;
  const none = addressSet('');
  const proxies = addressSet('127.0.0.1, 10.0.0.0/8');

  it('uses the socket peer and ignores X-Forwarded-For unless the peer is a configured proxy', () => {
    expect(clientKey(context('203.0.113.5', '198.51.100.1'), proxies)).toBe('203.0.113.5');
    // A loopback or private peer is not a proxy by itself: nothing is trusted by default.
    expect(clientKey(context('127.0.0.1', '198.51.100.1'), none)).toBe('127.0.0.1');
    expect(clientKey(context('10.0.0.2', '198.51.100.1'), none)).toBe('10.0.0.2');
  });
  it('walks X-Forwarded-For from the right, skipping trusted hops, from a configured proxy', () => {
    expect(clientKey(context('127.0.0.1', '6.6.6.6, 198.51.100.1'), proxies)).toBe('198.51.100.1');
    expect(clientKey(context('::ffff:10.0.0.2', '198.51.100.2'), proxies)).toBe('198.51.100.2');
    expect(clientKey(context('127.0.0.1', '6.6.6.6, 198.51.100.3, 10.1.2.3'), proxies)).toBe('198.51.100.3');
    expect(clientKey(context('10.0.0.2'), proxies)).toBe('10.0.0.2');
    // Every hop trusted: the leftmost is the client.
    expect(clientKey(context('127.0.0.1', '10.9.9.9, 10.0.0.1'), proxies)).toBe('10.9.9.9');
  });
  it('is the same client whatever it writes left of what the proxy added', () => {
    const keys = new Set(['1.1.1.1', '2.2.2.2, 3.3.3.3', 'garbage'].map((forged) => clientKey(context('127.0.0.1', `${forged}, 198.51.100.7`), proxies)));
    expect([...keys]).toEqual(['198.51.100.7']);
  });
  it('has no client address without a socket', () => {
    expect(clientKey(context(null, '198.51.100.1'), proxies)).toBe('unknown');
  });
  it('groups IPv6 addresses by /64', () => {
    expect(clientKey(context('2001:db8:0:1::5'), none)).toBe('2001:db8:0:1::/64');
    expect(clientKey(context('2001:0db8:0000:0001:ffff:1:2:3'), none)).toBe('2001:db8:0:1::/64');
    expect(clientKey(context('::ffff:203.0.113.9'), none)).toBe('203.0.113.9');
  });
});

describe('addressSet', () => {
  it('reads addresses and CIDRs, IPv4-mapped peers included', () => {
    const set = addressSet(' 127.0.0.1 ,10.0.0.0/8,fd00::/8');
    expect(set.has('127.0.0.1')).toBe(true);
    expect(set.has('::ffff:127.0.0.1')).toBe(true);
    expect(set.has('10.200.1.1')).toBe(true);
    expect(set.has('fd12::1')).toBe(true);
    expect(set.has('127.0.0.2')).toBe(false);
    expect(set.has('not an address')).toBe(false);
    expect(addressSet('').has('127.0.0.1')).toBe(false);
  });
  it('refuses what is neither an address nor a CIDR', () => {
    expect(addressListProblems('10.0.0.0/33, proxy.local, 1.2.3.4')).toEqual([
      '"10.0.0.0/33" has a prefix length outside 0–32',
      '"proxy.local" is not an IP address or a CIDR range',
    ]);
    expect(() => readEnv({ TRUSTED_PROXIES: 'proxy.local' })).toThrow(/TRUSTED_PROXIES: "proxy.local" is not an IP address/);
  });
});

describe('the hourly cap on confirmation mails', () => {
  it('says, on the clock, when the oldest mail of the hour leaves it; a form gets the page', async () => {
    const t = await testApp({ now: '2026-11-20T15:00:00Z', env: { CONFIRMATION_MAILS_PER_HOUR: '2' } });
    try {
      expect((await subscribeJson(t, { email: 'a@example.com' })).status).toBe(202);
      t.clock.advance(20 * 60_000);
      expect((await subscribeJson(t, { email: 'b@example.com' })).status).toBe(202);
      t.clock.advance(10 * 60_000);
      const refused = await subscribeJson(t, { email: 'c@example.com' });
      expect(refused.status).toBe(429);
      // The first mail went out at 15:00; it leaves the hour at 16:00, 30 minutes from now.
      expect(refused.headers.get('retry-after')).toBe('1800');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('confirmations_paused');
      const form = await subscribeForm(t, [['email', 'd@example.com']]);
      expect(form.status).toBe(429);
      expect(form.headers.get('retry-after')).toBe('1800');
      expect(form.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await mails(t)).toHaveLength(2);
      expect(await subscriber(t, 'c@example.com')).toBeUndefined();

      t.clock.advance(30 * 60_000);
      expect((await subscribeJson(t, { email: 'c@example.com' })).status).toBe(202);
      expect(await mails(t)).toHaveLength(3);
    } finally {
      await t.close();
    }
  });
});
