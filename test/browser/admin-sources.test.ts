/**
 * The sources screen in Chromium: a provider added by its page's address, two of the components its page names
 * chosen from the page's own list, the choice saved in the source's settings and shown again after a poll, and the
 * last raw payload shown as text; axe at 1280 and 390 px in Spanish and English.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';

const TOKEN = 'browser-sources-token-0123456789';
const OWNER = { email: 'fuentes@example.com', password: 'clave de las fuentes' };
const fixture = (name: string) => readFileSync(new URL(`../upstream/fixtures/${name}`, import.meta.url), 'utf8');

describe('the sources screen in Chromium', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let upstream: UpstreamServer;
  let summary: Record<string, any>;

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${vigia.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as any;
  };

  /** A console page at a width, signed in through the sign-in page, English chosen or not. */
  async function signedIn(path: string, width: number, ready: string, english = false): Promise<Page> {
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

  /** Opens a source's components and last payload below the table, the payload unfolded. */
  async function openDetail(page: Page, id: string): Promise<void> {
    await page.locator(`#sources [data-source-id="${id}"] button`).last().click();
    await page.waitForSelector('#follow-list fieldset input[name=follow]');
    if (!(await page.locator('#payload-details').evaluate((d) => (d as HTMLDetailsElement).open))) await page.click('#payload-details > summary');
    await page.waitForSelector('#payload pre.payload');
  }

  beforeAll(async () => {
    // A provider's Statuspage on loopback; its page's name carries markup, which must stay text.
    upstream = await startUpstreamServer();
    summary = JSON.parse(fixture('statuspage-summary.json'));
    summary.page.name = 'Genesys <b>Cloud</b> <img src=x>';
    upstream.route('/genesys/api/v2/summary.json', { body: summary, etag: '"s1"' });
    upstream.route('/genesys/api/v2/incidents.json', { body: fixture('statuspage-incidents.json'), etag: '"i1"', headers: { 'content-type': 'application/json' } });
    upstream.route('/genesys/api/v2/scheduled-maintenances.json', { body: fixture('statuspage-scheduled-maintenances.json'), etag: '"m1"', headers: { 'content-type': 'application/json' } });
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN, VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } }));
    await api('POST', '/api/admin/accounts', { ...OWNER, name: 'Fuentes', role: 'owner' });
    await vigia.site!.build('sources browser test');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
    await upstream?.close();
  });

  it('adds a provider by its address following two of its page\'s components, shows only those after a poll, and its last payload as text', async () => {
    const page = await signedIn('/admin/sources/', 1280, '#sources tbody tr');
    await page.fill('#source-url', `${upstream.url}/genesys/`);
    await page.click('#detect-button');
    await page.waitForSelector('#upstream-choice fieldset input[name=follow]');
    await expect(page.locator('#detect-result').textContent()).resolves.toMatch(/^Formato propuesto: Statuspage /);
    // The page's own list, grouped as the page groups it.
    const groups = await page.locator('#upstream-choice [role=group]').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('aria-label'), Array.from(n.querySelectorAll('label'), (l) => l.textContent!.trim())]));
    expect(groups).toEqual([
      ['Americas (US East)', ['Voice', 'Messaging', 'Platform API']],
      ['EMEA (Frankfurt)', ['Voice', 'Messaging']],
      ['Otros componentes', ['Status notifications']],
    ]);
    await expectNoAxeViolations(page, 'sources with the page\'s components to choose from at 1280 px');
    await page.screenshot({ path: screenshotPath('admin-sources-choose-1280.png'), fullPage: true });

    await page.check('#upstream-choice input[value="cmp-euc-voice"]');
    await page.check('#upstream-choice input[value="cmp-euc-messaging"]');
    await page.fill('#source-name', 'Genesys Cloud');
    await page.fill('#source-id', 'genesys');
    await page.click('#source-form button[type=submit]');
    await page.waitForSelector('#sources [data-source-id="genesys"]');
    await expect(page.locator('#upstream-choice').isHidden()).resolves.toBe(true);
    expect((await api('GET', '/api/admin/sources/genesys')).source.settings).toEqual({ components: ['cmp-euc-voice', 'cmp-euc-messaging'] });

    // Polled now from its row: the page is read, and the source shows the two components followed, no others.
    await page.locator('#sources [data-source-id="genesys"] button', { hasText: 'Consultar' }).click();
    await page.waitForFunction(() => document.querySelector('#sources [data-source-id="genesys"] td:nth-child(4)')?.textContent !== '—');
    await openDetail(page, 'genesys');
    await expect(page.locator('#source-detail-title').textContent()).resolves.toBe('«Genesys Cloud»: componentes del proveedor');
    const followed = await page.locator('#follow-list input[name=follow]:checked').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(followed).toEqual(['cmp-euc-voice', 'cmp-euc-messaging']);
    await expect(page.locator('#follow-list input[name=follow]').count()).resolves.toBe(6);

    // The last payload: pretty-printed JSON in a monospace block, the provider's markup left as text.
    const summaryBlock = page.locator('#payload pre.payload[aria-label="Respuesta «summary»"]');
    const text = (await summaryBlock.textContent())!;
    expect(text).toContain('"name": "Genesys <b>Cloud</b> <img src=x>"');
    expect(text.startsWith('{\n  "page": {')).toBe(true);
    await expect(page.locator('#payload img, #payload b').count()).resolves.toBe(0);
    await expect(summaryBlock.evaluate((pre) => getComputedStyle(pre).fontFamily)).resolves.toMatch(/monospace/);
    await expectNoAxeViolations(page, 'a source\'s components and last payload at 1280 px');
    await page.screenshot({ path: screenshotPath('admin-sources-detail-1280.png'), fullPage: true });

    // A narrower choice, saved from the same list.
    await page.uncheck('#follow-list input[value="cmp-euc-messaging"]');
    await page.click('#follow-save');
    await page.waitForFunction(() => document.getElementById('follow-saved')?.textContent);
    expect((await api('GET', '/api/admin/sources/genesys')).source.settings).toEqual({ components: ['cmp-euc-voice'] });
    const audit = await api('GET', '/api/admin/audit?entity=source');
    expect(audit.entries[0]).toMatchObject({ actor: { name: OWNER.email }, action: 'PUT /api/admin/sources/genesys/upstream-components' });

    // The provider now sends a body that does not parse: the console says so above the last good body.
    upstream.route('/genesys/api/v2/summary.json', { body: '{"page": {"id": "x"}, "components": [', headers: { 'content-type': 'application/json' } });
    await api('POST', '/api/admin/sources/genesys/poll');
    await page.reload();
    await page.waitForSelector('#sources [data-source-id="genesys"]');
    await openDetail(page, 'genesys');
    await expect(page.locator('#payload p.error').textContent()).resolves.toMatch(/^La última consulta recibió una respuesta que no se pudo leer: parse: /);
    await expect(summaryBlock.textContent()).resolves.toBe(text);
    upstream.route('/genesys/api/v2/summary.json', { body: summary, etag: '"s2"' });
    await page.context().close();
  });

  for (const english of [false, true]) {
    for (const width of [1280, 390]) {
      it(`passes axe ${english ? 'in English' : 'in Spanish'} at ${width} px with a source's components and payload open, without sideways scrolling`, async () => {
        const page = await signedIn('/admin/sources/', width, '#sources [data-source-id="genesys"]', english);
        await openDetail(page, 'genesys');
        await page.fill('#source-url', `${upstream.url}/genesys/`);
        await page.click('#detect-button');
        await page.waitForSelector('#upstream-choice fieldset input[name=follow]');
        if (english) {
          await expect(page.locator('#payload-details > summary').textContent()).resolves.toBe('Provider’s last answer');
          await expect(page.locator('#follow-save').textContent()).resolves.toBe('Save the followed components');
          await expect(page.locator('#source-detail-title').textContent()).resolves.toBe('“Genesys Cloud”: the provider’s components');
        }
        await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(width);
        const name = `sources ${english ? 'en' : 'es'} ${width}`;
        await expectNoAxeViolations(page, name);
        await page.screenshot({ path: screenshotPath(`admin-sources-${english ? 'en' : 'es'}-${width}.png`), fullPage: true });
        await page.context().close();
      });
    }
  }
});
