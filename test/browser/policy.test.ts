import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

describe('the "Service levels" page', () => {
  let vigia: TempVigia;
  let url: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    vigia = await startTempVigia();
    url = vigia.vigia.url;
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await vigia?.close();
  });

  it('explains each severity, its targets and clock, the business hours and holidays, and the notice rule (es, no JavaScript)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}/policy/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Niveles de servicio');
    // The demo policy: severity 1 on the 24-hour clock, 2 to 4 on business hours.
    const one = page.locator('#severity-1');
    await expect(one.locator('h3').textContent()).resolves.toBe('Severidad 1 · Crítico');
    await expect(one.locator('dd').allTextContents()).resolves.toEqual(['1 hora (Las 24 horas, todos los días)', '5 horas (Las 24 horas, todos los días)']);
    await expect(page.locator('#severity-4 dd').nth(1).textContent()).resolves.toBe('2 días hábiles (Horario hábil)');
    await expect(page.locator('[id^="severity-"][id$="-title"]').count()).resolves.toBe(4);
    // The business-hours calendars, by the names the config gives them (never their ids): the week, day by day, and holidays.
    await expect(page.locator('.policy-calendar h3').allTextContents()).resolves.toEqual(['Oficina de Bogotá (predeterminado)', 'Ciudad de México']);
    const calendar = page.locator('.policy-calendar').first();
    await expect(calendar.locator('tbody tr').count()).resolves.toBe(7);
    await expect(calendar.locator('tbody tr').first().textContent()).resolves.toMatch(/^lunes\s*08:00–18:00$/);
    await expect(calendar.locator('tbody tr').last().textContent()).resolves.toMatch(/^domingo\s*Sin atención$/);
    expect(await calendar.locator('.holidays li').count()).toBeGreaterThan(0);
    await expect(page.locator('#policy-clock + p').textContent()).resolves.toContain('el reloj se detiene');
    await expect(page.locator('#policy-maintenance + p').textContent()).resolves.toContain('al menos 8 horas de anticipación');
    await page.screenshot({ path: screenshotPath('policy-es-1280.png'), fullPage: true });
    await context.close();
  });

  it('reads in English and Portuguese, and every page links to it', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/en/policy/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Service levels');
    await expect(page.locator('#severity-3 dd').first().textContent()).resolves.toContain('business hours');
    await expect(page.locator('.policy-calendar h3').first().textContent()).resolves.toBe('Bogotá office (default)');
    await page.goto(`${url}/pt-br/policy/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Níveis de serviço');
    await expect(page.locator('.policy-calendar h3').allTextContents()).resolves.toEqual(['Escritório de Bogotá (padrão)', 'Ciudad de México']);
    await page.goto(`${url}/en/`);
    await page.locator('footer a', { hasText: 'Service levels' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Service levels');
    // Feeds are advertised on every page.
    const feeds = await page.locator('link[rel="alternate"][type]').evaluateAll((links) => links.map((l) => [l.getAttribute('type'), l.getAttribute('href')]));
    expect(feeds).toEqual([
      ['application/rss+xml', '/en/feed.rss'],
      ['application/atom+xml', '/en/feed.atom'],
    ]);
    const rss = await fetch(`${url}/en/feed.rss`);
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    await page.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [390, 1280]) {
      it(`has no axe-core violations (${colorScheme}, ${width} px)`, async () => {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
        await page.goto(`${url}/policy/`);
        await expectNoAxeViolations(page, `policy ${colorScheme} ${width}px`);
        await page.screenshot({ path: screenshotPath(`policy-${colorScheme}-${width}.png`), fullPage: true });
        await page.close();
      });
    }
  }
});
