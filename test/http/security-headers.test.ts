import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineScriptHashes, pageSecurityHeaders } from '../../worker/lib/security-headers.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('inline script hashes', () => {
  it('hashes the scripts that run, exactly as written, and not data blocks or external files', () => {
    const html = `<script type="application/json" id="s">{"a":1}</script><script type="module" src="/_astro/a.js"></script>
<script>alert(1)</script><script type="module">import "/x.js";</script><SCRIPT type='text/javascript'> b() </SCRIPT>`;
    expect(inlineScriptHashes(html).sort()).toEqual([sha('alert(1)'), sha('import "/x.js";'), sha(' b() ')].sort());
  });

  it('allows no inline script a page does not carry', () => {
    const csp = pageSecurityHeaders({ hsts: false }, '<p>nothing</p>')['content-security-policy']!;
    expect(csp).toContain("script-src 'self';");
  });
});

describe('security headers on every kind of answer', () => {
  let vigia: TempVigia;
  let url: string;

  beforeAll(async () => {
    vigia = await startTempVigia({ env: { ADMIN_TOKEN: 'headers-test-admin-token', PUBLIC_URL: 'https://status.example.com' } });
    url = vigia.vigia.url;
  });
  afterAll(async () => vigia?.close());

  /** Asked twice: the first answer may come through the router, the second from memory (the fast path). */
  async function twice(path: string) {
    const first = await fetch(`${url}${path}`);
    const body = await first.text();
    const second = await fetch(`${url}${path}`);
    await second.arrayBuffer();
    return { first, second, body };
  }

  function expectCommon(headers: Headers) {
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBeTruthy();
    expect(headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(headers.get('content-security-policy')).toBeTruthy();
  }

  it.each(['/', '/en/', '/components/panel/', '/admin/', '/subscribe/', '/policy/'])('%s: strict policy, inline scripts by hash, never framed', async (path) => {
    const { first, second, body } = await twice(path);
    expect(first.status).toBe(200);
    for (const res of [first, second]) {
      expectCommon(res.headers);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const scripts = /script-src ([^;]*)/.exec(csp)![1]!;
      expect(scripts).not.toContain('unsafe-inline');
      expect(scripts).not.toContain('unsafe-eval');
      for (const hash of inlineScriptHashes(body)) expect(scripts).toContain(hash);
    }
  });

  it('the 404 page', async () => {
    const res = await fetch(`${url}/no-such-page`);
    expect(res.status).toBe(404);
    expectCommon(res.headers);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    for (const hash of inlineScriptHashes(await res.text())) expect(res.headers.get('content-security-policy')).toContain(hash);
  });

  it('published documents and API answers: nothing runs, nothing frames them', async () => {
    for (const path of ['/api/v2/summary.json', '/feed.atom', '/badge.svg', '/healthz', '/api/nothing-here']) {
      const res = await fetch(`${url}${path}`);
      await res.arrayBuffer();
      expectCommon(res.headers);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('the widget page is the one thing other sites may frame', async () => {
    const { first } = await twice('/widget.html');
    expectCommon(first.headers);
    expect(first.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(first.headers.get('x-frame-options')).toBeNull();
  });

  it('the subscription pages keep their stricter policy and get HSTS too', async () => {
    const res = await fetch(`${url}/api/subscriptions/confirm?token=nonsense`);
    await res.text();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=/);
  });
});

describe('without an https address', () => {
  it('sends no HSTS (a plain-http install would lock itself out)', async () => {
    const vigia = await startTempVigia({ env: { VIGIA_BUILD_SITE: '0', PUBLIC_URL: 'http://localhost:4321' } });
    try {
      const res = await fetch(`${vigia.vigia.url}/api/v2/summary.json`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await vigia.close();
    }
  });
});
