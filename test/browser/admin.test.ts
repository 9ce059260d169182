import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';

const TOKEN = 'browser-admin-token-0123456789';

describe('admin console in Chromium', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const month = new Date().toISOString().slice(0, 7);
  let slowId = '';

  /** A console page at a width, signed in with the token typed into its form. */
  async function signedIn(path: string, width: number, ready: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, timezoneId: 'America/Bogota' });
    await page.goto(`${vigia.url}${path}`);
    await page.fill('#token', TOKEN);
    await page.click('#token-form button');
    await page.waitForSelector(ready);
    return page;
  }
  const admin = (path: string) => fetch(`${vigia.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.json() as Promise<any>);

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN } }));
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
    await vigia.site!.build('admin browser test');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
  });

  it('asks for the token, refuses a wrong one, then shows open incidents with their SLA targets', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Bogota' });
    await page.goto(`${vigia.url}/admin/`);
    await page.fill('#token', 'not-the-token');
    await page.click('#token-form button');
    await expect(page.locator('#token-error').textContent()).resolves.toBe('El token no es válido.');
    await page.fill('#token', TOKEN);
    await page.click('#token-form button');
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
    await page.fill('#token', TOKEN);
    await page.click('#token-form button');
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

  it('writes times in the admin\'s zone and API errors in Spanish, naming the field', async () => {
    const page = await signedIn('/admin/incidents/', 1280, '#incidents [data-incident-id]');
    // Bogotá is UTC−5 all year: the time is local and its zone named (Colombia's abbreviation, or the offset).
    const due = await page.locator(`#incidents [data-incident-id="${slowId}"] td`).nth(3).textContent();
    expect(due).toMatch(/^\S+ \d{1,2} \S+ \d{4}, \d{2}:\d{2} (COT|GMT-5)/);
    expect(due).not.toMatch(/\dT\d|Z\b/);
    await page.goto(`${vigia.url}/admin/maintenance/`);
    await page.waitForSelector('#maintenances [data-maintenance-id]');
    // A window two hours ahead breaks the eight-hour notice rule.
    await page.click('#maintenance-form >> xpath=.. >> summary');
    await page.fill('#maintenance-form [name=title]', 'Reinicio urgente');
    const local = (hours: number) => {
      const d = new Date(Date.now() + hours * 3_600_000 - 5 * 3_600_000);
      return d.toISOString().slice(0, 16);
    };
    await page.fill('#maintenance-form [name=starts_at]', local(2));
    await page.fill('#maintenance-form [name=ends_at]', local(3));
    await page.click('#maintenance-form button[type=submit]');
    const error = page.locator('#maintenance-form .error');
    await page.waitForFunction(() => document.querySelector('#maintenance-form .error')?.textContent);
    const text = (await error.textContent())!;
    expect(text).toMatch(/^Inicio: el mantenimiento debe anunciarse con más antelación\. El inicio más temprano permitido es .+ (COT|GMT-5)\.$/);
    expect(text).not.toMatch(/starts_at|earliest|\d{4}-\d{2}-\d{2}T/);
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
    await page.click('#incident-form >> xpath=.. >> summary');
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
