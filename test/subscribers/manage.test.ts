import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { subscriberComponents } from '../../db/schema/index.ts';
import { loadSigningSecret, signSubscriberToken } from '../../worker/subscribers/links.ts';
import { testApp } from '../helpers/app.ts';
import { confirmPathFor, confirmedSubscriber, formPost, linksFor, subscribeJson, subscriber, type TestApp } from './fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ now: '2026-11-20T15:00:00Z' });
});
afterEach(() => t.close());

const chosenComponents = async (id: string) =>
  (await t.database.db.select().from(subscriberComponents).where(eq(subscriberComponents.subscriberId, id))).map((c) => c.componentId).sort();

describe('unsubscribe', () => {
  it('a GET shows a page with a button and unsubscribes nobody', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com', locale: 'en' });
    const links = await linksFor(t, row.id);
    const res = await t.request(links.unsubscribe);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Stop sending notices to ana@example.com?');
    expect(html).toMatch(/<form method="post" action="\/api\/subscriptions\/unsubscribe\?token=unsubscribe\.[^"]+"><button type="submit">Yes, unsubscribe<\/button>/);
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('confirmed');
  });

  it('the page’s POST unsubscribes', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com' });
    const links = await linksFor(t, row.id);
    const res = await t.request(links.unsubscribe, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Suscripción cancelada');
    expect(await subscriber(t, 'ana@example.com')).toMatchObject({ status: 'unsubscribed', unsubscribedAt: t.clock.now() });
    // Again: harmless.
    const again = await t.request(links.unsubscribe, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('La suscripción ya estaba cancelada');
  });

  it('RFC 8058 one-click: a form-encoded POST without cookies answers 200 and unsubscribes', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com' });
    const links = await linksFor(t, row.id);
    const res = await t.request(links.oneClick, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('unsubscribed');
  });

  it('unsubscribing a pending subscriber also voids the confirmation link', async () => {
    await subscribeJson(t, { email: 'ana@example.com' });
    const confirm = await confirmPathFor(t, 'ana@example.com');
    const row = await subscriber(t, 'ana@example.com');
    await t.request((await linksFor(t, row!.id)).unsubscribe, { method: 'POST' });
    expect((await t.request(confirm)).status).toBe(404);
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('unsubscribed');
  });

  it('refuses tampered or re-aimed tokens with a 400 page, and deleted subscribers with 404', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com' });
    const links = await linksFor(t, row.id);
    const tampered = links.unsubscribe.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    for (const path of [tampered, links.unsubscribe.replace('token=unsubscribe.', 'token=manage.'), '/api/subscriptions/unsubscribe', links.manage.replace('/manage?', '/unsubscribe?')]) {
      const get = await t.request(path);
      expect(get.status, path).toBe(400);
      expect(await get.text()).toContain('El enlace no es válido');
      expect((await t.request(path, { method: 'POST' })).status).toBe(400);
    }
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('confirmed');

    const secret = await loadSigningSecret(t.database.db);
    const ghost = `/api/subscriptions/unsubscribe?token=${signSubscriberToken(secret, 'unsubscribe', 'nosuchperson')}`;
    expect((await t.request(ghost)).status).toBe(404);
    expect((await t.request(ghost, { method: 'POST' })).status).toBe(404);
  });
});

