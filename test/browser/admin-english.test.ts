import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { spanishIn, spanishLines } from '../helpers/spanish-text.ts';

const TOKEN = 'browser-english-token-0123456789';
const OWNER = { email: 'owner@example.com', password: 'the owner password' };
const EDITOR = { email: 'ema@example.com', password: 'the editor password', name: 'Ema', role: 'editor' };
/** Names and values that are the same in both languages, or the provider's own data, not the console's words. */
const ALLOWED = [
  'Vigía',
  'Español',
  // What admins typed and the API's values, as the audit log's changes show them.
  'Slow control panel',
  'Cause found.',
  'Looking.',
  'Pía',
  'locale: es',
  // A subscriber's language code and zone, as the subscribers screen lists them.
  'es · America/Bogota',
];

/** What a person sees of the page: its visible text, the labels of its controls, and the tab's title. */
const visibleTexts = (page: Page) =>
  page.evaluate(() => {
    const labels = Array.from(document.querySelectorAll('[aria-label], [placeholder], [title], option'), (e) =>
      [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title'), e instanceof HTMLOptionElement ? e.textContent : null].filter(Boolean).join(' '),
    );
    return [document.title, document.body.innerText, ...labels].join('\n');
  });

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

  /**
   * Opens `path` in `context` with every script held back until Chromium has painted a few frames (as on a slow
   * network), recording the text visible in each frame (`innerText` leaves out what is hidden) and any CSP
   * violation. `withoutHeadScript` removes the layout's head script from the page, to show what it prevents.
   */
  async function paintedFrames(context: BrowserContext, path: string, ready: string, withoutHeadScript = false) {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { frames_: string[]; violations_: string[] };
      w.frames_ = [];
      w.violations_ = [];
      document.addEventListener('securitypolicyviolation', (e) => w.violations_.push(`${e.violatedDirective} ${e.blockedURI || 'inline'}`));
      const tick = () => {
        if (document.body) w.frames_.push(document.body.innerText);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route((url) => url.pathname.endsWith('.js'), async (route) => {
      await released;
      await route.continue();
    });
    if (withoutHeadScript) {
      await page.route(`${vigia.url}${path}`, async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(/<script>try\{if\(localStorage[\s\S]*?<\/script>/, '');
        await route.fulfill({ response, body: html });
      });
    }
    await page.goto(`${vigia.url}${path}`, { waitUntil: 'commit' });
    await expect.poll(() => page.evaluate(() => (window as unknown as { frames_: string[] }).frames_.length), { timeout: 20_000 }).toBeGreaterThan(5);
    release();
    await page.waitForSelector(ready);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const { frames, violations } = await page.evaluate(() => {
      const w = window as unknown as { frames_: string[]; violations_: string[] };
      return { frames: w.frames_, violations: w.violations_ };
    });
    return { page, frames, violations };
  }

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN, VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } }));
    const { incident } = await send('/api/admin/incidents', { title: 'Slow control panel', severity: 3, message: 'Looking.', components: ['panel'] });
    await send(`/api/admin/incidents/${incident.id}/updates`, { status: 'identified', message: 'Cause found.' });
    await send('/api/admin/sources', { id: 'acme', name: 'Acme', type: 'statuspage', url: 'http://127.0.0.1:9/' });
    await send('/api/admin/accounts', { ...OWNER, name: 'Olivia', role: 'owner' });
    await send('/api/admin/accounts', EDITOR);
    await send('/api/admin/subscribers/import', { subscribers: [{ email: 'ops@cliente.example' }] });
    // The page's components and groups are named once, in the provider's language: data, not the console's words.
    const { components } = (await (await fetch(`${vigia.url}/api/v2/components.json`)).json()) as { components: { name: string }[] };
    ALLOWED.push(...components.map((c) => c.name));
    ALLOWED.sort((a, b) => b.length - a.length);
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

  it('paints an English admin\'s console in English from the first frame, with no CSP violation', async () => {
    const signedInPage = await signedIn('/admin/', 1280, '#dash-incidents [data-incident-id]', true);
    const context = signedInPage.context();
    for (const [path, ready] of [['/admin/', '#dash-incidents [data-incident-id]'], ['/admin/incidents/', '#incidents [data-incident-id]'], ['/admin/sign-in/', '#signin-form']] as const) {
      const { page, frames, violations } = await paintedFrames(context, path, ready);
      expect(violations, path).toEqual([]);
      expect(frames.length).toBeGreaterThan(5);
      expect([...new Set(frames.flatMap((text) => spanishIn(text, ALLOWED)))], path).toEqual([]);
      // …and the page did show, in English.
      expect(frames.at(-1), path).toMatch(/Language/);
      await page.close();
    }
    // The check can fail: without the head script, the held-back page paints its Spanish first.
    const { page, frames } = await paintedFrames(context, '/admin/', '#dash-incidents [data-incident-id]', true);
    expect(frames.flatMap((text) => spanishIn(text, ALLOWED))).toEqual(expect.arrayContaining(['Idioma']));
    await expect(page.locator('#dash-title').textContent()).resolves.toBe('Dashboard');
    await context.close();
  });

  it('keeps the language on the account: chosen in one browser, another browser signs in to it', async () => {
    const first = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await first.newPage();
    await page.goto(`${vigia.url}/admin/`);
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form [name=email]', EDITOR.email);
    await page.fill('#signin-form [name=password]', EDITOR.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('html[lang=es] #dash-incidents [data-incident-id]');
    await page.selectOption('#admin-lang', 'en');
    await page.waitForSelector('html[lang=en] #dash-incidents [data-incident-id]');
    const me = await page.evaluate(async () => (await (await fetch('/api/admin/me')).json()) as { account: { language: string } });
    expect(me.account.language).toBe('en');
    await first.close();

    // A new browser knows nothing of it until the account signs in; then the console is English from the first page.
    const second = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const other = await second.newPage();
    await other.goto(`${vigia.url}/admin/incidents/`);
    await other.waitForSelector('html[lang=es] #signin-form');
    await other.fill('#signin-form [name=email]', EDITOR.email);
    await other.fill('#signin-form [name=password]', EDITOR.password);
    await other.click('#signin-form button[type=submit]');
    await other.waitForSelector('#incidents [data-incident-id]');
    await expect(other.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(other.locator('#incidents-title').textContent()).resolves.toBe('Open incidents');
    await expect(other.title()).resolves.toBe('Incidents · Vigía admin');

    // Chosen on the sign-in page before signing in, the language becomes the account's.
    await other.click('#sign-out');
    await other.waitForSelector('#signin-form');
    await other.selectOption('#admin-lang', 'es');
    await other.waitForSelector('html[lang=es] #signin-form');
    await other.fill('#signin-form [name=email]', EDITOR.email);
    await other.fill('#signin-form [name=password]', EDITOR.password);
    await other.click('#signin-form button[type=submit]');
    await other.waitForSelector('html[lang=es] #dash-incidents [data-incident-id]');
    const after = await other.evaluate(async () => (await (await fetch('/api/admin/me')).json()) as { account: { language: string } });
    expect(after.account.language).toBe('es');
    await second.close();
  });

  it('asks its confirmations in English and says what was done in the audit log in English', async () => {
    const page = await signedIn('/admin/accounts/', 1280, '#accounts tbody tr', true);
    const questions: string[] = [];
    page.on('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    // An invitation in the language chosen for it, shown on the account.
    await page.click('#admin-content details > summary');
    const invite = async () => {
      await page.fill('#account-form [name=name]', 'Pía');
      await page.fill('#account-form [name=email]', 'pia@example.com');
      await page.selectOption('#account-form [name=language]', 'es');
      await page.click('#account-form button[type=submit]');
    };
    await invite();
    const row = page.locator('#accounts tr[data-account="pia@example.com"]');
    await row.waitFor();
    await expect(row.locator('td').allTextContents()).resolves.toEqual(['Pía', 'pia@example.com', expect.stringContaining('Editor'), 'No', 'Español', 'Invitation sent', 'Remove']);
    await invite();
    await page.waitForFunction(() => document.querySelector('#account-form .error')?.textContent);
    await expect(page.locator('#account-form .error').textContent()).resolves.toBe('An account with that e-mail already exists.');
    await row.locator('button').click();
    await row.waitFor({ state: 'detached' });

    await page.goto(`${vigia.url}/admin/tokens/`);
    await page.fill('#token-form [name=name]', 'CI deploy');
    await page.click('#token-form button[type=submit]');
    await page.waitForSelector('#new-token:not([hidden])');
    await page.locator('#tokens tr[data-token="CI deploy"] button').click();
    await page.waitForFunction(() => document.querySelector('#tokens tr[data-token="CI deploy"] td:nth-child(6)')?.textContent?.startsWith('Revoked'));

    await page.goto(`${vigia.url}/admin/subscribers/`);
    await page.locator('#subscribers [data-subscriber-id] button').first().click();
    await page.waitForSelector('#subscribers [data-subscriber-id]', { state: 'detached' });

    expect(questions).toEqual(['Remove the account of pia@example.com?', 'Revoke the token “CI deploy”? The scripts that use it will stop working.', 'Remove ops@cliente.example? Their data and pending mail are deleted.']);

    await page.goto(`${vigia.url}/admin/audit/`);
    await page.waitForSelector('#audit tbody tr');
    const actions = await page.locator('#audit tbody td:nth-child(3)').allTextContents();
    expect(actions).toEqual(expect.arrayContaining([expect.stringMatching(/^Removed a subscriberDELETE \/api\/admin\/subscribers\//), expect.stringMatching(/^Revoked an API tokenDELETE \/api\/admin\/tokens\//), expect.stringMatching(/^Removed an accountDELETE /), expect.stringMatching(/^Created an accountPOST /), 'Signed inPOST /api/admin/session']));
    expect(spanishLines(await visibleTexts(page), ALLOWED)).toEqual([]);
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
      // Signed in once, then each screen in turn (a walk through the whole console in English).
      const page = await signedIn('/admin/', width, SCREENS[0]![2], true);
      for (const [name, path, ready] of SCREENS) {
        await page.goto(`${vigia.url}${path}`);
        await page.waitForSelector(ready);
        for (const summary of await page.locator('details > summary').all()) await summary.click();
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
        await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(width);
        // Nothing left in Spanish that the console wrote (the provider's names aside).
        expect(spanishLines(await visibleTexts(page), ALLOWED), `${name} in English`).toEqual([]);
        await expectNoAxeViolations(page, `${name} in English at ${width} px`);
        await page.screenshot({ path: screenshotPath(`admin-en-${name}-${width}.png`), fullPage: true });
      }
      await page.context().close();
    }, 180_000);
  }
});
