import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../worker/config/load.ts';
import { ROOT_DIR } from '../../worker/server.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'browser-matrix-token-0123456789';
const EDITOR = { email: 'editora@agencia.example', password: 'clave de la editora' };

/** The console on a priority × impact policy: the admin picks priority and impact, and the level follows. */
describe('admin console with a priority × impact policy', () => {
  let vigia: TempVigia;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    vigia = await startTempVigia({ config: loadConfigFile(join(ROOT_DIR, 'examples/policies/agencia-web-matriz.yaml')), env: { ADMIN_TOKEN: TOKEN } });
    const editor = await fetch(`${vigia.vigia.url}/api/admin/accounts`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...EDITOR, name: 'Editora', role: 'editor' }) });
    expect(editor.status, await editor.clone().text()).toBe(201);
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await vigia?.close();
  });

  it('declares an incident by priority and impact, then raises its priority', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Argentina/Buenos_Aires' });
    await page.goto(`${vigia.vigia.url}/admin/incidents/`);
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form [name=email]', EDITOR.email);
    await page.fill('#signin-form [name=password]', EDITOR.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#incidents tbody tr');
    await expect(page.locator('#incident-form select[name=severity]').count()).resolves.toBe(0);
    await expect(page.locator('#incident-form select[name=priority] option').allTextContents()).resolves.toEqual(['Alta', 'Media', 'Baja']);
    await expect(page.locator('#incident-form select[name=impact]').inputValue()).resolves.toBe('medio');
    await page.fill('#incident-form input[name=title]', 'Formulario de contacto caído');
    await page.selectOption('#incident-form select[name=priority]', 'media');
    await page.fill('#incident-form textarea[name=message]', 'Revisando.');
    await page.click('#incident-form button[type=submit]');
    const row = page.locator('#incidents [data-incident-id]');
    await row.waitFor();
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('5 · Media · medio impacto');
    await expectNoAxeViolations(page, 'admin matrix 1280px');
    await page.screenshot({ path: screenshotPath('admin-matrix.png'), fullPage: true });

    // Raising the priority is an escalation with a reason, which is also the update's message.
    await row.locator('details:has(select[name=priority]) > summary').click();
    await row.locator('select[name=priority]').selectOption('alta');
    await row.locator('input[name=reason]').fill('Afecta a los pagos.');
    await row.locator('form:has(select[name=priority]) button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('#incidents [data-incident-id] td:nth-child(2)')?.textContent === '2 · Alta · medio impacto');
    // The incident's history names who posted each update.
    await row.locator('details.history > summary').click();
    await expect(row.locator('details.history li').allTextContents()).resolves.toEqual([
      expect.stringContaining('por editora@agencia.example'),
      expect.stringContaining('por editora@agencia.example'),
    ]);
    const id = await row.getAttribute('data-incident-id');
    const incident = (await (await fetch(`${vigia.vigia.url}/api/admin/incidents/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as any;
    expect(incident.incident.severity_history).toEqual([expect.objectContaining({ from: 5, to: 2, reason: 'priority media → alta: Afecta a los pagos.' })]);
    await page.close();
  });
});
