import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'live-test-admin-token';

/** WCAG contrast of an element's text colour on its own background colour (both opaque here). */
async function contrastOf(locator: Locator): Promise<number> {
  const [fg, bg] = await locator.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
  const luminance = (css: string) => {
    const [r, g, b] = css.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((v) => Number(v) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(fg!), luminance(bg!)].sort((a, b) => b - a);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('live refresh of the home page', () => {
  let vigia: TempVigia;
  let url: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  const admin = async <T = { incident: { id: string } }>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    const json = (await res.json()) as T;
    // The published API (what the script reads) has the change before the test moves the page's clock.
    await vigia.vigia.publisher.settled();
    return json;
  };

  /** Moves the page's timers past the longest refresh delay (60 s); the fetch it starts is real. */
  const nextRefresh = (page: Page) => page.clock.fastForward(61_000);

  beforeAll(async () => {
    vigia = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN } });
    url = vigia.vigia.url;
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await vigia?.close();
  });

  it('shows a new incident without reloading, announces it, and drops it when resolved', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'es-CO' });
    await page.clock.install();
    await page.goto(`${url}/`);
    const checked = page.locator('[data-live="checked"]');
    await expect.poll(() => checked.textContent()).toMatch(/^comprobado hace \d+ s$/);
    await page.clock.fastForward(5_000);
    await expect.poll(() => checked.textContent()).toMatch(/^comprobado hace [5-9] s$/);
    await expect(page.locator('[data-live="incidents"] .incident').count()).resolves.toBe(0);

    // A marker that a reload would wipe out.
    await page.evaluate(() => document.body.setAttribute('data-not-reloaded', 'yes'));
    const { incident } = await admin('/api/admin/incidents', {
      title: 'Correo sin entrega',
      severity: 1,
      status: 'identified',
      message: 'Los mensajes salientes quedan en cola; trabajamos con el proveedor.',
      components: ['correo-corporativo'],
    });
    await nextRefresh(page);

    const card = page.locator(`[data-live="incidents"] [data-incident-id="${incident.id}"]`);
    await expect.poll(() => card.count()).toBe(1);
    await expect(card.locator('h3 a').getAttribute('href')).resolves.toBe(`/incidents/${incident.id}/`);
    await expect(card.locator('h3').textContent()).resolves.toBe('Correo sin entrega');
    await expect(card.locator('.severity').textContent()).resolves.toContain('1 · Crítico');
    await expect(card.locator('.severity').getAttribute('href')).resolves.toBe('/policy/#severity-1');
    await expect(card.locator('.status').textContent()).resolves.toBe('Identificado');
    await expect(card.locator('.latest').textContent()).resolves.toBe('Los mensajes salientes quedan en cola; trabajamos con el proveedor.');
    await expect(page.locator('[data-live="incidents"] [data-live-empty]').count()).resolves.toBe(0);
    await expect(page.locator('[data-component-id="correo-corporativo"]').getAttribute('data-state')).resolves.toBe('major_outage');
    await expect(page.locator('[data-component-id="correo-corporativo"] .state').textContent()).resolves.toBe('Caída total');
    await expect(page.locator('[data-live="banner"]').getAttribute('data-state')).resolves.toBe('major_outage');
    await expect(page.locator('[data-live="banner"] h1').textContent()).resolves.toBe('Interrupción mayor del servicio');
    // The banner names what is affected, in words.
    await expect(page.locator('[data-live="banner"] .banner-detail').first().textContent()).resolves.toBe('Afectados: Correo corporativo (Rackspace)');
    // One short, polite sentence for screen readers, not the whole list.
    await expect(page.locator('[data-live="announce"]').getAttribute('role')).resolves.toBe('status');
    await expect(page.locator('[data-live="announce"]').textContent()).resolves.toBe('Nuevo incidente: Correo sin entrega.');
    await expect(page.locator('body').getAttribute('data-not-reloaded')).resolves.toBe('yes');
    await page.screenshot({ path: screenshotPath('live-new-incident-1280.png'), fullPage: true });
    // What the script wrote passes axe-core (the rest of the page is the page tests' business).
    const written = (await axeViolations(page)).filter((v) => v.nodes.some((n) => n.target.some((t) => /incident-live|data-live/.test(t)) || n.html.includes('incident-live')));
    expect(describeViolations(written)).toBe('');
    expect(await contrastOf(card.locator('.severity'))).toBeGreaterThanOrEqual(4.5);

    await admin(`/api/admin/incidents/${incident.id}/updates`, { status: 'resolved', message: 'Entrega restablecida.' });
    await nextRefresh(page);
    await expect.poll(() => card.count()).toBe(0);
    await expect(page.locator('[data-live="incidents"] [data-live-empty]').textContent()).resolves.toBe('No hay incidentes en curso.');
    await expect(page.locator('[data-live="announce"]').textContent()).resolves.toBe('Un incidente dejó de estar en curso.');
    await expect(page.locator('[data-component-id="correo-corporativo"] .state').textContent()).resolves.not.toBe('Caída total');

    // A window scheduled meanwhile joins the maintenance list.
    const start = new Date(Date.now() + 26 * 3_600_000);
    const scheduled = await admin<{ maintenance: { id: string } }>('/api/admin/maintenances', {
      title: 'Cambio de servidores de correo',
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + 3_600_000).toISOString(),
      component_ids: ['correo-corporativo'],
    });
    await nextRefresh(page);
    const window = page.locator(`[data-live="maintenance"] [data-maintenance-id="${scheduled.maintenance.id}"]`);
    await expect.poll(() => window.count()).toBe(1);
    await expect(window.locator('h3 a').getAttribute('href')).resolves.toBe(`/maintenances/${scheduled.maintenance.id}/`);
    await expect(window.locator('.status').textContent()).resolves.toBe('Programado');
    await expect(page.locator('[data-live="maintenance"] [data-live-empty]').count()).resolves.toBe(0);
    await page.close();
  });

  it('keeps the last content and says it may be stale when the API cannot be reached, then recovers', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true });
    await page.clock.install();
    await page.goto(`${url}/en/`);
    const checked = page.locator('[data-live="checked"]');
    await expect.poll(() => checked.textContent()).toMatch(/^checked \d+ s ago$/);
    const { incident } = await admin('/api/admin/incidents', { title: 'Slow panel', severity: 3, message: 'Pages load slowly.', components: ['panel'] });
    await nextRefresh(page);
    const card = page.locator(`[data-incident-id="${incident.id}"]`);
    await expect.poll(() => card.count()).toBe(1);
    // A severity-3 card written by the script keeps its badge readable (AA), in both schemes.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await contrastOf(card.locator('.severity'))).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.route('**/api/v2/summary.json', (route) => route.abort('connectionrefused'));
    await admin(`/api/admin/incidents/${incident.id}/updates`, { status: 'resolved', message: 'Fixed.' });
    await nextRefresh(page);
    await expect.poll(() => checked.textContent()).toMatch(/^We could not refresh: this information may be out of date\. \(checked \d+ s ago\)$/);
    await expect(checked.getAttribute('data-stale')).resolves.toBe('');
    await expect(page.locator('[data-live="announce"]').textContent()).resolves.toBe('We could not refresh: this information may be out of date.');
    // What was known stays on the page.
    await expect(card.count()).resolves.toBe(1);
    await page.clock.fastForward(120_000);
    await expect.poll(() => checked.textContent()).toMatch(/\(checked [23] min ago\)$/);
    await page.screenshot({ path: screenshotPath('live-stale-390.png'), fullPage: true });
    await page.screenshot({ path: screenshotPath('live-stale-390-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: screenshotPath('live-stale-390-dark.png') });

    await page.unroute('**/api/v2/summary.json');
    await nextRefresh(page);
    await expect.poll(() => checked.textContent()).toMatch(/^checked \d+ s ago$/);
    await expect(checked.getAttribute('data-stale')).resolves.toBeNull();
    await expect.poll(() => card.count()).toBe(0);
    await page.close();
  });

  it('the script, as built, is under 5 KB, and the page reads the same without it', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    const sources = await page.locator('script[type="module"]').evaluateAll((nodes) => nodes.map((n) => ({ src: n.getAttribute('src'), text: n.textContent ?? '' })));
    expect(sources.length).toBeGreaterThan(0);
    let bytes = 0;
    for (const s of sources) bytes += s.src ? (await (await fetch(new URL(s.src, url), { headers: { 'accept-encoding': 'identity' } })).arrayBuffer()).byteLength : Buffer.byteLength(s.text);
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(5 * 1024);
    await page.close();

    const context = await browser.newContext({ javaScriptEnabled: false });
    const noJs = await context.newPage();
    await noJs.goto(`${url}/`);
    await expect(noJs.locator('[data-live="checked"]').isVisible()).resolves.toBe(false);
    await expect(noJs.locator('[data-live="banner"] h1').textContent()).resolves.toBeTruthy();
    await context.close();
  });
});

