import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { readFileSync } from 'node:fs';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';

const TOKEN = 'browser-admin-token-0123456789';
const OWNER = { email: 'duena@example.com', password: 'clave de la dueña' };

describe('admin console in Chromium', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let upstream: UpstreamServer;
  const month = new Date().toISOString().slice(0, 7);
  let slowId = '';

  /** A console page at a width, reached through the sign-in page it sends a new browser to. */
  async function signedIn(path: string, width: number, ready: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, timezoneId: 'America/Bogota' });
    await page.goto(`${vigia.url}${path}`);
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form [name=email]', OWNER.email);
    await page.fill('#signin-form [name=password]', OWNER.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector(ready);
    return page;
  }
  const admin = (path: string) => fetch(`${vigia.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.json() as Promise<any>);

  beforeAll(async () => {
    // A provider's Statuspage on loopback, which this server may reach.
    upstream = await startUpstreamServer();
    upstream.route('/api/v2/summary.json', { body: readFileSync(new URL('../upstream/fixtures/statuspage-summary.json', import.meta.url), 'utf8'), headers: { 'content-type': 'application/json' } });
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN, VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } }));
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${vigia.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBe(201);
      return ((await response.json()) as any).incident;
    };
    // A resolved severity-1 incident and an open severity-3 one, both started earlier today.
    const start = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const down = await post('/api/admin/incidents', { title: 'Caída del hosting en Bogotá', severity: 1, message: 'Sin servicio.', components: ['hosting-bogota'], started_at: start });
    await post(`/api/admin/incidents/${down.id}/updates`, { status: 'resolved', message: 'Servicio restablecido.' });
    const slow = await post('/api/admin/incidents', { title: 'Lentitud en el panel', severity: 3, message: 'Revisando.', components: ['panel'], started_at: start });
    await post(`/api/admin/incidents/${slow.id}/updates`, { status: 'identified', message: 'Causa encontrada.' });
    slowId = slow.id;
    // A window far enough ahead for the notice rule.
    const ahead = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    const window = await fetch(`${vigia.url}/api/admin/maintenances`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Cambio de discos', message: 'Sin servicio del panel.', starts_at: ahead(48), ends_at: ahead(50), component_ids: ['panel'] }) });
    expect(window.status, await window.clone().text()).toBe(201);
    const owner = await fetch(`${vigia.url}/api/admin/accounts`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...OWNER, name: 'Dueña', role: 'owner' }) });
    expect(owner.status, await owner.clone().text()).toBe(201);
    await vigia.site!.build('admin browser test');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
    await upstream?.close();
  });

  it('sends a new browser to sign in, refuses a wrong password, then shows open incidents with their SLA targets', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Bogota' });
    await page.goto(`${vigia.url}/admin/`);
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form [name=email]', OWNER.email);
    await page.fill('#signin-form [name=password]', 'no es la clave');
    await page.click('#signin-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('signin-error')?.textContent);
    await expect(page.locator('#signin-error').textContent()).resolves.toBe('El correo o la contraseña (o el código) no son correctos.');
    await page.fill('#signin-form [name=password]', OWNER.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#dash-incidents [data-incident-id]');
    const rows = await page.locator('#dash-incidents [data-incident-id] td:first-child').allTextContents();
    expect(rows).toEqual(['Lentitud en el panel']);
    await page.goto(`${vigia.url}/admin/incidents/`);
    await page.waitForSelector('#incidents [data-incident-id]');
    // The levels as the policy names them, the middle one chosen.
    const severity = page.locator('#incident-form select[name=severity]');
    await expect(severity.locator('option').allTextContents()).resolves.toEqual(['1 · Crítico', '2 · Alto', '3 · Medio', '4 · Bajo']);
    await expect(severity.inputValue()).resolves.toBe('3');
    await page.close();
  });

  it('draws the SLA report for the month', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Bogota' });
    await page.goto(`${vigia.url}/admin/sla/`);
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form [name=email]', OWNER.email);
    await page.fill('#signin-form [name=password]', OWNER.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#severity-table tbody tr');
    await page.fill('#month', month);
    await page.click('#range-form button[type=submit]');
    await page.waitForSelector('#timeline svg rect');
    const severityRows = await page.locator('#severity-table tbody tr').allTextContents();
    expect(severityRows[0]).toMatch(/^1 · Crítico/);
    // Written as Spanish writes it: a decimal comma, a space before the sign.
    expect(severityRows[0]).toMatch(/100,0\s%/);
    expect(await page.locator('#severity-chart svg rect').count()).toBeGreaterThanOrEqual(8);
    expect(await page.locator('#timeline svg rect').count()).toBe(2);
    const hosting = page.locator('#availability-table tbody tr', { hasText: 'Hosting web · Bogotá' });
    await expect(hosting.locator('td').nth(1).textContent()).resolves.toMatch(/^\d+,\d{3}\s%$/);
    await page.screenshot({ path: screenshotPath('admin-sla-report.png'), fullPage: true });
    await page.close();
  });

  it('puts a missed SLA target first in red on the dashboard, with windows, failing sources and mail', async () => {
    const send = async (path: string, body: unknown, status: number) => {
      const response = await fetch(`${vigia.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBe(status);
      return (await response.json()) as any;
    };
    // Severity 1 is resolved within 5 h on the always-running clock: started 6 h ago, it is an hour late.
    const { incident: late } = await send('/api/admin/incidents', { title: 'Caída del correo', severity: 1, message: 'Sin correo.', components: ['microsoft-365'], started_at: new Date(Date.now() - 6 * 3_600_000).toISOString() }, 201);
    // A source whose page cannot be reached: its poll fails at once.
    await send('/api/admin/sources', { id: 'unreachable', name: 'Proveedor inalcanzable', type: 'statuspage', url: 'http://127.0.0.1:9/' }, 201);
    await fetch(`${vigia.url}/api/admin/sources/unreachable/poll`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });

    const page = await signedIn('/admin/', 1280, '#dash-incidents [data-incident-id]');
    const rows = page.locator('#dash-incidents [data-incident-id]');
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-incident-id')))).resolves.toEqual([late.id, slowId]);
    const missed = rows.first().locator('td').nth(3).locator('.flag');
    await expect(missed.textContent()).resolves.toMatch(/^Solución vencida hace 1 h 0\d min$/);
    await expect(missed.getAttribute('class')).resolves.toContain('flag-bad');
    await expect(rows.nth(1).locator('td').nth(3).locator('.flag').textContent()).resolves.toMatch(/^Solución vence en /);
    // The window two days ahead, with its notice status.
    await page.waitForSelector('#dash-maintenances [data-maintenance-id]');
    const window = page.locator('#dash-maintenances [data-maintenance-id]').first();
    await expect(window.locator('td').first().textContent()).resolves.toBe('Cambio de discos');
    await expect(window.locator('td').nth(3).textContent()).resolves.toBe('Nadie sigue estos componentes');
    await page.waitForSelector('#dash-sources [data-source-id="unreachable"]');
    await expect(page.locator('#dash-sources [data-source-id="unreachable"] td').nth(2).textContent()).resolves.toBe('1');
    // Mail counts as the outbox has them.
    const { counts } = await admin('/api/admin/outbox?limit=1');
    await expect(page.locator('[data-mail=waiting]').textContent()).resolves.toBe(`${counts.pending + counts.claimed + counts.sending} en espera`);
    await expect(page.locator('[data-mail=failed]').textContent()).resolves.toBe(`${counts.failed} fallidos`);
    await page.screenshot({ path: screenshotPath('admin-dashboard.png'), fullPage: true });
    await page.close();
  });

  it('shows statuses and states in the public pages\' Spanish words', async () => {
    const page = await signedIn('/admin/incidents/', 1280, '#incidents [data-incident-id]');
    const row = page.locator(`#incidents [data-incident-id="${slowId}"] td`);
    await expect(row.nth(2).textContent()).resolves.toBe('Identificado');
    await expect(row.nth(1).textContent()).resolves.toBe('3 · Medio');
    await page.goto(`${vigia.url}/admin/maintenance/`);
    await page.waitForSelector('#maintenances [data-maintenance-id]');
    await expect(page.locator('#maintenances [data-maintenance-id] td').nth(1).textContent()).resolves.toBe('Programado');
    await page.close();
  });

  it('writes times in the admin\'s zone', async () => {
    const page = await signedIn('/admin/incidents/', 1280, '#incidents [data-incident-id]');
    // Bogotá is UTC−5 all year: the time is local and its zone named (Colombia's abbreviation, or the offset).
    const due = await page.locator(`#incidents [data-incident-id="${slowId}"] td`).nth(3).textContent();
    expect(due).toMatch(/^\S+ \d{1,2} \S+ \d{4}, \d{2}:\d{2} (COT|GMT-5)/);
    expect(due).not.toMatch(/\dT\d|Z\b/);
    await page.close();
  });

  /** A `datetime-local` value `hours` from now in Bogotá (UTC−5 all year). */
  const bogota = (hours: number) => new Date(Date.now() + hours * 3_600_000 - 5 * 3_600_000).toISOString().slice(0, 16);

  it('refuses a window 7 h ahead beside the start field before sending, accepts one 9 h ahead and queues its notices', async () => {
    const imported = await fetch(`${vigia.url}/api/admin/subscribers/import`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ subscribers: [{ email: 'ops@cliente.example', components: ['hosting-bogota'] }, { email: 'todo@cliente.example' }] }) });
    expect(imported.status, await imported.clone().text()).toBe(200);
    const page = await signedIn('/admin/maintenance/', 1280, '#maintenances [data-maintenance-id]');
    await page.waitForFunction(() => document.getElementById('starts-hint')?.textContent);
    await expect(page.locator('#starts-hint').textContent()).resolves.toMatch(/^Inicio más temprano permitido: .+ (COT|GMT-5) \(los suscriptores deben recibir el aviso con 8 h de antelación\)\.$/);
    await page.fill('#maintenance-form [name=title]', 'Cambio de servidores');
    await page.check('#maintenance-form label:has-text("Bogotá") input');
    await page.check('#maintenance-form label:has-text("México") input');
    await page.waitForFunction(() => /^Se avisará a 2 suscriptores/.test(document.getElementById('audience')?.textContent ?? ''));
    await expect(page.locator('#audience').textContent()).resolves.toBe('Se avisará a 2 suscriptores (Correo: 2).');
    const requests: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') requests.push(r.url()); });
    await page.fill('#starts_at', bogota(7));
    await page.fill('#ends_at', bogota(8));
    await page.click('#maintenance-form button[type=submit]');
    await expect(page.locator('#starts-error').textContent()).resolves.toMatch(/^Demasiado pronto: el inicio más temprano permitido es .+ (COT|GMT-5)\.$/);
    await expect(page.locator('#starts_at').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('starts_at');
    expect(requests).toEqual([]);
    // The window's times in the components' calendars: Bogotá's and Mexico City's.
    await expect(page.locator('#window-zones').textContent()).resolves.toMatch(/America\/Bogota.*America\/Mexico_City/);

    await page.fill('#starts_at', bogota(9));
    await page.fill('#ends_at', bogota(10));
    await page.click('#maintenance-form button[type=submit]');
    await page.waitForSelector('#maintenances tr:has-text("Cambio de servidores")');
    await expect(page.locator('#starts-error').textContent()).resolves.toBe('');
    const { maintenances } = await admin('/api/admin/maintenances');
    const created = maintenances.find((m: any) => m.name === 'Cambio de servidores');
    const { outbox } = await admin(`/api/admin/outbox?maintenance_id=${created.id}`);
    expect(outbox.map((m: any) => [m.kind, m.target]).sort()).toEqual([['maintenance.announcement', 'ops@cliente.example'], ['maintenance.announcement', 'todo@cliente.example']]);
    // The row counts the queued notices per channel.
    const row = page.locator(`#maintenances [data-maintenance-id="${created.id}"]`);
    await expect(row.locator('[data-delivery]').textContent()).resolves.toMatch(/^Correo: 2 (en espera|enviados)$/);
    await page.screenshot({ path: screenshotPath('admin-maintenance.png'), fullPage: true });
    await page.close();
  });

  it('changes, starts, completes and cancels windows from their row', async () => {
    const post = async (body: unknown) => {
      const response = await fetch(`${vigia.url}/api/admin/maintenances`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(201);
      return ((await response.json()) as any).maintenance.id as string;
    };
    const ahead = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    const runId = await post({ title: 'Ventana para iniciar', starts_at: ahead(30), ends_at: ahead(31), component_ids: ['panel'] });
    const dropId = await post({ title: 'Ventana para cancelar', starts_at: ahead(40), ends_at: ahead(41), component_ids: ['panel'] });
    const page = await signedIn('/admin/maintenance/', 1280, `#maintenances [data-maintenance-id="${runId}"]`);
    const row = (id: string) => page.locator(`#maintenances [data-maintenance-id="${id}"]`);

    await row(runId).locator('summary', { hasText: /^Cambiar/ }).click();
    await row(runId).locator('input[name=title]').fill('Ventana renombrada');
    await row(runId).locator('button', { hasText: 'Guardar cambios' }).click();
    await page.waitForSelector(`#maintenances [data-maintenance-id="${runId}"] td:first-child:text-is("Ventana renombrada")`);
    // An earlier start that breaks the rule is refused in the row, naming the field.
    await row(runId).locator('summary', { hasText: /^Cambiar/ }).click();
    await row(runId).locator('input[name=starts_at]').fill(bogota(2));
    await row(runId).locator('button', { hasText: 'Guardar cambios' }).click();
    await expect(row(runId).locator('.error').last().textContent()).resolves.toMatch(/^Inicio: demasiado pronto/);

    await row(runId).locator('button', { hasText: 'Iniciar ahora' }).click();
    await page.waitForSelector(`#maintenances [data-maintenance-id="${runId}"] td:nth-child(2):text-is("En curso")`);
    await row(runId).locator('button', { hasText: 'Completar' }).click();
    await page.waitForSelector(`#maintenances [data-maintenance-id="${runId}"]`, { state: 'detached' });

    await row(dropId).locator('summary', { hasText: /^Cancelar/ }).click();
    await row(dropId).locator('input[name=reason]').fill('Ya no hace falta.');
    await row(dropId).locator('button', { hasText: 'Cancelar el mantenimiento' }).click();
    await page.waitForSelector(`#maintenances [data-maintenance-id="${dropId}"]`, { state: 'detached' });
    const statuses = await Promise.all([runId, dropId].map(async (id) => (await admin(`/api/admin/maintenances/${id}`)).maintenance.status));
    expect(statuses).toEqual(['completed', 'cancelled']);
    await page.close();
  });

  it('creates recurring windows: every first Sunday 02:00–04:00, and a weekly one whose first occurrence is announced at once', async () => {
    const page = await signedIn('/admin/maintenance/', 1280, '#maintenances [data-maintenance-id]');
    await page.waitForFunction(() => document.getElementById('starts-hint')?.textContent);
    // The first Sunday of the month after next, in Bogotá: more than a week ahead, so announced later.
    const now = new Date(Date.now() - 5 * 3_600_000);
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
    while (month.getUTCDay() !== 0) month.setUTCDate(month.getUTCDate() + 1);
    const day = month.toISOString().slice(0, 10);
    await page.fill('#maintenance-form [name=title]', 'Parches mensuales');
    await page.fill('#starts_at', `${day}T02:00`);
    await page.fill('#ends_at', `${day}T04:00`);
    await page.selectOption('#repeat', 'monthly-nth');
    await expect(page.locator('#repeat option[value=monthly-nth]').textContent()).resolves.toBe('Cada mes, el primer domingo');
    await expect(page.inputValue('#rrule')).resolves.toBe('FREQ=MONTHLY;BYDAY=1SU');
    await page.click('#maintenance-form button[type=submit]');
    const monthly = page.locator('#series tr', { hasText: 'Parches mensuales' });
    await monthly.waitFor();
    await expect(monthly.locator('code').textContent()).resolves.toBe('FREQ=MONTHLY;BYDAY=+1SU');
    const occurrences = await monthly.locator('li').allTextContents();
    expect(occurrences).toHaveLength(6);
    for (const line of occurrences) expect(line).toMatch(/^dom, [1-7] \S+ \d{4}, 02:00 (COT|GMT-5) — se anunciará el /);

    // Weekly, starting 9 h from now and announced a week ahead: the first occurrence is a window at once.
    await page.fill('#maintenance-form [name=title]', 'Copias semanales');
    await page.fill('#starts_at', bogota(9));
    await page.fill('#ends_at', bogota(10));
    await page.selectOption('#repeat', 'weekly');
    await page.click('#maintenance-form button[type=submit]');
    const weekly = page.locator('#series tr', { hasText: 'Copias semanales' });
    await weekly.waitFor();
    await expect(weekly.locator('li').first().textContent()).resolves.toMatch(/ — Anunciada · Programado$/);
    await expect(weekly.locator('li').nth(1).textContent()).resolves.toMatch(/ — se anunciará el /);
    await page.waitForSelector('#maintenances tr:has-text("Copias semanales")');
    const { series } = await admin('/api/admin/maintenances/series');
    const first = series.find((s: any) => s.title === 'Copias semanales').occurrences[0];
    const { outbox } = await admin(`/api/admin/outbox?maintenance_id=${first.maintenance_id}`);
    expect(outbox.length).toBeGreaterThan(0);
    expect(new Set(outbox.map((m: any) => m.kind))).toEqual(new Set(['maintenance.announcement']));
    await page.screenshot({ path: screenshotPath('admin-maintenance-series.png'), fullPage: true });

    // Stopped, the series leaves the list; its scheduled window stays.
    await weekly.locator('button', { hasText: 'Detener la serie' }).click();
    await weekly.waitFor({ state: 'detached' });
    await expect(page.locator('#maintenances tr:has-text("Copias semanales")').count()).resolves.toBe(1);
    await page.close();
  });

  it('opens an incident from a template, escalates it with a reason, resolves it and writes its postmortem', async () => {
    const page = await signedIn('/admin/incidents/', 1280, '#incidents [data-incident-id]');
    await page.selectOption('#template', { label: 'Lentitud en el correo' });
    await expect(page.inputValue('#incident-form [name=title]')).resolves.toBe('Lentitud en el correo');
    await expect(page.inputValue('#incident-form [name=message]')).resolves.toMatch(/^Algunos mensajes de correo tardan/);
    await expect(page.inputValue('#incident-form [name=severity]')).resolves.toBe('3');
    await page.check('#incident-form label:has-text("Microsoft 365") input');
    // The e-mail subscribers will get, before it is sent.
    await page.click('#preview-button');
    await page.waitForSelector('#mail-preview iframe');
    await expect(page.locator('#preview-subject').textContent()).resolves.toContain('Lentitud en el correo');
    await expect(page.frameLocator('#mail-preview iframe').locator('body').textContent()).resolves.toContain('Algunos mensajes de correo tardan');
    await page.click('#incident-form button[type=submit]');
    const row = page.locator('#incidents tr', { hasText: 'Lentitud en el correo' });
    await row.waitFor();
    const id = (await row.getAttribute('data-incident-id'))!;

    await row.locator('summary', { hasText: /^Escalar o bajar/ }).click();
    await row.locator('select[name=severity]').selectOption('2');
    await row.locator('input[name=reason]').fill('Afecta ya a todos los clientes.');
    await row.locator('button', { hasText: 'Cambiar la severidad' }).click();
    await page.waitForSelector(`#incidents [data-incident-id="${id}"] td:nth-child(2):text-is("2 · Alto")`);
    const escalated = (await admin(`/api/admin/incidents/${id}`)).incident;
    expect(escalated.status).toBe('investigating');
    expect(escalated.incident_updates[0].body).toBe('Afecta ya a todos los clientes.');

    await page.locator(`#incidents [data-incident-id="${id}"] summary`, { hasText: /^Resolver/ }).click();
    await page.locator(`#incidents [data-incident-id="${id}"] button`, { hasText: 'Resolver' }).click();
    await page.waitForSelector(`#incidents [data-incident-id="${id}"]`, { state: 'detached' });
    const resolved = page.locator(`#resolved [data-incident-id="${id}"]`);
    await resolved.waitFor();
    await resolved.locator('summary').click();
    await resolved.locator('textarea').fill('Una cola de salida se llenó; ahora avisa antes de llenarse.');
    await resolved.locator('button', { hasText: 'Publicar el postmortem' }).click();
    await page.waitForSelector(`#resolved [data-incident-id="${id}"] .flag-ok`);
    expect((await admin(`/api/admin/incidents/${id}`)).incident.status).toBe('postmortem');

    // Resolved incidents by month: none of them in the month before the first.
    await page.fill('#resolved-month', '2020-01');
    await page.click('#resolved-filter button');
    await page.waitForSelector('#resolved td:text-is("Ningún incidente resuelto coincide.")');
    await page.screenshot({ path: screenshotPath('admin-incidents.png'), fullPage: true });
    await page.close();
  });

  it('lists the outbox by state with reasons and opens a message as its reader gets it', async () => {
    // A subscriber, and a window that announces itself to them: a message waiting in the outbox.
    const send = (path: string, body: unknown) => fetch(`${vigia.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await send('/api/admin/subscribers/import', { subscribers: [{ email: 'mexico@cliente.example', components: ['hosting-cdmx'] }] })).status).toBe(200);
    const ahead = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    expect((await send('/api/admin/maintenances', { title: 'Red de Ciudad de México', starts_at: ahead(60), ends_at: ahead(61), component_ids: ['hosting-cdmx'] })).status).toBe(201);
    const page = await signedIn('/admin/mail/', 1280, '#mail-counts [data-count]');
    const { counts } = await admin('/api/admin/outbox?limit=1');
    await expect(page.locator('[data-count=pending]').textContent()).resolves.toBe(`En espera: ${counts.pending}`);
    await page.selectOption('#mail-state', 'pending');
    await page.click('#mail-filter button');
    await page.waitForSelector('#outbox [data-outbox-id]');
    const states = await page.locator('#outbox [data-outbox-id] td:nth-child(5)').allTextContents();
    expect(new Set(states)).toEqual(new Set(['En espera']));
    const first = page.locator('#outbox [data-outbox-id]').first();
    await expect(first.locator('td').nth(5).textContent()).resolves.toMatch(/^Se envía a partir del .+ (COT|GMT-5)$/);
    await first.locator('button', { hasText: 'Ver' }).click();
    await page.waitForSelector('#message:not([hidden]) iframe');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('message-title');
    await expect(page.locator('#message-facts').textContent()).resolves.toMatch(/Asunto.+Mantenimiento programado: Red de Ciudad de México/);
    await expect(page.frameLocator('#message iframe').locator('body').textContent()).resolves.toMatch(/\S/);
    await page.screenshot({ path: screenshotPath('admin-mail.png'), fullPage: true });
    await page.close();
  });

  it('adds a provider by its page\'s address with the detected format, polls it now and pauses it', async () => {
    const page = await signedIn('/admin/sources/', 1280, '#sources [data-source-id]');
    await page.fill('#source-url', upstream.url);
    await page.click('#detect-button');
    await page.waitForFunction(() => /^Formato propuesto/.test(document.getElementById('detect-result')?.textContent ?? ''));
    await expect(page.locator('#detect-result').textContent()).resolves.toMatch(/^Formato propuesto: Statuspage /);
    await expect(page.inputValue('#source-type')).resolves.toBe('statuspage');
    await page.fill('#source-name', 'Proveedor de telefonía');
    await page.fill('#source-id', 'telefonia-proveedor');
    await page.check('#source-form label:has-text("Telefonía") input');
    await page.click('#source-form button[type=submit]');
    const row = page.locator('#sources [data-source-id="telefonia-proveedor"]');
    await row.waitFor();
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('Statuspage');
    await row.locator('button', { hasText: /^Consultar/ }).click();
    await page.waitForFunction(() => document.querySelector('#sources [data-source-id="telefonia-proveedor"] td:nth-child(4)')?.textContent !== '—');
    const source = (await admin('/api/admin/sources/telefonia-proveedor')).source;
    expect(source.component_ids).toEqual(['telefonia']);
    expect(source.last_success_at).not.toBeNull();
    await row.locator('button', { hasText: /^Pausar/ }).click();
    await page.waitForFunction(() => document.querySelector('#sources [data-source-id="telefonia-proveedor"] td:nth-child(3)')?.textContent === 'En pausa' || document.querySelector('#sources [data-source-id="telefonia-proveedor"] .error')?.textContent);
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('En pausa');
    await expect(row.locator('button', { hasText: /^Reanudar/ }).count()).resolves.toBe(1);
    await page.screenshot({ path: screenshotPath('admin-sources.png'), fullPage: true });
    await page.close();
  });

  it('imports a CSV after previewing it, with each bad row named, then finds and removes a subscriber', async () => {
    const page = await signedIn('/admin/subscribers/', 1280, '#subscriber-total:not(:empty)');
    const csv = [
      'email,components,locale,timezone',
      'lucia@importado.example,panel,es,America/Bogota',
      'no-es-un-correo,,,',
      'mario@importado.example,componente-que-no-existe,es,',
      'sara@importado.example,"hosting-bogota;panel",en,America/Mexico_City',
    ].join('\n');
    await page.setInputFiles('#import-file', { name: 'clientes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('#import-preview table');
    await expect(page.locator('#import-preview p').first().textContent()).resolves.toBe('3 filas listas para importar; 1 no se pueden leer.');
    await expect(page.locator('#import-preview li').allTextContents()).resolves.toEqual(['Fila 3: «no-es-un-correo» no es una dirección de correo']);
    await page.click('#import-send');
    await page.waitForSelector('[data-import=done]');
    await expect(page.locator('[data-import=done]').textContent()).resolves.toBe('Importación terminada: 2 nuevos, 0 actualizados, 0 sin cambios, 1 rechazados.');
    // The server's refusal, by the row's line in the file.
    await expect(page.locator('#import-result li').allTextContents()).resolves.toEqual([expect.stringMatching(/^Fila 4: /)]);

    await page.fill('#subscriber-q', 'importado.example');
    await page.click('#subscriber-filter button');
    await page.waitForFunction(() => document.getElementById('subscriber-total')?.textContent === '2 suscriptores.');
    await page.selectOption('#subscriber-component', 'hosting-bogota');
    await page.click('#subscriber-filter button');
    await page.waitForFunction(() => document.getElementById('subscriber-total')?.textContent === '1 suscriptor.');
    const row = page.locator('#subscribers [data-subscriber-id]');
    await expect(row.locator('td').first().textContent()).resolves.toBe('sara@importado.example');
    await expect(page.getAttribute('#subscriber-export', 'href')).resolves.toBe('/api/admin/subscribers/export?q=importado.example&component=hosting-bogota');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button', { hasText: 'Eliminar' }).click();
    await page.waitForFunction(() => document.getElementById('subscriber-total')?.textContent === '0 suscriptores.');
    const { subscribers } = await admin('/api/admin/subscribers?q=sara%40importado.example');
    expect(subscribers).toEqual([]);
    await page.screenshot({ path: screenshotPath('admin-subscribers.png'), fullPage: true });
    await page.close();
  });

  it('offers the incident\'s current status in its update form', async () => {
    const page = await signedIn('/admin/incidents/', 1280, '#incidents [data-incident-id]');
    const status = page.locator(`#incidents [data-incident-id="${slowId}"] select[name=status]`);
    await expect(status.inputValue()).resolves.toBe('identified');
    await expect(status.locator('option:checked').textContent()).resolves.toBe('Identificado');
    await page.close();
  });

  it('picks components from the page\'s list when declaring an incident and scheduling a window', async () => {
    const page = await signedIn('/admin/incidents/', 1280, '#incidents [data-incident-id]');
    const { components } = await fetch(`${vigia.url}/api/v2/components.json`).then((r) => r.json() as Promise<{ components: { id: string; group: boolean }[] }>);
    const ids = components.filter((c) => !c.group).map((c) => c.id);
    const boxes = (form: string) => page.locator(`${form} input[type=checkbox]`).evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    await expect(boxes('#incident-form')).resolves.toEqual(ids);
    await page.fill('#incident-form [name=title]', 'Correo lento');
    await page.check('#incident-form label:has-text("Microsoft 365") input');
    await page.check('#incident-form label:has-text("Telefonía") input');
    await page.fill('#incident-form [name=message]', 'Revisando la entrega.');
    await page.click('#incident-form button[type=submit]');
    await page.waitForSelector('#incidents tr:has-text("Correo lento")');
    const { incidents } = await admin('/api/admin/incidents?status=open');
    const opened = incidents.find((i: any) => i.name === 'Correo lento');
    expect(opened.components.map((c: any) => c.id).sort()).toEqual(['microsoft-365', 'telefonia']);
    await page.goto(`${vigia.url}/admin/maintenance/`);
    await page.waitForSelector('#maintenances [data-maintenance-id]');
    await expect(boxes('#maintenance-form')).resolves.toEqual(ids);
    await page.close();
  });

  /** Every console screen: its name, path, what shows it is drawn, and its main heading's id. */
  const SCREENS: [string, string, string, string][] = [
    ['dashboard', '/admin/', '#dash-mail-summary [data-mail]', 'dash-title'],
    ['incidents', '/admin/incidents/', '#incidents [data-incident-id]', 'incidents-title'],
    ['maintenance', '/admin/maintenance/', '#maintenances [data-maintenance-id]', 'maintenance-title'],
    ['mail', '/admin/mail/', '#mail-counts [data-count]', 'mail-title'],
    ['sources', '/admin/sources/', '#sources [data-source-id]', 'sources-title'],
    ['subscribers', '/admin/subscribers/', '#subscriber-total:not(:empty)', 'subscribers-title'],
  ];

  for (const width of [1280, 390]) {
    it(`fits ${width} px without sideways scrolling, moves focus to the heading and passes axe`, async () => {
      for (const [name, path, ready, heading] of SCREENS) {
        const page = await signedIn(path, width, ready);
        await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(heading);
        // The forms open, so their fields are measured and checked too.
        for (const summary of await page.locator('details > summary').all()) await summary.click();
        await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(width);
        await expectNoAxeViolations(page, `${name} at ${width} px`);
        await page.screenshot({ path: screenshotPath(`admin-${name}-${width}.png`), fullPage: true });
        await page.close();
      }

      const report = await signedIn('/admin/sla/', width, '#severity-table tbody tr');
      await expect(report.evaluate(() => document.activeElement?.id)).resolves.toBe('report-title');
      await report.waitForSelector('#timeline svg');
      await expect(report.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(width);
      await expectNoAxeViolations(report, `SLA report at ${width} px`);
      await report.screenshot({ path: screenshotPath(`admin-sla-report-${width}.png`), fullPage: true });
      await report.close();
    });
  }
});
