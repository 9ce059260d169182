import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { parseConfigText } from '../../worker/config/load.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia } from '../helpers/server.ts';

const TOKEN = 'uptime-browser-test-token';
const text = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('uptime bars, component pages and history in Chromium', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let clock = new Date('2026-08-01T12:00:00Z');
  const ids = {} as { outage: string; partial: string; slow: string; phones: string; window: string; first: string; last: string };
  // Names with no place to break, on days in the first and the last column of the day grid at 390 px (11 columns) and
  // 320 px (8 columns): 19 Nov is the 89th day, 18 Nov the 88th.
  const LONG = { first: 'Reinicio_programado_del_servidor_de_correo_entrante_y_saliente_region_norte', last: 'Actualizacion_del_filtro_antispam_de_todos_los_buzones_corporativos_y_personales' };

  beforeAll(async () => {
    // The components come into being on 1 Aug; everything else is recorded on Friday 20 Nov 2026, 12:00 in Bogotá.
    // Telefonía joins the Hosting group, so that group has two members to roll up.
    // Brazilian Portuguese is offered too.
    const yaml = TEST_CONFIG_YAML.replace('{ id: telefonia, name: Telefonía,', '{ id: telefonia, name: Telefonía, group: Hosting,').replace('locales: [es, en]', 'locales: [es, en, pt-BR]');
    const config = parseConfigText(yaml, 'test.config.yaml');
    ({ vigia, close: stop } = await startTempVigia({ config, now: () => new Date(clock), env: { ADMIN_TOKEN: TOKEN } }));
    const admin = async (path: string, body: unknown) => {
      const response = await fetch(`${vigia.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, `${path}: ${await response.clone().text()}`).toBe(201);
      return (await response.json()) as any;
    };
    const open = async (title: string, severity: number, component: string, startedAt: string, resolvedAt?: string) => {
      const { incident } = await admin('/api/admin/incidents', { title, severity, message: 'Investigamos.', components: [component], started_at: startedAt });
      if (resolvedAt) await admin(`/api/admin/incidents/${incident.id}/updates`, { status: 'resolved', message: 'Resuelto.', at: resolvedAt });
      return incident.id as string;
    };
    clock = new Date('2026-11-01T12:00:00Z');
    ids.window = (
      await admin('/api/admin/maintenances', {
        title: 'Cambio de discos',
        message: 'Sin servicio durante la ventana.',
        starts_at: '2026-11-15T01:00:00-05:00',
        ends_at: '2026-11-15T03:00:00-05:00',
        component_ids: ['hosting'],
      })
    ).maintenance.id;
    // Google Workspace (feeding Correo) cannot be read (nothing listens at its address): its first poll, on 18 Nov at
    // 10:00 in Bogotá, makes it unknown until it is paused at 15:00; resumed on 20 Nov at 11:00, unknown again.
    const source = async (path: string) => {
      const response = await fetch(`${vigia.url}/api/admin/sources/gws${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status, path).toBe(200);
    };
    clock = new Date('2026-11-18T15:00:00Z');
    await source('/poll');
    clock = new Date('2026-11-18T20:00:00Z');
    await source('/pause');
    clock = new Date('2026-11-20T16:00:00Z');
    await source('/resume');
    clock = new Date('2026-11-20T17:00:00Z');
    ids.first = await open(LONG.first, 4, 'correo', '2026-11-19T09:00:00-05:00', '2026-11-19T09:30:00-05:00');
    ids.last = await open(LONG.last, 4, 'correo', '2026-11-18T16:00:00-05:00', '2026-11-18T16:30:00-05:00');
    ids.outage = await open('Caída del hosting', 1, 'hosting', '2026-11-10T10:00:00-05:00', '2026-11-10T12:00:00-05:00');
    ids.partial = await open('Hosting intermitente', 2, 'hosting', '2026-11-17T10:00:00-05:00', '2026-11-17T11:00:00-05:00');
    ids.slow = await open('Correo lento', 3, 'correo', '2026-10-05T09:00:00-05:00', '2026-10-05T18:00:00-05:00');
    ids.phones = await open('Llamadas cortadas', 2, 'telefonia', '2026-11-20T11:00:00-05:00');
    // Heavy documents (uptime, history) are throttled under a stream of writes: publish them now.
    await vigia.publisher.rebuildNow();
    await vigia.site!.build('uptime browser test');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
  });

  const cell = (page: Page, row: string, date: string) => page.locator(`[data-uptime-id="${row}"] [data-date="${date}"]`);
  // On the home page every day is a bare cell: find a day by its place among the 90 (the first is 23 Aug).
  const nthDay = (page: Page, row: string, date: string) =>
    page.locator(`[data-uptime-id="${row}"] .bar > .day`).nth((Date.parse(date) - Date.parse('2026-08-23')) / 86_400_000);

  it('colours each day by its worst state, with the figures computed by hand (es, 1280 px)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${vigia.url}/`);
    const hosting = page.locator('[data-component-id="hosting"]');
    expect(await hosting.locator('.uptime .day').count()).toBe(90);
    const expected: [string, string, string][] = [
      ['2026-11-10', 'major_outage', 'Caída total'],
      ['2026-11-15', 'under_maintenance', 'Mantenimiento'],
      ['2026-11-17', 'partial_outage', 'Caída parcial'],
      ['2026-11-16', 'operational', 'Sin incidentes'],
    ];
    for (const [date, state, label] of expected) {
      const day = nthDay(page, 'hosting', date);
      expect(await day.evaluate((el) => el.className), date).toBe(`day d-${{ major_outage: 'x', under_maintenance: 'm', partial_outage: 'p', operational: 'o' }[state]}`);
      // Each cell has its legend entry's colour and pattern.
      const swatch = page.locator('.uptime-legend li', { hasText: label }).locator('.day');
      const look = (l: typeof day) => l.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).backgroundImage]);
      expect(await look(day), date).toEqual(await look(swatch));
    }
    const className = (row: string, date: string) => nthDay(page, row, date).evaluate((el) => el.className);
    expect(await className('correo', '2026-10-05')).toBe('day d-d');
    // The days Google Workspace could not be read are their own kind, with their own legend entry, look and words.
    for (const date of ['2026-11-18', '2026-11-20']) {
      const day = nthDay(page, 'correo', date);
      expect(await className('correo', date), date).toBe('day d-u');
      const swatch = page.locator('.uptime-legend li', { hasText: 'Sin datos del proveedor' }).locator('.day');
      const look = (l: typeof day) => l.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).backgroundImage]);
      expect(await look(day), date).toEqual(await look(swatch));
    }
    // Between the pause and the resume the page did not show Correo unknown: that day is not grey.
    expect(await className('correo', '2026-11-19')).toBe('day d-o');
    expect(text(await page.locator('.uptime-legend p.muted').textContent())).toContain('El tiempo sin datos del proveedor no cuenta ni como disponible ni como caído.');
    expect(await className('telefonia', '2026-11-20')).toBe('day d-p');
    // The looks of the seven kinds of day differ.
    const colours = await page.locator('.uptime-legend .day').evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor + getComputedStyle(el).backgroundImage));
    expect(new Set(colours).size).toBe(7);
    // Hosting, 30 days: 708 h, 2 h of maintenance left out, 3 h of outage → 703/706 = 99.575 %; 90 days: 2,143/2,146 = 99.860 %.
    const share = (row: string, days: number) => page.locator(`[data-uptime-id="${row}"] .uptime-share[data-days="${days}"]`).textContent().then(text);
    expect(await share('hosting', 30)).toBe('99,57% en 30 días');
    expect(await share('hosting', 90)).toBe('99,86% en 90 días');
    // Telefonía: 1 h open since 11:00 → 707/708 = 99.858 % and 2,147/2,148 = 99.953 %.
    expect(await share('telefonia', 30)).toBe('99,85% en 30 días');
    expect(await share('telefonia', 90)).toBe('99,95% en 90 días');
    // Severity 3 is not an outage: the day is coloured, the figure stays whole; the unread hours count neither way.
    expect(await share('correo', 30)).toBe('100,00% en 30 días');
    // The Hosting group (hosting and telefonía) rolls up: worst state per day, the mean of the members' figures.
    expect(await className('group-hosting', '2026-11-10')).toBe('day d-x');
    expect(await className('group-hosting', '2026-11-20')).toBe('day d-p');
    expect(await share('group-hosting', 30)).toBe('99,71% en 30 días'); // (0.995750 + 0.998587) / 2
    expect(await share('group-hosting', 90)).toBe('99,90% en 90 días'); // (0.998602 + 0.999534) / 2
    // A group of one (Correo) shows no bar of its own: it would repeat its member's.
    expect(await page.locator('[data-uptime-id="group-correo"]').count()).toBe(0);
    // The component name leads to its page.
    expect(await hosting.locator('a.component-name').getAttribute('href')).toBe('/components/hosting/');
    // On the home page the whole bar is one link to the day-by-day page, where each day is told: its cells carry
    // nothing but their state's class.
    expect(await page.locator('.bar-thin .day[title], .bar-thin .day[data-date], .bar-thin .day[data-state]').count()).toBe(0);
    expect(await hosting.locator('a.bar').getAttribute('href')).toBe('/components/hosting/');
    expect(text(await hosting.locator('a.bar').textContent())).toBe('Ver el detalle por día de Hosting web');
    await page.screenshot({ path: screenshotPath('uptime-home-es-1280.png'), fullPage: true });
    // There, a day names its date and state on hover, a day without the provider's status saying it is not counted.
    await page.goto(`${vigia.url}/components/correo/`);
    expect(await cell(page, 'correo', '2026-11-20').getAttribute('data-state')).toBe('provider_unknown');
    expect(await cell(page, 'correo', '2026-11-20').getAttribute('title')).toBe('20 de nov de 2026 · Sin datos del proveedor (no cuenta en la disponibilidad)');
    expect(await cell(page, 'correo', '2026-10-05').getAttribute('data-state')).toBe('degraded_performance');
    await page.close();
  });

  it('opens a day’s details with the keyboard alone and follows its link', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${vigia.url}/`);
    const tabTo = async (target: ReturnType<Page['locator']>) => {
      for (let k = 0; k < 80; k++) {
        await page.keyboard.press('Tab');
        if (await target.evaluate((el) => el === document.activeElement)) return true;
      }
      return false;
    };
    // From the home page, the bar is one stop that leads to the component's days.
    expect(await tabTo(page.locator('[data-component-id="hosting"] a.bar'))).toBe(true);
    await Promise.all([page.waitForURL('**/components/hosting/'), page.keyboard.press('Enter')]);
    const target = cell(page, 'hosting', '2026-11-10');
    expect(await tabTo(target.locator('summary'))).toBe(true);
    await page.keyboard.press('Enter');
    const pop = target.locator('.day-pop');
    await expect(pop.isVisible()).resolves.toBe(true);
    expect(text(await pop.textContent())).toContain('Caída del hosting');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Caída del hosting');
    await page.screenshot({ path: screenshotPath('uptime-keyboard.png') });
    await Promise.all([page.waitForURL(`**/incidents/${ids.outage}/`), page.keyboard.press('Enter')]);
    expect(text(await page.locator('h1').textContent())).toContain('Caída del hosting');
    await page.close();
  });

  it('reads without JavaScript: a day opens by a tap, and the component page lists incidents and windows', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${vigia.url}/components/hosting/`);
    expect(text(await page.locator('h1').textContent())).toBe('Hosting web');
    expect(text(await page.locator('.component-now').textContent())).toBe('Estado actual: Operativo');
    expect(text(await page.locator('.uptime-figures').textContent())).toBe('99,57% en 30 días · 99,86% en 90 días (y 2 h de mantenimiento aparte)');
    const maintenanceDay = cell(page, 'hosting', '2026-11-15');
    await maintenanceDay.locator('summary').tap();
    expect(text(await maintenanceDay.locator('.day-pop').textContent())).toContain('Mantenimiento: Cambio de discos');
    const incidents = await page.locator('#component-incidents ~ .event-list .event-name').allTextContents();
    expect(incidents).toEqual(['Hosting intermitente', 'Caída del hosting']);
    expect(await page.locator('#component-maintenance ~ .event-list .event-name').allTextContents()).toEqual(['Cambio de discos']);
    await page.screenshot({ path: screenshotPath('uptime-component-es-390-nojs.png'), fullPage: true });
    await context.close();
  });

  it('keeps a day’s details inside the card and the screen, for days in the first and the last column (390 and 320 px)', async () => {
    for (const width of [390, 320]) {
      const context = await browser.newContext({ viewport: { width, height: 844 }, hasTouch: true, isMobile: true });
      const page = await context.newPage();
      await page.goto(`${vigia.url}/components/correo/`);
      const bar = (await page.locator('[data-uptime-id="correo"] .bar').boundingBox())!;
      const card = (await page.locator('.card', { has: page.locator('[data-uptime-id="correo"]') }).boundingBox())!;
      for (const [date, name, edge] of [['2026-11-19', LONG.first, 'left'], ['2026-11-18', LONG.last, 'right']] as const) {
        const day = cell(page, 'correo', date);
        const summary = (await day.locator('summary').boundingBox())!;
        // The day really sits at that edge of the grid (else this checks nothing).
        if (edge === 'left') expect(summary.x - bar.x, `${width} ${date}`).toBeLessThan(1);
        else expect(bar.x + bar.width - (summary.x + summary.width), `${width} ${date}`).toBeLessThan(summary.width);
        await day.locator('summary').tap();
        const pop = day.locator('.day-pop');
        expect(text(await pop.textContent())).toContain(name);
        const box = (await pop.boundingBox())!;
        expect(box.x, `${width} ${date}`).toBeGreaterThanOrEqual(card.x);
        expect(box.x + box.width, `${width} ${date}`).toBeLessThanOrEqual(card.x + card.width);
        // Its text stays inside it too: a long name wraps instead of running past the edge of the screen.
        expect(await pop.evaluate((el) => el.scrollWidth - el.clientWidth), `${width} ${date}`).toBe(0);
        const link = (await pop.locator('a').boundingBox())!;
        expect(link.x + link.width, `${width} ${date}`).toBeLessThanOrEqual(box.x + box.width);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${width} ${date}`).toBeLessThanOrEqual(width);
      }
      await page.screenshot({ path: screenshotPath(`uptime-popover-${width}.png`), fullPage: true });
      await context.close();
    }
  });

  it('pages the history by month and links every incident to its page (en, pt-BR)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${vigia.url}/en/history/`);
    expect(text(await page.locator('h1').textContent())).toBe('Incidents in November 2026');
    // The compact list's own styles reach a page that has no uptime bar.
    expect(await page.locator('.event-list').first().evaluate((el) => getComputedStyle(el).listStyleType)).toBe('none');
    expect(await page.locator('.event-list').first().locator('.event-name').allTextContents()).toEqual(['Llamadas cortadas', LONG.first, LONG.last, 'Hosting intermitente', 'Caída del hosting']);
    expect(await page.locator('.months li').allTextContents().then((l) => l.map(text))).toEqual([
      'November 2026 (5 incidents)',
      'October 2026 (1 incident)',
      'September 2026 (0 incidents)',
      'August 2026 (0 incidents)',
    ]);
    await Promise.all([page.waitForURL('**/en/history/2026-10/'), page.locator('a[rel="next"]').click()]);
    expect(text(await page.locator('h1').textContent())).toBe('Incidents in October 2026');
    await Promise.all([page.waitForURL(`**/en/incidents/${ids.slow}/`), page.locator('.event-list a', { hasText: 'Correo lento' }).click()]);
    expect(text(await page.locator('h1').textContent())).toContain('Correo lento');
    await page.goto(`${vigia.url}/en/components/telefonia/`);
    expect(text(await page.locator('.uptime-figures').textContent())).toBe('99.85% over 30 days · 99.95% over 90 days');
    await page.goto(`${vigia.url}/pt-br/history/2026-10/`);
    expect(text(await page.locator('h1').textContent())).toBe('Incidentes de outubro de 2026');
    await page.goto(`${vigia.url}/pt-br/components/hosting/`);
    expect(text(await page.locator('.uptime-figures').textContent())).toBe('99,57% em 30 dias · 99,86% em 90 dias (e 2 h de manutenção à parte)');
    await page.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [390, 1280]) {
      it(`has no axe-core violations on the component and history pages (${colorScheme}, ${width} px)`, async () => {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
        const pages: [string, string, [string, string] | null][] = [
          ['component', '/components/hosting/', ['hosting', '2026-11-10']],
          ['history', '/history/2026-11/', null],
          ['component-en', '/en/components/telefonia/', ['telefonia', '2026-11-20']],
        ];
        for (const [name, path, day] of pages) {
          await page.goto(`${vigia.url}${path}`);
          // Open a day so that its details are checked too.
          if (day) await cell(page, day[0], day[1]).locator('summary').click();
          await expectNoAxeViolations(page, `${path} ${colorScheme} ${width}`);
          await page.screenshot({ path: screenshotPath(`uptime-${name}-${colorScheme}-${width}.png`), fullPage: true });
        }
        await page.close();
      });
    }
  }
});
