import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';

const TOKEN = 'browser-admin-token-0123456789';

describe('admin console in Chromium', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const month = new Date().toISOString().slice(0, 7);

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
    await post('/api/admin/incidents', { title: 'Lentitud en el panel', severity: 3, message: 'Revisando.', components: ['panel'], started_at: start });
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
    await page.waitForSelector('#incidents [data-incident-id]');
    const rows = await page.locator('#incidents [data-incident-id] td:first-child').allTextContents();
    expect(rows).toEqual(['Lentitud en el panel']);
    // The levels as the policy names them, the middle one chosen.
    const severity = page.locator('#incident-form select[name=severity]');
    await expect(severity.locator('option').allTextContents()).resolves.toEqual(['1 · Crítico', '2 · Alto', '3 · Medio', '4 · Bajo']);
    await expect(severity.inputValue()).resolves.toBe('3');
    await page.screenshot({ path: screenshotPath('admin-dashboard.png'), fullPage: true });
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
});
