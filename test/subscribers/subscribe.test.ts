import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { ACCEPTED_BODY, CLIENT_REQUEST_LIMIT, CLIENT_REQUEST_WINDOW_MS } from '../../worker/routes/subscriptions.ts';
import { REQUEST_MAIL_COOLDOWN_MS, REQUEST_MAIL_DAILY_CAP } from '../../worker/subscribers/request-mail-policy.ts';
import { suppressAddresses } from '../../worker/subscribers/suppression.ts';
import { testApp } from '../helpers/app.ts';
import { parseConfigText } from '../../worker/config/load.ts';
import { TEST_CONFIG_YAML, testConfig } from '../helpers/config.ts';
import { confirmPathFor, confirmedSubscriber, freshIp, mails, subscribeForm, subscribeJson, subscriber, type TestApp } from './fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ now: '2026-11-20T15:00:00Z' });
});
afterEach(() => t.close());

describe('double opt-in', () => {
  it('queues one confirmation mail, and the link confirms the subscription', async () => {
    const res = await subscribeJson(t, { email: '  Ana.Perez@Example.COM ', components: ['correo'], locale: 'en', timezone: 'America/Lima', incident_notices: true, min_severity: 2 });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual(ACCEPTED_BODY);

    const row = await subscriber(t, 'ana.perez@example.com');
    expect(row).toMatchObject({ status: 'pending', locale: 'en', timezone: 'America/Lima', incidentNotices: true, minSeverity: 2, confirmedAt: null });
    const [mail, ...more] = await mails(t);
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ channel: 'email', target: 'ana.perez@example.com', kind: 'subscription.confirm', locale: 'en', subscriberId: row!.id, state: 'pending' });
    expect(mail!.notice.expiresAt).toBe('2026-11-22T15:00:00.000Z');
    expect(String(mail!.notice.confirmUrl)).toMatch(/^https:\/\/status\.prueba\.example\/api\/subscriptions\/confirm\?token=[\w-]{43}$/);
    // Only the hash is stored.
    expect(row!.confirmTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(String(mail!.notice.confirmUrl)).not.toContain(row!.confirmTokenHash!);

    t.clock.advance(3_600_000);
    const page = await t.request(await confirmPathFor(t, 'ana.perez@example.com'));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Subscription confirmed');
    expect(html).toMatch(/href="\/api\/subscriptions\/manage\?token=manage\./);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    expect(await subscriber(t, 'ana.perez@example.com')).toMatchObject({ status: 'confirmed', consentSource: 'double-opt-in', confirmedAt: new Date('2026-11-20T16:00:00Z') });
    const chosen = await t.database.db.select().from(subscriberComponents).where(eq(subscriberComponents.subscriberId, row!.id));
    expect(chosen.map((c) => c.componentId)).toEqual(['correo']);
  });

  it('a second click on the same link is harmless', async () => {
    await subscribeJson(t, { email: 'ana@example.com' });
    const path = await confirmPathFor(t, 'ana@example.com');
    expect((await t.request(path)).status).toBe(200);
    const before = await subscriber(t, 'ana@example.com');
    t.clock.advance(60_000);
    const again = await t.request(path);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Su suscripción ya está confirmada');
    expect(await subscriber(t, 'ana@example.com')).toEqual(before);
  });

  it('refuses an expired link with a page that says so', async () => {
    await subscribeJson(t, { email: 'ana@example.com', locale: 'es' });
    t.clock.advance(48 * 3_600_000 + 1);
    const res = await t.request(await confirmPathFor(t, 'ana@example.com'));
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('El enlace de confirmación venció');
    expect(html).toContain('href="/subscribe/"');
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('pending');
  });

  it('refuses malformed and unknown tokens with a clear page', async () => {
    await subscribeJson(t, { email: 'ana@example.com' });
    const path = await confirmPathFor(t, 'ana@example.com');
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

    const unknown = await t.request(`/api/subscriptions/confirm?token=${changed}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Este enlace ya no funciona');
    const malformed = await t.request('/api/subscriptions/confirm?token=abc', { headers: { 'accept-language': 'en-US,en;q=0.8' } });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('This link is not valid');
    expect((await t.request('/api/subscriptions/confirm')).status).toBe(400);
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('pending');
  });

  it('a newer request replaces the link of an older one', async () => {
    await subscribeJson(t, { email: 'ana@example.com' });
    const first = await confirmPathFor(t, 'ana@example.com');
    t.clock.advance(REQUEST_MAIL_COOLDOWN_MS);
    await subscribeJson(t, { email: 'ana@example.com' });
    const second = await confirmPathFor(t, 'ana@example.com');
    expect(second).not.toBe(first);
    expect((await t.request(first)).status).toBe(404);
    expect((await t.request(second)).status).toBe(200);
  });
});

describe('no enumeration', () => {
  it('answers a known and an unknown address identically, in JSON and from the form', async () => {
    await confirmedSubscriber(t, { email: 'known@example.com' });
    await suppressAddresses(t.database.db, ['bounced@example.com'], 'test', t.clock.now());

    const answers = [];
    for (const email of ['known@example.com', 'unknown@example.com', 'bounced@example.com']) {
      const res = await subscribeJson(t, { email });
      answers.push({ status: res.status, body: await res.text(), type: res.headers.get('content-type') });
    }
    expect(answers[1]).toEqual(answers[0]);

    const forms = [];
    for (const email of ['known@example.com', 'other@example.com']) {
      const res = await subscribeForm(t, [['email', email], ['locale', 'es']]);
      forms.push({ status: res.status, location: res.headers.get('location'), body: await res.text() });
    }
    expect(forms[0]).toEqual({ status: 303, location: '/subscribe/sent/', body: '' });
    expect(forms[1]).toEqual(forms[0]);
  });

  it('leaves a confirmed subscriber’s preferences alone and mails a fresh link instead', async () => {
    const row = await confirmedSubscriber(t, { email: 'known@example.com', locale: 'es', timezone: 'America/Bogota' });
    t.clock.advance(REQUEST_MAIL_COOLDOWN_MS);
    await subscribeJson(t, { email: 'known@example.com', locale: 'en', timezone: 'Europe/Madrid', components: ['hosting'] });
    expect(await subscriber(t, 'known@example.com')).toMatchObject({ id: row.id, status: 'confirmed', locale: 'es', timezone: 'America/Bogota' });
    expect(await t.database.db.select().from(subscriberComponents)).toEqual([]);
    const sent = await mails(t);
    expect(sent).toHaveLength(2);
    const page = await t.request(await confirmPathFor(t, 'known@example.com'));
    expect(await page.text()).toContain('Su suscripción ya está confirmada');
  });

  it('sends no mail at all to a suppressed address', async () => {
    await subscribeJson(t, { email: 'gone@example.com' });
    await suppressAddresses(t.database.db, ['gone@example.com'], 'hard bounce', t.clock.now());
    t.clock.advance(REQUEST_MAIL_COOLDOWN_MS);
    expect((await subscribeJson(t, { email: 'gone@example.com' })).status).toBe(202);
    expect(await mails(t)).toHaveLength(1);
    expect((await subscriber(t, 'gone@example.com'))!.status).toBe('suppressed');
  });
});

describe('rate limits', () => {
  it('refuses a client after the limit with 429 and Retry-After; other clients go on', async () => {
    for (let i = 0; i < CLIENT_REQUEST_LIMIT; i++) {
      expect((await subscribeJson(t, { email: `p${i}@example.com` }, '203.0.113.7')).status).toBe(202);
    }
    const refused = await subscribeJson(t, { email: 'one-more@example.com' }, '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(CLIENT_REQUEST_WINDOW_MS / 1000);
    expect(await refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('try again') } });
    expect(await subscriber(t, 'one-more@example.com')).toBeUndefined();

    expect((await subscribeJson(t, { email: 'one-more@example.com' }, '203.0.113.8')).status).toBe(202);
    t.clock.advance(CLIENT_REQUEST_WINDOW_MS);
    expect((await subscribeJson(t, { email: 'later@example.com' }, '203.0.113.7')).status).toBe(202);
  });

  it('groups IPv6 clients by /64', async () => {
    for (let i = 0; i < CLIENT_REQUEST_LIMIT; i++) {
      expect((await subscribeJson(t, { email: `v6-${i}@example.com` }, `2001:db8:1:2::${i + 1}`)).status).toBe(202);
    }
    expect((await subscribeJson(t, { email: 'v6-more@example.com' }, '2001:db8:1:2:ffff::9')).status).toBe(429);
    expect((await subscribeJson(t, { email: 'v6-more@example.com' }, '2001:db8:1:3::1')).status).toBe(202);
  });

  it('keeps answering 202 for one address but mails it at most once per cooldown and a few times a day', async () => {
    for (let i = 0; i < 3; i++) expect((await subscribeJson(t, { email: 'target@example.com' })).status).toBe(202);
    expect(await mails(t)).toHaveLength(1);

    for (let i = 1; i < REQUEST_MAIL_DAILY_CAP + 3; i++) {
      t.clock.advance(REQUEST_MAIL_COOLDOWN_MS);
      expect((await subscribeJson(t, { email: 'target@example.com' })).status).toBe(202);
    }
    expect(await mails(t)).toHaveLength(REQUEST_MAIL_DAILY_CAP);

    t.clock.advance(24 * 3_600_000);
    await subscribeJson(t, { email: 'target@example.com' });
    expect(await mails(t)).toHaveLength(REQUEST_MAIL_DAILY_CAP + 1);
  });

  it('holds the per-address limit in the database, across app instances sharing it', async () => {
    await subscribeJson(t, { email: 'target@example.com' });
    const { createApp } = await import('../../worker/app.ts');
    const { slaTargetsFromConfig } = await import('../../worker/incidents/targets.ts');
    const second = createApp(t.ctx, { targets: slaTargetsFromConfig(t.ctx.config), publisher: t.publisher });
    const res = await second.request('/api/subscriptions', { method: 'POST', body: JSON.stringify({ email: 'target@example.com' }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(202);
    expect(await mails(t)).toHaveLength(1);
  });
});

describe('validation', () => {
  it.each([
    [{ email: 'not-an-address' }, 'email'],
    [{ email: `${'a'.repeat(65)}@example.com` }, 'email'],
    [{ email: `a@${'b'.repeat(250)}.com` }, 'email'],
    [{}, 'email'],
    [{ email: 'a@example.com', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ email: 'a@example.com', locale: 'fr' }, 'locale'],
    [{ email: 'a@example.com', min_severity: 10 }, 'min_severity'],
    [{ email: 'a@example.com', min_severity: 0 }, 'min_severity'],
    [{ email: 'a@example.com', incident_notices: 'yes' }, 'incident_notices'],
    [{ email: 'a@example.com', components: ['hosting', 'nope'] }, 'components[1]'],
    [{ email: 'a@example.com', extra: 1 }, ''],
  ])('refuses %j naming %s', async (body, field) => {
    const res = await subscribeJson(t, body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string; details: { fields: string[] } } };
    expect(json.error.code).toBe('invalid_request');
    expect(json.error.details.fields).toContain(field);
    if (field) expect(json.error.message).toContain(field);
    expect(await t.database.db.select().from(subscribers)).toEqual([]);
  });

  it('accepts any IANA zone and stores its canonical spelling', async () => {
    await subscribeJson(t, { email: 'a@example.com', timezone: 'america/argentina/buenos_aires' });
    expect((await subscriber(t, 'a@example.com'))!.timezone).toBe('America/Argentina/Buenos_Aires');
  });

  it('defaults to the site’s language and time zone and to maintenance notices only', async () => {
    await subscribeJson(t, { email: 'a@example.com' });
    expect(await subscriber(t, 'a@example.com')).toMatchObject({ locale: 'es', timezone: 'America/Bogota', incidentNotices: false });
  });

  it('wants JSON or a form', async () => {
    const res = await t.request('/api/subscriptions', { method: 'POST', body: 'email=a@example.com', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
  });
});

describe('the form, without JavaScript', () => {
  it('stores every choice and redirects to the "check your inbox" page in its language', async () => {
    const res = await subscribeForm(t, [
      ['email', 'Form@Example.com'],
      ['components', 'hosting'],
      ['components', 'telefonia'],
      ['locale', 'en'],
      ['timezone', 'America/Mexico_City'],
      ['incident_notices', 'on'],
      ['min_severity', '3'],
      ['website', ''],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/en/subscribe/sent/');
    const row = await subscriber(t, 'form@example.com');
    expect(row).toMatchObject({ locale: 'en', timezone: 'America/Mexico_City', incidentNotices: true, minSeverity: 3, status: 'pending' });
    const chosen = await t.database.db.select().from(subscriberComponents).where(eq(subscriberComponents.subscriberId, row!.id));
    expect(chosen.map((c) => c.componentId).sort()).toEqual(['hosting', 'telefonia']);
    expect(await mails(t)).toHaveLength(1);
  });

  it('an unchecked incident box means no incident notices', async () => {
    await subscribeForm(t, [['email', 'a@example.com'], ['min_severity', '1']]);
    expect(await subscriber(t, 'a@example.com')).toMatchObject({ incidentNotices: false, minSeverity: 1 });
  });

  it('shows the problems on a page in the form’s language', async () => {
    const res = await subscribeForm(t, [['email', 'nope'], ['locale', 'es'], ['timezone', 'Nowhere/City']]);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    const html = await res.text();
    expect(html).toContain('Revise el formulario');
    expect(html).toContain('Correo electrónico:');
    expect(html).toContain('Zona horaria:');
    expect(html).toContain('Nowhere/City');
    expect(await t.database.db.select().from(subscribers)).toEqual([]);
  });

  it('names an unknown component on the page, under the components field', async () => {
    const res = await subscribeForm(t, [['email', 'a@example.com'], ['components', 'hosting'], ['components', 'nope'], ['locale', 'es']]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<li>Servicios: unknown component &#34;nope&#34;</li>');
    expect(await t.database.db.select().from(subscribers)).toEqual([]);
  });

  it('pretends to accept what a bot fills in the hidden field, and does nothing', async () => {
    const res = await subscribeForm(t, [['email', 'bot@example.com'], ['website', 'http://spam.example']]);
    expect(res.status).toBe(303);
    expect(await subscriber(t, 'bot@example.com')).toBeUndefined();
    expect(await mails(t)).toHaveLength(0);
  });

  it('answers a limited client with a page and Retry-After', async () => {
    for (let i = 0; i < CLIENT_REQUEST_LIMIT; i++) await subscribeForm(t, [['email', `f${i}@example.com`]], '203.0.113.9');
    const res = await subscribeForm(t, [['email', 'late@example.com'], ['locale', 'en']], '203.0.113.9');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await res.text()).toContain('Too many attempts');
  });
});

describe('languages: every one the site publishes', () => {
  /** The test site with Brazilian Portuguese published too. */
  const withPortuguese = () => testApp({ now: '2026-11-20T15:00:00Z', config: parseConfigText(TEST_CONFIG_YAML.replace('locales: [es, en]', 'locales: [es, en, pt-BR]'), 'pt.yaml') });

  it('accepts pt-BR where site.locales lists it: the confirmation mail and the pages speak Portuguese', async () => {
    const pt = await withPortuguese();
    try {
      expect((await subscribeJson(pt, { email: 'joao@example.com', locale: 'pt-BR', timezone: 'America/Sao_Paulo' })).status).toBe(202);
      expect(await subscriber(pt, 'joao@example.com')).toMatchObject({ locale: 'pt-BR', timezone: 'America/Sao_Paulo' });
      const [mail] = await mails(pt);
      expect(mail).toMatchObject({ kind: 'subscription.confirm', locale: 'pt-BR' });
      const page = await pt.request(await confirmPathFor(pt, 'joao@example.com'));
      const html = await page.text();
      expect(html).toContain('<html lang="pt-BR">');
      expect(html).toContain('Assinatura confirmada');
      expect(html).toContain('href="/pt-br/"');
      const manage = await pt.request(html.match(/href="(\/api\/subscriptions\/manage\?token=[^"]+)"/)![1]!.replace(/&amp;/g, '&'));
      const form = await manage.text();
      expect(form).toContain('Preferências de avisos');
      // Each language is offered in its own name, Portuguese chosen.
      expect(form).toMatch(/<option value="pt-BR" lang="pt-BR" selected>Português \(Brasil\)<\/option>/);
      expect(form).toMatch(/<option value="es" lang="es">Español<\/option>/);
    } finally {
      await pt.close();
    }
  });

  it('from the Brazilian page\'s form, stores pt-BR and sends the visitor back to that page', async () => {
    const pt = await withPortuguese();
    try {
      const res = await pt.request('/api/subscriptions?lang=pt-BR', {
        method: 'POST',
        body: new URLSearchParams([['email', 'maria@example.com'], ['locale', 'pt-BR']]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': freshIp() },
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/pt-br/subscribe/sent/');
      expect(await subscriber(pt, 'maria@example.com')).toMatchObject({ locale: 'pt-BR' });
      const problems = await pt.request('/api/subscriptions?lang=pt-BR', {
        method: 'POST',
        body: new URLSearchParams([['email', 'nope'], ['locale', 'pt-BR']]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': freshIp() },
      });
      expect(problems.status).toBe(400);
      expect(await problems.text()).toContain('Confira o formulário');
      // Without a subscriber, a Portuguese-speaking browser reads the Portuguese pages.
      const invalid = await pt.request('/api/subscriptions/confirm?token=abc', { headers: { 'accept-language': 'pt-PT,pt;q=0.9' } });
      expect(await invalid.text()).toContain('O link não é válido');
    } finally {
      await pt.close();
    }
  });

  it('refuses pt-BR where the site does not publish it, naming the languages it does', async () => {
    const res = await subscribeJson(t, { email: 'joao@example.com', locale: 'pt-BR' });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.message).toBe('invalid body: locale: must be "es" or "en"');
    expect(await subscriber(t, 'joao@example.com')).toBeUndefined();
  });
});

describe('pages escape what they show', () => {
  it('escapes the site name and the address', async () => {
    const config = testConfig();
    const hostile = await testApp({ config: { ...config, site: { ...config.site, name: 'Hosting <script>alert(1)</script> & "Co"' } } });
    try {
      await subscribeJson(hostile, { email: "o'neil+status@example.com" });
      const html = await (await hostile.request(await confirmPathFor(hostile, "o'neil+status@example.com"))).text();
      expect(html).not.toContain('<script>');
      expect(html).toContain('Hosting &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Co&#34;');
      expect(html).toContain('o&#39;neil+status@example.com');
    } finally {
      hostile.close();
    }
  });
});
