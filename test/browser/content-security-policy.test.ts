import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'csp-browser-admin-token-0123';

/** Every violation the page reports, from the DOM event and from Chromium's console, collected from the first byte. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  await page.exposeFunction('reportViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportViolation: (t: string) => void }).reportViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return seen;
}

describe('the content security policy in Chromium', () => {
  let vigia: TempVigia;
  let url: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    vigia = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN } });
    const owner = await fetch(`${vigia.vigia.url}/api/admin/accounts`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'csp@example.com', name: 'CSP', role: 'owner', password: 'csp clave larga' }) });
    expect(owner.status).toBe(201);
    url = vigia.vigia.url;
    ({ browser, close: closeBrowser } = await launchChromium());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await vigia?.close();
  });

  it('the home page runs its scripts (local times, live refresh) with no violation', async () => {
    const page = await browser.newPage({ locale: 'es-CO', timezoneId: 'Asia/Tokyo' });
    const violations = await watchViolations(page);
    await page.clock.install();
    await page.goto(`${url}/`);
    // The live script ran: it says when it last checked.
    await expect.poll(() => page.locator('[data-live="checked"]').textContent()).toMatch(/^comprobado hace \d+ s$/);
    await page.evaluate(() => document.body.setAttribute('data-not-reloaded', 'yes'));
    const res = await fetch(`${url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Panel lento', severity: 3, message: 'Revisando.', components: ['panel'] }),
    });
    expect(res.status).toBe(201);
    const { incident } = (await res.json()) as { incident: { id: string } };
    await vigia.vigia.publisher.settled();
    await page.clock.fastForward(61_000);
    await expect.poll(() => page.locator(`[data-live="incidents"] [data-incident-id="${incident.id}"]`).count()).toBe(1);
    expect(await page.evaluate(() => document.body.getAttribute('data-not-reloaded'))).toBe('yes');
    expect(violations).toEqual([]);
    await page.close();
  });

  // Runs after the home page's test, which declared the incident.
  it('a component page and an incident page show the viewer\'s local time (the inline script ran) with no violation', async () => {
    const page = await browser.newPage({ locale: 'es-CO', timezoneId: 'Asia/Tokyo' });
    const violations = await watchViolations(page);
    await page.goto(`${url}/components/panel/`);
    await expect(page.locator('h1').count()).resolves.toBe(1);
    await page.goto(`${url}/`);
    const link = page.locator('[data-live="incidents"] .incident h3 a').first();
    await page.goto(`${url}${await link.getAttribute('href')}`);
    await expect.poll(() => page.locator('.viewer-time').count()).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('the admin console signs in and lists incidents with no violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const violations = await watchViolations(page);
    await page.goto(`${url}/admin/`);
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form [name=email]', 'csp@example.com');
    await page.fill('#signin-form [name=password]', 'csp clave larga');
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#dash-incidents [data-incident-id]');
    // The session is kept by its cookie: every other screen draws at once.
    await page.goto(`${url}/admin/sla/`);
    await page.waitForSelector('#severity-table tbody tr');
    for (const [path, ready] of [
      ['/admin/incidents/', '#incidents [data-incident-id]'],
      ['/admin/maintenance/', '#audience:not(:empty)'],
      ['/admin/subscribers/', '#subscriber-total:not(:empty)'],
      ['/admin/sources/', '#sources [data-source-id]'],
      ['/admin/mail/', '#mail-counts [data-count]'],
    ]) {
      await page.goto(`${url}${path}`);
      await page.waitForSelector(ready!);
    }
    // The mail preview's sandboxed frame draws the e-mail's own styles without a violation.
    await page.goto(`${url}/admin/incidents/`);
    await page.waitForSelector('#incidents [data-incident-id]');
    await page.fill('#incident-form [name=title]', 'Prueba de la vista previa');
    await page.fill('#incident-form [name=message]', 'Texto.');
    await page.click('#preview-button');
    await page.waitForSelector('#mail-preview iframe');
    await expect(page.frameLocator('#mail-preview iframe').locator('body').textContent()).resolves.toContain('Prueba de la vista previa');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('a violation would be seen: an inline script not in the policy is reported', async () => {
    const page = await browser.newPage();
    const violations = await watchViolations(page);
    await page.goto(`${url}/`);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = 1';
      document.body.append(s);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
    await page.close();
  });
});