describe('manage preferences', () => {
  it('shows the current choices in a form that works without JavaScript', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com', components: ['correo'], incident_notices: true, min_severity: 3, timezone: 'America/Lima' });
    const res = await t.request((await linksFor(t, row.id)).manage);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toMatch(/<form method="post" action="\/api\/subscriptions\/manage\?token=manage\./);
    expect(html).toContain('<input type="checkbox" name="components" value="correo" checked> Correo corporativo');
    expect(html).toContain('<input type="checkbox" name="components" value="hosting"> Hosting web');
    expect(html).toContain('<legend>Correo</legend>');
    expect(html).toContain('<option value="America/Lima" selected>Lima (America/Lima)</option>');
    expect(html).toContain('<input type="checkbox" name="incident_notices" value="1" checked>');
    expect(html).toContain('<option value="3" selected>Severidad 1–3: Crítico, Alto, Medio</option>');
    expect(html).toContain('<label for="timezone">');
    expect(html).toMatch(/href="\/api\/subscriptions\/unsubscribe\?token=unsubscribe\./);
  });

  it('round trip: the form’s POST saves every preference and answers in the new language', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com', components: ['correo'], incident_notices: true });
    const { manage } = await linksFor(t, row.id);
    const res = await formPost(t, manage, [
      ['components', 'hosting'],
      ['components', 'telefonia'],
      ['locale', 'en'],
      ['timezone', 'America/Santiago'],
      ['min_severity', '1'],
    ]);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Preferences saved.');
    expect(await subscriber(t, 'ana@example.com')).toMatchObject({ status: 'confirmed', locale: 'en', timezone: 'America/Santiago', incidentNotices: false, minSeverity: 1 });
    expect(await chosenComponents(row.id)).toEqual(['hosting', 'telefonia']);

    const shown = await (await t.request(manage)).text();
    expect(shown).toContain('value="hosting" checked');
    expect(shown).toContain('value="correo">');
    expect(shown).toContain('<option value="America/Santiago" selected>');
  });

  it('no boxes checked means every component', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com', components: ['correo'] });
    await formPost(t, (await linksFor(t, row.id)).manage, [['locale', 'es'], ['timezone', 'America/Bogota'], ['min_severity', '2']]);
    expect(await chosenComponents(row.id)).toEqual([]);
  });

  it('JSON: changes only the fields sent', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com', components: ['correo'], timezone: 'America/Lima' });
    const res = await t.request((await linksFor(t, row.id)).manage, { method: 'POST', json: { incident_notices: true, min_severity: 4 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      subscription: { email: 'ana@example.com', status: 'confirmed', components: ['correo'], locale: 'es', timezone: 'America/Lima', incident_notices: true, min_severity: 4 },
    });
  });

  it('refuses bad values, naming the field, and changes nothing', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com' });
    const { manage } = await linksFor(t, row.id);
    const json = await t.request(manage, { method: 'POST', json: { timezone: 'Nowhere/City' } });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { details: { fields: string[] } } }).error.details.fields).toEqual(['timezone']);
    const unknown = await t.request(manage, { method: 'POST', json: { components: ['ghost'] } });
    expect(unknown.status).toBe(400);
    const form = await formPost(t, manage, [['min_severity', '10'], ['locale', 'es'], ['timezone', 'America/Bogota']]);
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('Severidad:');
    const unknownForm = await formPost(t, manage, [['components', 'ghost'], ['locale', 'es'], ['timezone', 'America/Bogota']]);
    expect(unknownForm.status).toBe(400);
    expect(await unknownForm.text()).toContain('<li>Servicios: unknown component &#34;ghost&#34;</li>');
    expect(await subscriber(t, 'ana@example.com')).toMatchObject({ timezone: 'America/Bogota', minSeverity: 2 });
  });

  it('brings back an unsubscribed person who presses the button', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com' });
    const links = await linksFor(t, row.id);
    await t.request(links.unsubscribe, { method: 'POST' });
    const page = await (await t.request(links.manage)).text();
    expect(page).toContain('<input type="hidden" name="resubscribe" value="1">');
    expect(page).toContain('Volver a suscribirme con estas preferencias');

    t.clock.advance(60_000);
    await formPost(t, links.manage, [['resubscribe', '1'], ['locale', 'es'], ['timezone', 'America/Bogota'], ['min_severity', '2']]);
    expect(await subscriber(t, 'ana@example.com')).toMatchObject({ status: 'confirmed', unsubscribedAt: null, confirmedAt: t.clock.now() });
  });

  it('a tampered manage link gets a 400 page', async () => {
    const row = await confirmedSubscriber(t, { email: 'ana@example.com' });
    const { manage } = await linksFor(t, row.id);
    const other = manage.replace(row.id, 'zzzzzzzzzzzz');
    expect((await t.request(other)).status).toBe(400);
    expect((await t.request(other, { method: 'POST', json: { locale: 'en' } })).status).toBe(400);
    expect((await subscriber(t, 'ana@example.com'))!.locale).toBe('es');
  });
});
