import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../worker/config/load.ts';
import { ROOT_DIR } from '../../worker/server.ts';
import { insertChannelSubscription } from '../../worker/subscribers/channel-store.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'browser-channels-token-0123456789';
const EDITOR = { email: 'editora@agencia.example', password: 'clave de la editora' };
const SLACK = 'https://hooks.slack.com/services/T0AGENCIA/B0AGENCIA/slackSecretDelEquipo';
const DISCORD = 'https://discord.com/api/webhooks/998877/discordSecretoDelCanal';
const WEBHOOK = 'https://hooks.agencia.example/vigia?token=webhookTokenSecreto';
const SECRETS = ['slackSecretDelEquipo', 'discordSecretoDelCanal', 'webhookTokenSecreto'];

/**
 * The agency's console (a priority × impact policy whose config file declares its own incident templates): the
 * subscribers screen lists webhook and chat subscriptions beside e-mail ones and filters them by channel, and an
 * incident is opened from one of the config's templates; in Spanish and English, at 1280 and 390 px.
 */
describe('admin console: subscribers by channel and incident templates from the config, in Chromium', () => {
  let vigia: TempVigia;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  async function signedIn(path: string, width: number, ready: string, english: boolean): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'America/Argentina/Buenos_Aires' });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${vigia.vigia.url}${path}`);
    await page.waitForSelector('#signin-form');
    // The language is the account's, so each test picks its own on the sign-in page (Spanish is picked by choosing
    // English and then Spanish: choosing the language already shown changes nothing).
    await page.selectOption('#admin-lang', 'en');
    await page.waitForSelector('html[lang=en] #signin-form');
    if (!english) {
      await page.selectOption('#admin-lang', 'es');
      await page.waitForSelector('html[lang=es] #signin-form');
    }
    await page.fill('#signin-form [name=email]', EDITOR.email);
    await page.fill('#signin-form [name=password]', EDITOR.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector(ready);
    return page;
  }

  const totalIs = (page: Page, text: string) => page.waitForFunction((expected) => document.getElementById('subscriber-total')?.textContent === expected, text);
  const search = async (page: Page, channel: string, status = '') => {
    await page.selectOption('#subscriber-channel', channel);
    await page.selectOption('#subscriber-status', status);
    await page.click('#subscriber-filter button[type=submit]');
  };

  beforeAll(async () => {
    vigia = await startTempVigia({ config: loadConfigFile(join(ROOT_DIR, 'examples/policies/agencia-web-matriz.yaml')), env: { ADMIN_TOKEN: TOKEN } });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${vigia.vigia.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
    };
    await post('/api/admin/accounts', { ...EDITOR, name: 'Editora', role: 'editor' });
    await post('/api/admin/subscribers/import', { subscribers: [{ email: 'cliente@tienda.example', components: ['tiendas'] }] });
    // A Slack channel that works, a Discord one whose deliveries fail, and a webhook switched off after failures.
    const now = new Date();
    const base = { locale: 'es' as const, timezone: 'America/Argentina/Buenos_Aires', createdAt: now, updatedAt: now };
    const db = vigia.vigia.database.db;
    await insertChannelSubscription(db, { ...base, id: 'chan-slack', channel: 'slack', url: SLACK, status: 'confirmed', confirmedAt: now }, ['tiendas']);
    await insertChannelSubscription(db, { ...base, id: 'chan-discord', channel: 'discord', url: DISCORD, status: 'confirmed', confirmedAt: now, failureCount: 3, failingSince: new Date(now.getTime() - 3_600_000) }, []);
    await insertChannelSubscription(
      db,
      { ...base, id: 'chan-webhook', channel: 'webhook', url: WEBHOOK, status: 'disabled', disabledAt: now, disabledReason: 'the receiver answered 410 Gone', signingSecret: 'whsec_c2VjcmV0bw==' },
      ['formularios'],
    );
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await vigia?.close();
  });

  it('lists e-mail, chat and webhook subscribers, filters them by channel and state, and removes one', async () => {
    const page = await signedIn('/admin/subscribers/', 1280, '#subscribers [data-channel-subscription-id]', false);
    await totalIs(page, '4 suscriptores.');
    const html = await page.content();
    for (const secret of SECRETS) expect(html).not.toContain(secret);
    await expect(page.locator('#subscribers [data-channel-subscription-id="chan-slack"] code').textContent()).resolves.toBe('https://hooks.slack.com/services/T0AGENCIA/B0AGENCIA/redacted');

    await search(page, 'slack');
    await totalIs(page, '1 suscriptor.');
    const slack = page.locator('#subscribers [data-channel-subscription-id="chan-slack"]');
    await expect(slack.locator('td').nth(1).textContent()).resolves.toBe('Slack');
    await expect(slack.locator('td').nth(2).textContent()).resolves.toBe('Activo');
    await expect(slack.locator('td').nth(3).textContent()).resolves.toBe('Tiendas en línea');
    // The export is the e-mail subscribers': no link while only a chat channel is shown.
    await expect(page.locator('#subscriber-export').isHidden()).resolves.toBe(true);

    await search(page, 'email');
    await totalIs(page, '1 suscriptor.');
    await expect(page.locator('#subscribers [data-subscriber-id] td').first().textContent()).resolves.toBe('cliente@tienda.example');
    await expect(page.locator('#subscriber-export').isVisible()).resolves.toBe(true);

    await search(page, '', 'failing');
    await totalIs(page, '1 suscriptor.');
    const discord = page.locator('#subscribers [data-channel-subscription-id="chan-discord"]');
    await expect(discord.locator('td').nth(2).textContent()).resolves.toMatch(/^Con entregas fallidas3 entregas fallidas desde /);

    await search(page, 'webhook');
    await totalIs(page, '1 suscriptor.');
    const webhook = page.locator('#subscribers [data-channel-subscription-id="chan-webhook"]');
    await expect(webhook.locator('td').nth(2).textContent()).resolves.toMatch(/^Desactivadothe receiver answered 410 Gone · /);
    await expectNoAxeViolations(page, 'subscribers by channel at 1280 px');
    await page.screenshot({ path: screenshotPath('admin-subscribers-channels-1280.png'), fullPage: true });

    await search(page, 'discord');
    await totalIs(page, '1 suscriptor.');
    await page.click('#subscribers [data-channel-subscription-id="chan-discord"] button');
    await totalIs(page, '0 suscriptores.');
    const { total } = (await (await fetch(`${vigia.vigia.url}/api/admin/subscribers/channels`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { total: number };
    expect(total).toBe(2);
    await page.context().close();
  });

  it('shows the channels in English on a 390 px phone, without sideways scrolling', async () => {
    const page = await signedIn('/admin/subscribers/', 390, 'html[lang=en] #subscribers [data-channel-subscription-id]', true);
    await totalIs(page, '3 subscribers.');
    await expect(page.locator('#subscriber-channel option').allTextContents()).resolves.toEqual(['All', 'E-mail', 'Webhook', 'Slack', 'Microsoft Teams', 'Discord', 'Google Chat']);
    await expect(page.locator('#subscribers [data-channel-subscription-id="chan-webhook"] td').nth(2).textContent()).resolves.toMatch(/^Disabled/);
    await expect(page.locator('#subscribers [data-channel-subscription-id="chan-slack"] td').nth(2).textContent()).resolves.toBe('Active');
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await expectNoAxeViolations(page, 'subscribers by channel in English at 390 px');
    await page.screenshot({ path: screenshotPath('admin-subscribers-channels-en-390.png'), fullPage: true });
    await page.context().close();
  });

  it('opens an incident from a template of the config file: its text, its priority and impact, and its components', async () => {
    const page = await signedIn('/admin/incidents/', 1280, '#template[data-loaded]', false);
    await expect(page.locator('#template option').allTextContents()).resolves.toEqual([
      'Sin plantilla',
      'Tiendas en línea sin servicio',
      'Demora en los formularios de contacto',
      'Lentitud en los sitios de clientes',
    ]);
    await page.selectOption('#template', { label: 'Tiendas en línea sin servicio' });
    await expect(page.inputValue('#incident-form input[name=title]')).resolves.toBe('Tiendas en línea sin servicio');
    await expect(page.inputValue('#incident-form textarea[name=message]')).resolves.toMatch(/^Las tiendas en línea de nuestros clientes no responden/);
    await expect(page.inputValue('#incident-form select[name=priority]')).resolves.toBe('alta');
    await expect(page.inputValue('#incident-form select[name=impact]')).resolves.toBe('alto');
    const ticked = await page.locator('#incident-form input[name=components]:checked').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
    expect(ticked).toEqual(['tiendas']);
    await expectNoAxeViolations(page, 'incident from a template at 1280 px');
    await page.click('#incident-form button[type=submit]');
    const row = page.locator('#incidents [data-incident-id]');
    await row.waitFor();
    await expect(row.locator('td').first().textContent()).resolves.toBe('Tiendas en línea sin servicio');
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('1 · Alta · alto impacto');
    await page.screenshot({ path: screenshotPath('admin-incident-config-template-1280.png'), fullPage: true });
    await page.context().close();

    const { incidents } = (await (await fetch(`${vigia.vigia.url}/api/admin/incidents?status=open`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      incidents: { name: string; severity: number; components: { id: string }[] }[];
    };
    expect(incidents).toMatchObject([{ name: 'Tiendas en línea sin servicio', severity: 1, components: [{ id: 'tiendas' }] }]);
  });

  it('offers the config’s templates in English on a 390 px phone', async () => {
    const page = await signedIn('/admin/incidents/', 390, 'html[lang=en] #template[data-loaded]', true);
    await expect(page.locator('#template option').allTextContents()).resolves.toEqual(['No template', 'Online shops unavailable', 'Contact forms are delayed', 'Slow customer sites']);
    await page.selectOption('#template', { label: 'Slow customer sites' });
    await expect(page.inputValue('#incident-form input[name=title]')).resolves.toBe('Slow customer sites');
    await expect(page.inputValue('#incident-form select[name=priority]')).resolves.toBe('baja');
    await expect(page.inputValue('#incident-form select[name=impact]')).resolves.toBe('medio');
    // The open incident's level, named in English by the shared level names.
    await page.waitForSelector('#incidents [data-incident-id]');
    await expect(page.locator('#incidents [data-incident-id] td').nth(1).textContent()).resolves.toBe('1 · High · high impact');
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await expectNoAxeViolations(page, 'incident templates in English at 390 px');
    await page.screenshot({ path: screenshotPath('admin-incident-config-template-en-390.png'), fullPage: true });
    await page.context().close();
  });
});
