import { statSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';

describe('status page in Chromium', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: 'browser-test-admin-token' } }));
    const admin = (path: string, body: unknown) =>
      fetch(`${vigia.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer browser-test-admin-token', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const opened = await admin('/api/admin/incidents', {
      title: 'Demoras en la entrega de correo',
      severity: 2,
      status: 'identified',
      message: 'Los mensajes hacia Microsoft 365 llegan con hasta 20 minutos de demora.',
      components: ['correo-corporativo'],
    });
    expect(opened.status).toBe(201);
    const start = new Date(Date.now() + 26 * 3_600_000);
    const scheduled = await admin('/api/admin/maintenances', {
      title: 'Actualización del panel de clientes',
      message: 'El panel no estará disponible durante la ventana.',
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
      component_ids: ['panel'],
    });
    expect(scheduled.status).toBe(201);
    await vigia.site!.build('browser test data');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
  });

  it('shows the overall status, the components by group, the open incident and upcoming maintenance (es)', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, timezoneId: 'America/Mexico_City', locale: 'es-CO' });
    await page.goto(`${vigia.url}/`);
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Interrupción parcial del servicio');
    const groups = await page.locator('.group h3').allTextContents();
    expect(groups).toEqual(expect.arrayContaining(['Hosting web', 'Correo', 'Telefonía']));
    const correo = page.locator('[data-component-id="correo-corporativo"] .state');
    await expect(correo.textContent()).resolves.toBe('Caída parcial');
    // Providers that cannot be read (no internet) say so rather than "operational".
    await expect(page.locator('[data-component-id="google-workspace"] .state').textContent()).resolves.toBe('Estado desconocido');
    await expect(page.locator('.incident h3').first().textContent()).resolves.toContain('Demoras en la entrega de correo');
    await expect(page.locator('.maintenance h3').first().textContent()).resolves.toContain('Actualización del panel de clientes');
    // The viewer's own time zone is added next to the provider's.
    expect(await page.locator('.viewer-time').count()).toBeGreaterThan(0);
    const file = screenshotPath('status-es.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('is readable with JavaScript disabled, and in English', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 420, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${vigia.url}/en/`);
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Partial service outage');
    await expect(page.locator('[data-component-id="correo-corporativo"] .state').textContent()).resolves.toBe('Partial outage');
    expect(await page.locator('.viewer-time').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('status-en-nojs-mobile.png'), fullPage: true });
    await page.locator('.incident h3 a').first().click();
    await expect(page.locator('h1').textContent()).resolves.toContain('Demoras en la entrega de correo');
    await page.screenshot({ path: screenshotPath('incident-en.png'), fullPage: true });
    await context.close();
  });
});
