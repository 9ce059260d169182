import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';
import { join } from 'node:path';
import { loadConfigFile } from '../../worker/config/load.ts';
import { ROOT_DIR } from '../../worker/server.ts';

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

/** The example policies, each on its own Vigía: the page says what the provider wrote, in Spanish and English. */
describe('the "Service levels" page of the example policies', () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const started: TempVigia[] = [];
  const start = async (file: string) => (await startExample(file)).vigia.url;
  const startExample = async (file: string, env: Record<string, string> = {}) => {
    const vigia = await startTempVigia({ config: loadConfigFile(join(ROOT_DIR, 'examples/policies', file)), env });
    started.push(vigia);
    return vigia;
  };

  beforeAll(async () => {
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    for (const vigia of started) await vigia.close();
  });

  it('web agency: the matrix as a table, ranges in the order written, "inmediata"; axe clean at 1280 and 390 px', async () => {
    const url = await start('agencia-web-matriz.yaml');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/policy/`);
    const matrix = page.locator('.policy-matrix');
    await expect(matrix.locator('thead th').allTextContents()).resolves.toEqual(['Alto impacto', 'Medio impacto', 'Bajo impacto']);
    await expect(matrix.locator('tbody th').allTextContents()).resolves.toEqual(['Prioridad Alta', 'Prioridad Media', 'Prioridad Baja']);
    await expect(matrix.locator('tbody tr').first().locator('td').first().innerText()).resolves.toBe('Severidad 1\ninmediata');
    await expect(matrix.locator('tbody tr').last().locator('td').last().innerText()).resolves.toBe('Severidad 9\n48 a 36 horas hábiles');
    await expect(page.locator('#severity-1 dd').first().textContent()).resolves.toBe('inmediata (Las 24 horas, todos los días) Se cumple respondiendo en 5 min como máximo.');
    // The agency writes "menos de 1 hora": shown so in the matrix and the level, while the clock counts 1 h.
    await expect(matrix.locator('tbody tr').first().locator('td').nth(1).innerText()).resolves.toBe('Severidad 2\nmenos de 1 hora');
    await expect(page.locator('#severity-2 dd').first().textContent()).resolves.toBe('menos de 1 hora (Las 24 horas, todos los días)');
    await expect(page.locator('#severity-5 dd').first().textContent()).resolves.toBe('12 a 8 horas hábiles (Horario hábil) Compromiso: 12 horas hábiles; objetivo: 8 horas hábiles.');
    await expect(page.locator('#severity-5 dd').nth(1).textContent()).resolves.toBe('N/A (sin plazo)');
    await expectNoAxeViolations(page, 'agency policy 1280px');
    await page.screenshot({ path: screenshotPath('policy-matrix-es-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${url}/en/policy/`);
    await expect(page.locator('#severity-9 dd').first().textContent()).resolves.toBe('48 to 36 business hours (Business hours) Commitment: 48 business hours; aim: 36 business hours.');
    await expect(page.locator('.policy-matrix tbody th').first().textContent()).resolves.toBe('Priority High');
    await expect(page.locator('#severity-2 dd').first().textContent()).resolves.toBe('under 1 hour (Around the clock, every day)');
    await expectNoAxeViolations(page, 'agency policy 390px');
    await page.screenshot({ path: screenshotPath('policy-matrix-en-390.png'), fullPage: true });
    await page.close();
  });

  it('Mexico: the emergency target in and out of service hours; contact center: N/A and average restoration', async () => {
    const mexico = await start('mexico-correo-telefonia.yaml');
    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    await page.goto(`${mexico}/policy/`);
    await expect(page.locator('#severity-1-title').textContent()).resolves.toBe('Severidad 1 · Emergencia');
    await expect(page.locator('#severity-1 dd').allTextContents()).resolves.toEqual([
      '15 minutos hábiles (Horario hábil); fuera del horario de atención: 2 horas (Las 24 horas, todos los días)',
      'N/A (sin plazo)',
    ]);
    await page.goto(`${mexico}/en/policy/`);
    await expect(page.locator('#severity-1 dd').first().textContent()).resolves.toBe('15 business minutes (Business hours); outside support hours: 2 hours (Around the clock, every day)');
    await expectNoAxeViolations(page, 'mexico policy 390px');
    const center = await start('contact-center.yaml');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${center}/policy/`);
    await expect(page.locator('#severity-1 dd').allTextContents()).resolves.toEqual(['10 minutos (Las 24 horas, todos los días)', 'N/A (sin plazo)', '4 horas (información, no un compromiso)']);
    await expect(page.locator('#severity-4 dd').first().textContent()).resolves.toBe('1 día hábil (Horario hábil)');
    await expectNoAxeViolations(page, 'contact center policy 1280px');
    await page.screenshot({ path: screenshotPath('policy-contact-center-es-1280.png'), fullPage: true });
    await page.close();
  });

  it('e-commerce: each region with its hours and, for Brazil, its own severities', async () => {
    const url = await start('ecommerce-regiones.yaml');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/en/policy/`);
    await expect(page.locator('.policy-region > h3').allTextContents()).resolves.toEqual(['Brazil', 'Latin America', 'Asia-Pacific', 'United States', 'Europe, Middle East and Africa']);
    await expect(page.locator('#region-brasil-severity-1-title').textContent()).resolves.toBe('Brazil · Severity 1 · Critical');
    await expect(page.locator('#region-brasil-severity-1 dd').first().textContent()).resolves.toBe('30 minutes (Around the clock, every day)');
    await expect(page.locator('.policy-region').nth(3).locator('dd').first().textContent()).resolves.toBe('United States support (New York) (America/New_York)');
    await expectNoAxeViolations(page, 'regions policy 1280px');
    await page.setViewportSize({ width: 390, height: 900 });
    await expectNoAxeViolations(page, 'regions policy 390px');
    await page.screenshot({ path: screenshotPath('policy-regions-en-390.png'), fullPage: true });
    await page.close();
  });

  it('e-commerce: an incident in Brazil is named by Brazil\'s levels on the page, after a live refresh, and in the feed', async () => {
    const token = 'regions-browser-token-0123456789';
    const example = await startExample('ecommerce-regiones.yaml', { ADMIN_TOKEN: token });
    const { url: base, publisher } = example.vigia;
    const open = async (title: string, components: string[]) => {
      const res = await fetch(`${base}/api/admin/incidents`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title, severity: 3, message: 'Revisando.', components }) });
      expect(res.status, await res.clone().text()).toBe(201);
      await publisher.settled();
    };
    // Level 3 is "Normal" in Brazil's agreement and "Medio" in the policy the other regions follow.
    await open('Pix lento', ['pagos-br']);
    await open('Tienda lenta en Bogotá', ['tiendas-latam']);
    await example.vigia.site!.build('regional levels');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.clock.install();
    await page.goto(`${base}/`);
    const badge = (title: string) => page.locator('[data-live="incidents"] .incident', { hasText: title }).locator('.severity');
    await expect(badge('Pix lento').textContent()).resolves.toMatch(/3 · Normal\s*$/);
    await expect(badge('Pix lento').getAttribute('href')).resolves.toBe('/policy/#region-brasil-severity-3');
    await expect(badge('Tienda lenta en Bogotá').textContent()).resolves.toMatch(/3 · Medio\s*$/);
    await expect(badge('Tienda lenta en Bogotá').getAttribute('href')).resolves.toBe('/policy/#severity-3');
    // The badge's link lands on Brazil's own level.
    await badge('Pix lento').click();
    await page.waitForURL(/#region-brasil-severity-3$/);
    await expect(page.locator('#region-brasil-severity-3-title').textContent()).resolves.toBe('Brasil · Severidad 3 · Normal');

    // Drawn by the live refresh, a new one is named the same way.
    await page.goto(`${base}/`);
    await open('Boleto no se genera', ['pagos-br']);
    await page.clock.fastForward(61_000);
    await expect.poll(() => badge('Boleto no se genera').count()).toBe(1);
    await expect(badge('Boleto no se genera').textContent()).resolves.toMatch(/3 · Normal\s*$/);
    await expect(badge('Boleto no se genera').getAttribute('href')).resolves.toBe('/policy/#region-brasil-severity-3');
    await expectNoAxeViolations(page, 'regional levels on the home page');
    await page.screenshot({ path: screenshotPath('home-regional-levels.png'), fullPage: true });
    await page.close();

    // Feeds are published a little after a change: wait for all three incidents to be in it.
    const feed = () => fetch(`${base}/feed.atom`).then((r) => r.text());
    await expect.poll(async () => ((await feed()).match(/<entry>/g) ?? []).length, { timeout: 30_000 }).toBe(3);
    expect(await feed()).toMatch(/Pix lento[\s\S]*?Severidad 3 \(Normal\)/);
    expect(await feed()).toMatch(/Tienda lenta en Bogotá[\s\S]*?Severidad 3 \(Medio\)/);
  });
});
