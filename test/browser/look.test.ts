import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia } from '../helpers/server.ts';

/**
 * The public page as a customer sees it, in real Chromium: what the banner says when providers cannot be read
 * (the demo config without internet has 5 such components), the order of what is open, languages, the 404 pages,
 * and axe-core with zero violations on every kind of page, in light and dark, at 390 and 1280 px.
 */
const TOKEN = 'browser-look-admin-token';
const WIDTHS = [390, 1280] as const;
const THEMES = ['light', 'dark'] as const;
const UNKNOWN = ['Correo corporativo (Rackspace)', 'Google Workspace', 'Microsoft 365', 'Telefonía y contact center (Genesys Cloud)', 'Tiendas en línea (VTEX)'];

describe('the public page in Chromium: truth, order, languages, contrast', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const ids = { critical: '', high: '', low: '', backDated: '', active: '', upcoming: '' };

  const admin = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${vigia.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
    return (await response.json()) as Record<string, any>;
  };

  const open = async (path: string, options: { width?: number; theme?: 'light' | 'dark'; javaScript?: boolean; locale?: string } = {}) => {
    const width = options.width ?? 1280;
    const page = await browser.newPage({
      viewport: { width, height: width === 390 ? 844 : 900 },
      colorScheme: options.theme ?? 'light',
      timezoneId: 'America/Bogota',
      // Chromium's Accept-Language follows the locale.
      locale: options.locale ?? 'es-CO',
      javaScriptEnabled: options.javaScript ?? true,
    });
    const response = await page.goto(`${vigia.url}${path}`);
    return { page, status: response?.status() };
  };

  /** axe-core on one page at both widths and in both themes (and a screenshot of each, to look at). */
  const axeEverywhere = async (path: string, name: string) => {
    for (const width of WIDTHS) {
      for (const theme of THEMES) {
        const { page } = await open(path, { width, theme });
        await expectNoAxeViolations(page, `${path} at ${width} px, ${theme}`);
        await page.screenshot({ path: screenshotPath(`look-${name}-${width}-${theme}.png`), fullPage: true });
        await page.close();
      }
    }
  };

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN } }));
    await vigia.site!.build('look test: nothing open');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
  });

  describe('with nothing open and 5 providers that cannot be read', () => {
    it('says so in the banner in words, with an icon, naming them; never "all operational"', async () => {
      const { page } = await open('/');
      const banner = page.locator('[data-live="banner"]');
      await expect(banner.getAttribute('data-state')).resolves.toBe('unknown');
      await expect(banner.locator('h1').textContent()).resolves.toBe('Estado desconocido de 5 servicios');
      const text = (await banner.textContent()) ?? '';
      for (const name of UNKNOWN) expect(text).toContain(name);
      expect(text).not.toContain('Todos los sistemas operativos');
      // Not by colour alone: a shape and words.
      const icon = await banner.evaluate((el) => getComputedStyle(el, '::before').getPropertyValue('mask-image') || getComputedStyle(el, '::before').getPropertyValue('-webkit-mask-image'));
      expect(icon).toMatch(/^url\("data:image\/svg\+xml/);
      await expect(page.locator('link[rel=icon]').getAttribute('href')).resolves.toBe('/favicons/unknown.svg');
      // The live script's hooks.
      expect(await page.locator('[data-live="checked"]').count()).toBe(1);
      expect(await page.locator('[data-live="incidents"]').count()).toBe(1);
      expect(await page.locator('[data-live="maintenance"]').count()).toBe(1);
      const strings = JSON.parse((await page.locator('script#vigia-strings').textContent()) ?? '{}');
      expect(strings.componentState.unknown).toBe('Estado desconocido');
      expect(strings.overall.unknown).toBe('Estado desconocido de {n} servicios');
      await expect(page.locator('[data-component-id="google-workspace"]').getAttribute('data-state')).resolves.toBe('unknown');
      await expect(page.locator('[data-component-id="google-workspace"] .state').textContent()).resolves.toBe('Estado desconocido');
      await page.close();

      for (const [path, headline] of [
        ['/en/', 'Some services cannot be checked (5)'],
        ['/pt-br/', 'Status desconhecido de 5 serviços'],
      ]) {
        const other = await open(path!);
        await expect(other.page.locator('[data-live="banner"] h1').textContent()).resolves.toBe(headline);
        await other.page.close();
      }
    });

    it('shows the services on the first screen of a 390 px phone', async () => {
      const { page } = await open('/', { width: 390 });
      await page.screenshot({ path: screenshotPath('look-home-unknown-390-light.png') });
      const heading = await page.locator('#services-title').boundingBox();
      expect(heading!.y).toBeLessThan(500);
      // Each service: name and state side by side, its 90-day bar on one row under them.
      const rows = page.locator('.component');
      const boxes = await Promise.all((await rows.all()).map((row) => row.boundingBox()));
      const onFirstScreen = boxes.filter((b) => b && b.y + b.height <= 844).length;
      console.log(`services on the first 390 × 844 screen: ${onFirstScreen} of ${boxes.length}`);
      expect(onFirstScreen).toBeGreaterThanOrEqual(4);
      await page.close();
    });

    // One page per test (four runs of axe-core each): on a busy 2-core machine a page takes up to half a minute.
    it.each([
      ['/', 'home-unknown'],
      ['/subscribe/', 'subscribe'],
      ['/pt-br/subscribe/', 'subscribe-pt-br'],
      ['/no-existe', '404'],
    ])('has no axe-core violations on %s, light and dark, 390 and 1280 px', async (path, name) => {
      await axeEverywhere(path, name);
    }, 120_000);

    it('answers an unknown page with the branded 404 page in the visitor language, with a way home', async () => {
      const es = await open('/no-existe');
      expect(es.status).toBe(404);
      await expect(es.page.locator('html').getAttribute('lang')).resolves.toBe('es');
      await expect(es.page.locator('h1').textContent()).resolves.toBe('Página no encontrada');
      await expect(es.page.locator('main a').first().getAttribute('href')).resolves.toBe('/');
      await expect(es.page.locator('.brand').textContent()).resolves.toContain('Nubeandina');
      await es.page.close();
      const en = await open('/en/incidents/does-not-exist/');
      expect(en.status).toBe(404);
      await expect(en.page.locator('h1').textContent()).resolves.toBe('Page not found');
      await expect(en.page.locator('main a').first().getAttribute('href')).resolves.toBe('/en/');
      await en.page.close();
      const pt = await open('/nada-aqui', { locale: 'pt-BR' });
      expect(pt.status).toBe(404);
      await expect(pt.page.locator('h1').textContent()).resolves.toBe('Página não encontrada');
      await pt.page.close();
    });
  });

  describe('with incidents and maintenance', () => {
    beforeAll(async () => {
      // Opened in the order 4, 1, 2: the page must show 1, 2, 4.
      ids.low = (await admin('/api/admin/incidents', { title: 'Lentitud en el panel', severity: 4, message: 'Algunas páginas tardan.', components: ['panel'] })).incident.id;
      ids.critical = (
        await admin('/api/admin/incidents', {
          title: 'Caída del hosting en Bogotá',
          severity: 1,
          status: 'identified',
          message: 'Los sitios alojados en Bogotá no responden.',
          components: ['hosting-bogota'],
        })
      ).incident.id;
      ids.high = (
        await admin('/api/admin/incidents', {
          title: 'Demoras en la entrega de correo',
          severity: 2,
          status: 'identified',
          message: 'Hasta 20 minutos de demora.',
          components: ['correo-corporativo'],
        })
      ).incident.id;
      // Opened today about yesterday's outage, resolved yesterday.
      const started = new Date(Date.now() - 26 * 3_600_000);
      ids.backDated = (
        await admin('/api/admin/incidents', { title: 'Corte de telefonía de ayer', severity: 3, message: 'Estamos investigando.', components: ['telefonia'], started_at: started.toISOString() })
      ).incident.id;
      await admin(`/api/admin/incidents/${ids.backDated}/updates`, {
        status: 'resolved',
        message: 'Resuelto: el proveedor restableció las troncales.',
        at: new Date(started.getTime() + 2 * 3_600_000).toISOString(),
      });
      const later = new Date(Date.now() + 30 * 3_600_000);
      ids.upcoming = (
        await admin('/api/admin/maintenances', {
          title: 'Actualización del panel de clientes',
          message: 'El panel no estará disponible.',
          starts_at: later.toISOString(),
          ends_at: new Date(later.getTime() + 2 * 3_600_000).toISOString(),
          component_ids: ['panel'],
        })
      ).maintenance.id;
      const soon = new Date(Date.now() + 9 * 3_600_000);
      ids.active = (
        await admin('/api/admin/maintenances', {
          title: 'Cambio de servidores de correo',
          message: 'Migramos los buzones.',
          starts_at: soon.toISOString(),
          ends_at: new Date(soon.getTime() + 2 * 3_600_000).toISOString(),
          component_ids: ['hosting-cdmx'],
        })
      ).maintenance.id;
      await admin(`/api/admin/maintenances/${ids.active}/start`);
      await vigia.site!.build('look test: incidents and maintenance');
    });

    it('orders the page: banner, open incidents by severity, components, maintenance in progress then upcoming, history', async () => {
      const { page } = await open('/');
      await expect(page.locator('[data-live="banner"] h1').textContent()).resolves.toBe('Interrupción mayor del servicio');
      const banner = (await page.locator('[data-live="banner"]').textContent()) ?? '';
      expect(banner).toContain('Afectados: Hosting web · Bogotá');
      expect(banner).toContain('Sin poder comprobar:');
      expect(await page.locator('[data-live="incidents"] .incident').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-severity')))).toEqual(['1', '2', '4']);
      // Visible sections only: with three open incidents, all are cards and the list of further ones stays hidden.
      const sections = await page
        .locator('main > section, main > .history-link')
        .evaluateAll((nodes) => nodes.filter((n) => !(n as HTMLElement).hidden).map((n) => n.getAttribute('data-live') ?? n.getAttribute('aria-labelledby') ?? n.className));
      expect(sections).toEqual(['banner', 'incidents', 'services-title', 'maintenance', 'history-link']);
      expect(await page.locator('[data-live="maintenance"] .maintenance').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-maintenance-id')))).toEqual([ids.active, ids.upcoming]);
      await expect(page.locator(`[data-maintenance-id="${ids.active}"]`).textContent()).resolves.toContain('Comenzó:');
      await expect(page.locator('link[rel=icon]').getAttribute('href')).resolves.toBe('/favicons/major_outage.svg');
      await page.close();
    });

    it('shows what a severity means and links it and every SLA line to the policy, explaining the clock', async () => {
      const { page } = await open('/');
      const card = page.locator(`[data-incident-id="${ids.critical}"]`);
      await expect(card.locator('a.severity').getAttribute('href')).resolves.toBe('/policy/#severity-1');
      await expect(card.locator('.severity-meaning').isVisible()).resolves.toBe(true);
      await expect(card.locator('.severity-meaning').textContent()).resolves.toBe('Caída total del servicio.');
      await expect(card.textContent()).resolves.toContain('El plazo cuenta las 24 horas, todos los días.');
      const high = page.locator(`[data-incident-id="${ids.high}"]`);
      await expect(high.textContent()).resolves.toContain('Solución estimada antes de');
      await expect(high.textContent()).resolves.toContain('El plazo cuenta solo en horario hábil; fuera de él, el reloj se detiene.');
      await expect(high.locator('.sla-block a').getAttribute('href')).resolves.toBe('/policy/#severity-2');
      await page.close();
    });

    it('reads a back-dated incident in time order, the latest by time first', async () => {
      const { page } = await open(`/incidents/${ids.backDated}/`);
      const entries = await page.locator('.timeline li strong').allTextContents();
      expect(entries).toEqual(['Resuelto', 'Investigando']);
      await page.close();
    });

    it('marks content in another language than the page with lang', async () => {
      const { page } = await open('/en/');
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await expect(page.locator(`[data-incident-id="${ids.critical}"] h3 a`).getAttribute('lang')).resolves.toBe('es');
      await expect(page.locator(`[data-incident-id="${ids.critical}"] .latest`).getAttribute('lang')).resolves.toBe('es');
      await expect(page.locator('[data-component-id="panel"] .component-name').getAttribute('lang')).resolves.toBe('es');
      await expect(page.locator('.brand').textContent()).resolves.toContain('Nubeandina · Service status');
      // The language switch names each language in itself.
      await expect(page.locator('.site-header nav a[hreflang="pt-BR"]').getAttribute('lang')).resolves.toBe('pt-BR');
      await page.close();
      const es = await open('/');
      // On the Spanish page, Spanish text carries no lang of its own.
      await expect(es.page.locator(`[data-incident-id="${ids.critical}"] h3 a`).getAttribute('lang')).resolves.toBeNull();
      await es.page.close();
      const pt = await open(`/pt-br/incidents/${ids.critical}/`);
      await expect(pt.page.locator('html').getAttribute('lang')).resolves.toBe('pt-BR');
      await expect(pt.page.locator('h1').getAttribute('lang')).resolves.toBe('es');
      await expect(pt.page.locator('a.severity').textContent()).resolves.toContain('Crítico');
      await expect(pt.page.locator('.brand').textContent()).resolves.toContain('Status dos serviços');
      await pt.page.close();
    });

    it('uses one date format per language, for the provider time and the visitor local time alike', async () => {
      // A visitor in another zone gets their own time next to the provider's, in the same format.
      const far = await browser.newPage({ timezoneId: 'Europe/Madrid', locale: 'en-US' });
      await far.goto(`${vigia.url}/en/incidents/${ids.critical}/`);
      const provider = (await far.locator('.facts time').first().textContent()) ?? '';
      const viewer = ((await far.locator('.facts .viewer-time').first().textContent()) ?? '').replace(/^ \(your local time: |\)$/g, '');
      // Same parts in the same order (weekday, month, day, year, time, zone); only the values differ.
      const shape = (text: string) => text.replace(/\d+/g, '9').replace(/[A-Za-z]+([+-]9(:9)?)?/g, 'W');
      expect(viewer).not.toBe('');
      expect(shape(viewer)).toBe(shape(provider));
      await far.close();
    });

    it.each([
      ['/', 'home'],
      ['/en/', 'home-en'],
      ['/incidents/{critical}/', 'incident'],
      ['/pt-br/incidents/{backDated}/', 'incident-pt-br'],
      ['/maintenances/{active}/', 'maintenance'],
    ])('has no axe-core violations on %s with incidents and maintenance, light and dark, 390 and 1280 px', async (path, name) => {
      await axeEverywhere(path.replace(/\{(\w+)\}/, (_, key: string) => ids[key as keyof typeof ids]), name);
    }, 120_000);

    it('is readable without JavaScript', async () => {
      const { page } = await open('/', { javaScript: false, width: 390 });
      await expect(page.locator('[data-live="banner"] h1').textContent()).resolves.toBe('Interrupción mayor del servicio');
      expect(await page.locator('.incident').count()).toBe(3);
      await page.screenshot({ path: screenshotPath('look-home-nojs-390.png'), fullPage: true });
      await page.close();
    });
  });
});

