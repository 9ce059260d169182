import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';

const TOKEN = 'browser-english-token-0123456789';
const OWNER = { email: 'owner@example.com', password: 'the owner password' };

describe('the admin console in English, in Chromium', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  const send = async (path: string, body: unknown) => {
    const response = await fetch(`${vigia.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as any;
  };

  /** A browser context signed in, on a console page, English chosen or not. */
  async function signedIn(path: string, width: number, ready: string, english: boolean): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'America/Bogota' });
    const page = await context.newPage();
    await page.goto(`${vigia.url}${path}`);
    await page.waitForSelector('#signin-form');
    if (english) {
      await page.selectOption('#admin-lang', 'en');
      await page.waitForSelector('html[lang=en] #signin-form');
    }
    await page.fill('#signin-form [name=email]', OWNER.email);
    await page.fill('#signin-form [name=password]', OWNER.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector(ready);
    return page;
  }

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN, VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } }));
    const { incident } = await send('/api/admin/incidents', { title: 'Slow control panel', severity: 3, message: 'Looking.', components: ['panel'] });
    await send(`/api/admin/incidents/${incident.id}/updates`, { status: 'identified', message: 'Cause found.' });
    await send('/api/admin/sources', { id: 'acme', name: 'Acme', type: 'statuspage', url: 'http://127.0.0.1:9/' });
    await send('/api/admin/accounts', { ...OWNER, name: 'Olivia', role: 'owner' });
    await vigia.site!.build('admin English browser test');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
  });

  it('switches to English from the header, and the choice survives a reload and the next sign-in page', async () => {
    const page = await signedIn('/admin/', 1280, '#dash-incidents [data-incident-id]', false);
    await expect(page.locator('#dash-title').textContent()).resolves.toBe('Panel');
    await page.selectOption('#admin-lang', 'en');
    await page.waitForSelector('html[lang=en] #dash-incidents [data-incident-id]');
    await expect(page.locator('#dash-title').textContent()).resolves.toBe('Dashboard');
    await expect(page.locator('#dash-incidents-title').textContent()).resolves.toBe('Open incidents');
    await expect(page.locator('nav[aria-label="Administration"] a').first().textContent()).resolves.toBe('Dashboard');
    await expect(page.locator('#dash-incidents thead').textContent()).resolves.toBe('IncidentSeverityStatusSLA target');
    // The status in the public pages' English words, the role in English, the time in an English format.
    await expect(page.locator('#dash-incidents [data-incident-id] td').nth(2).textContent()).resolves.toBe('Identified');
    await expect(page.locator('#whoami-name').textContent()).resolves.toBe('Olivia · Owner');
    await expect(page.title()).resolves.toBe('Dashboard · Vigía admin');

    await page.reload();
    await page.waitForSelector('#dash-incidents [data-incident-id]');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('#dash-title').textContent()).resolves.toBe('Dashboard');
    await expect(page.locator('#admin-lang').inputValue()).resolves.toBe('en');

    // Back to Spanish, also remembered.
    await page.selectOption('#admin-lang', 'es');
    await page.waitForSelector('html[lang=es] #dash-incidents [data-incident-id]');
    await expect(page.locator('#dash-title').textContent()).resolves.toBe('Panel');
    await page.context().close();
  });

  it('says an API refusal in English, naming the field it concerns', async () => {
    const page = await signedIn('/admin/sources/', 1280, '#sources [data-source-id]', true);
    await expect(page.locator('#sources-title').textContent()).resolves.toBe('Watched providers');
    await expect(page.locator('#sources [data-source-id="acme"] button').first().textContent()).resolves.toBe('Pause “Acme”');
    await page.fill('#source-url', 'http://127.0.0.1:9/');
    await page.selectOption('#source-type', 'statuspage');
    await page.fill('#source-name', 'Acme again');
    await page.fill('#source-id', 'acme');
    await page.click('#source-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#source-form .form-error')?.textContent);
    await expect(page.locator('#source-form .form-error').textContent()).resolves.toBe('Identifier: a source with this identifier already exists.');
    await page.context().close();
  });

  it('writes the maintenance form\'s checks and times in English', async () => {
    const page = await signedIn('/admin/maintenance/', 1280, '#maintenance-title', true);
    await page.waitForFunction(() => document.getElementById('starts-hint')?.textContent);
    await expect(page.locator('#starts-hint').textContent()).resolves.toMatch(/^Earliest allowed start: .+ (COT|GMT-5) \(subscribers must receive the notice 8 h ahead\)\.$/);
    await expect(page.locator('#starts-hint').textContent()).resolves.toMatch(/: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d+, \d{4}, /);
    await page.context().close();
  });

  const SCREENS: [string, string, string][] = [
    ['dashboard', '/admin/', '#dash-incidents [data-incident-id]'],
    ['incidents', '/admin/incidents/', '#incidents [data-incident-id]'],
    ['maintenance', '/admin/maintenance/', '#maintenance-title'],
    ['mail', '/admin/mail/', '#mail-title'],
    ['sources', '/admin/sources/', '#sources [data-source-id]'],
    ['subscribers', '/admin/subscribers/', '#subscriber-total:not(:empty)'],
    ['sla', '/admin/sla/', '#severity-table tbody tr'],
    ['accounts', '/admin/accounts/', '#accounts-title'],
    ['tokens', '/admin/tokens/', '#tokens-title'],
    ['audit', '/admin/audit/', '#audit-title'],
    ['account', '/admin/account/', '#account-title'],
  ];

  for (const width of [1280, 390]) {
    it(`passes axe in English at ${width} px on every screen, without sideways scrolling`, async () => {
      for (const [name, path, ready] of SCREENS) {
        const page = await signedIn(path, width, ready, true);
        for (const summary of await page.locator('details > summary').all()) await summary.click();
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
        await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(width);
        await expectNoAxeViolations(page, `${name} in English at ${width} px`);
        await page.screenshot({ path: screenshotPath(`admin-en-${name}-${width}.png`), fullPage: true });
        await page.context().close();
      }
    });
  }
});
