/**
 * A new admin's first shift, in Chromium, moving only by the console's own navigation: sign in, schedule a window,
 * run an incident from a template to resolved, add a provider by its page's address, read last month's SLA figures,
 * and find every change made in the audit log under the admin's name.
 */
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia } from '../helpers/server.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';

const TOKEN = 'first-admin-token-0123456789';
const ANA = { email: 'ana.gomez@proveedor.example', password: 'una clave larga de ana', name: 'Ana Gómez', role: 'owner' };
const WINDOW_TITLE = 'Actualización del servidor de correo';
const TEMPLATE = 'Lentitud en el correo';

/** A `datetime-local` value `hours` from now in Bogotá (UTC−5 all year). */
const bogota = (hours: number) => new Date(Date.now() + hours * 3_600_000 - 5 * 3_600_000).toISOString().slice(0, 16);

/** `YYYY-MM` of the month before this one, in Bogotá. */
function lastMonth(): string {
  const now = new Date(Date.now() - 5 * 3_600_000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return first.toISOString().slice(0, 7);
}

describe('a new admin\'s first shift', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let upstream: UpstreamServer;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${vigia.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  beforeAll(async () => {
    // A provider's Statuspage on loopback, which this server may reach.
    upstream = await startUpstreamServer();
    upstream.route('/api/v2/summary.json', { body: readFileSync(new URL('../upstream/fixtures/statuspage-summary.json', import.meta.url), 'utf8'), headers: { 'content-type': 'application/json' } });
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN, VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } }));
    // Last month, before Ana joined: a critical outage of the Bogotá hosting, four hours long.
    const started = new Date(`${lastMonth()}-14T13:00:00Z`);
    const opened = await api('/api/admin/incidents', { method: 'POST', body: JSON.stringify({ title: 'Caída del hosting en Bogotá', severity: 1, message: 'Sin servicio.', components: ['hosting-bogota'], started_at: started.toISOString() }) });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const { incident } = (await opened.json()) as { incident: { id: string } };
    const closed = await api(`/api/admin/incidents/${incident.id}/updates`, { method: 'POST', body: JSON.stringify({ status: 'resolved', message: 'Servicio restablecido.' }) });
    expect(closed.status, await closed.clone().text()).toBe(201);
    // A subscriber who follows the Bogotá hosting, so the window has someone to tell.
    expect((await api('/api/admin/subscribers/import', { method: 'POST', body: JSON.stringify({ subscribers: [{ email: 'soporte@cliente.example', components: ['hosting-bogota'] }] }) })).status).toBe(200);
    // The owner who set Vigía up gives Ana an account.
    const account = await api('/api/admin/accounts', { method: 'POST', body: JSON.stringify(ANA) });
    expect(account.status, await account.clone().text()).toBe(201);
    await vigia.site!.build('first admin test');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
    await upstream?.close();
  });

  /** Goes to a screen the way an admin does: by its link in the console's navigation. */
  async function open(page: Page, link: string, ready: string) {
    await page.locator('header nav a', { hasText: new RegExp(`^${link}$`) }).click();
    await page.waitForSelector(ready);
  }

  it('signs in, schedules a window, runs an incident from a template to resolved, adds a provider, reads last month\'s SLA, and finds it all in the audit log', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Bogota' });
    await page.goto(`${vigia.url}/admin/`);

    // Sign in.
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form [name=email]', ANA.email);
    await page.fill('#signin-form [name=password]', ANA.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#dash-mail-summary [data-mail]');
    await expect(page.locator('#whoami-name').textContent()).resolves.toContain(ANA.name);

    // Schedule a window nine hours ahead on the Bogotá hosting.
    await open(page, 'Mantenimientos', '#maintenance-form');
    await page.waitForFunction(() => document.getElementById('starts-hint')?.textContent);
    await page.fill('#maintenance-form [name=title]', WINDOW_TITLE);
    await page.check('#maintenance-form label:has-text("Bogotá") input');
    await page.waitForFunction(() => /^Se avisará a 1 suscriptor/.test(document.getElementById('audience')?.textContent ?? ''));
    await page.fill('#starts_at', bogota(9));
    await page.fill('#ends_at', bogota(11));
    await page.click('#maintenance-form button[type=submit]');
    const windowRow = page.locator('#maintenances tr', { hasText: WINDOW_TITLE });
    await windowRow.waitFor();
    await expect(windowRow.locator('[data-delivery]').textContent()).resolves.toMatch(/^Correo: 1 (en espera|enviados?)$/);

    // An incident from a template: opened, updated, resolved.
    await open(page, 'Incidentes', '#incident-form');
    await page.selectOption('#template', { label: TEMPLATE });
    await expect(page.inputValue('#incident-form [name=title]')).resolves.toBe(TEMPLATE);
    await page.check('#incident-form label:has-text("Microsoft 365") input');
    await page.click('#incident-form button[type=submit]');
    const row = page.locator('#incidents tr', { hasText: TEMPLATE });
    await row.waitFor();
    const incidentId = (await row.getAttribute('data-incident-id'))!;
    await row.locator('select[name=status]').selectOption('identified');
    await row.locator('input[name=message]').fill('Una cola de salida está llena; la estamos vaciando.');
    await row.locator('button', { hasText: 'Publicar' }).first().click();
    await page.waitForSelector(`#incidents [data-incident-id="${incidentId}"] td:nth-child(3):text-is("Identificado")`);
    await page.locator(`#incidents [data-incident-id="${incidentId}"] summary`, { hasText: /^Resolver/ }).click();
    await page.locator(`#incidents [data-incident-id="${incidentId}"] button`, { hasText: 'Resolver' }).click();
    await page.locator(`#resolved [data-incident-id="${incidentId}"]`).waitFor();

    // A provider by its page's address, in the format the console proposes.
    await open(page, 'Fuentes', '#source-form');
    await page.fill('#source-url', upstream.url);
    await page.click('#detect-button');
    await page.waitForFunction(() => /^Formato propuesto: Statuspage/.test(document.getElementById('detect-result')?.textContent ?? ''));
    await page.fill('#source-name', 'Proveedor de telefonía');
    await page.fill('#source-id', 'telefonia-proveedor');
    await page.check('#source-form label:has-text("Telefonía") input');
    await page.click('#source-form button[type=submit]');
    await page.locator('#sources [data-source-id="telefonia-proveedor"]').waitFor();

    // Last month's SLA figures: the critical outage, resolved weeks late.
    await open(page, 'Informe SLA', '#severity-table tbody tr');
    await page.fill('#month', lastMonth());
    await page.click('#range-form button[type=submit]');
    const critical = page.locator('#severity-table tbody tr', { hasText: /^1 · Crítico/ });
    await page.waitForFunction(() => document.querySelector('#severity-table tbody tr td:nth-child(2)')?.textContent === '1');
    await expect(critical.locator('td').nth(1).textContent()).resolves.toBe('1');
    await expect(critical.locator('td').nth(6).textContent()).resolves.toMatch(/^0,0\s%/);
    const hosting = page.locator('#availability-table tbody tr', { hasText: 'Hosting web · Bogotá' });
    const availability = (await hosting.locator('td').nth(1).textContent())!;
    expect(Number(availability.replace(/\s%$/, '').replace(',', '.'))).toBeLessThan(100);
    await page.screenshot({ path: screenshotPath('first-admin-sla.png'), fullPage: true });

    // Every change Ana made, under her name.
    await open(page, 'Auditoría', '#audit-filter');
    await page.fill('#audit-filter [name=actor]', ANA.email);
    await page.click('#audit-filter button[type=submit]');
    await page.waitForFunction((n) => document.querySelectorAll('#audit tbody tr[data-audit-entity]').length >= n, 5);
    const actors = await page.locator('#audit tbody tr[data-audit-entity] td:nth-child(2)').evaluateAll((cells) => cells.map((td) => (td as HTMLElement).innerText));
    expect(new Set(actors)).toEqual(new Set([`${ANA.name}\n${ANA.email}`]));
    const shown = await page.locator('#audit tbody tr[data-audit-entity]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-audit-entity')));
    expect(new Set(shown)).toEqual(new Set(['session', 'maintenance', 'incident', 'source']));
    await page.screenshot({ path: screenshotPath('first-admin-audit.png'), fullPage: true });

    // The log as scripts read it: each step, in order, by Ana; looking at a provider's page changes nothing.
    const { entries } = (await (await api(`/api/admin/audit?actor=${encodeURIComponent(ANA.email)}`)).json()) as { entries: AuditEntry[] };
    const { maintenances } = (await (await api('/api/admin/maintenances')).json()) as { maintenances: { id: string; name: string }[] };
    const windowId = maintenances.find((m) => m.name === WINDOW_TITLE)!.id;
    const steps = entries.reverse().map((e) => [e.entity, e.entity_id, e.changes?.status?.after ?? null]);
    expect(steps).toEqual([
      ['session', expect.any(String), null],
      ['maintenance', windowId, 'scheduled'],
      ['incident', incidentId, 'investigating'],
      ['incident', incidentId, 'identified'],
      ['incident', incidentId, 'resolved'],
      ['source', 'telefonia-proveedor', null],
    ]);
    expect(entries.every((e) => e.actor.kind === 'account' && e.actor.id === entries[0]!.actor.id)).toBe(true);
    await page.close();
  });
});

interface AuditEntry {
  entity: string;
  entity_id: string | null;
  actor: { kind: string; id: string; name: string };
  changes: Record<string, { before: unknown; after: unknown }> | null;
}