describe('a home page with many open incidents', () => {
  let vigia: TempVigia;
  let closeBrowser: () => Promise<void>;
  let browser: Browser;

  beforeAll(async () => {
    vigia = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN } });
    ({ browser, close: closeBrowser } = await launchChromium());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await vigia?.close();
  });

  const open = async (title: string, severity: number) => {
    const res = await fetch(`${vigia.vigia.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, severity, message: 'Revisamos.', components: ['panel'] }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { incident: { id: string } }).incident.id;
  };

  it('shows the five most severe as cards and the others one line each, on the page and as they open live', async () => {
    const minor = [];
    for (let i = 1; i <= 6; i++) minor.push(await open(`Consulta lenta ${i}`, 4));
    await vigia.vigia.site!.build('six open incidents');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'es-CO' });
    await page.clock.install();
    await page.goto(`${vigia.vigia.url}/`);
    const cards = page.locator('[data-live="incidents"] [data-incident-id]');
    const rows = page.locator('[data-live="more-incidents"] [data-incident-row]');
    await expect(cards.count()).resolves.toBe(5);
    await expect(rows.count()).resolves.toBe(1);
    // Most severe first, then the newest: the oldest of six equal ones is the one on a line of its own.
    await expect(rows.first().getAttribute('data-incident-row')).resolves.toBe(minor[0]);
    await expect(rows.first().locator('a').first().getAttribute('href')).resolves.toBe(`/incidents/${minor[0]}/`);
    await expect(rows.first().locator('.severity').textContent()).resolves.toContain('4 ·');
    await expect(page.locator('#more-incidents').textContent()).resolves.toBe('Otros incidentes en curso');
    expect(describeViolations(await axeViolations(page))).toBe('');

    const critical = await open('Panel caído', 1);
    await vigia.vigia.publisher.settled();
    await page.clock.fastForward(61_000);
    await expect.poll(() => cards.first().getAttribute('data-incident-id')).toBe(critical);
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.nth(1).getAttribute('data-incident-row')).resolves.toBe(minor[0]);
    await expect(rows.nth(0).getAttribute('data-incident-row')).resolves.toBe(minor[1]);
    await page.locator('#more-incidents').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('home-many-open-390.png') });
    await page.close();
  });
});
