import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, subscribers } from '../../db/schema/index.ts';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';

/** The whole subscription life, with JavaScript disabled: form → confirmation link → preferences → unsubscribe. */
describe('subscribing without JavaScript', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: 'subscribe-test-admin-token' } }));
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
  });

  it('subscribes, confirms, changes preferences and unsubscribes', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 900, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${vigia.url}/subscribe/`);
    await page.fill('input[name=email]', '  Cliente@Ejemplo.COM ');
    await page.check('input[name=components][value=correo-corporativo]');
    await page.screenshot({ path: screenshotPath('subscribe-form.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/subscribe\/sent\/?$/), page.locator('form[action^="/api/subscriptions"] button[type=submit]').click()]);

    const [row] = await vigia.database.db.select().from(subscribers).where(eq(subscribers.email, 'cliente@ejemplo.com'));
    expect(row?.status).toBe('pending');
    const [mail] = await vigia.database.db.select().from(outbox).where(eq(outbox.kind, 'subscription.confirm'));
    const confirmUrl = new URL(String(mail!.notice.confirmUrl));
    await page.goto(`${vigia.url}${confirmUrl.pathname}${confirmUrl.search}`);
    expect(await page.locator('body').textContent()).toMatch(/confirmad/i);
    const [confirmed] = await vigia.database.db.select().from(subscribers).where(eq(subscribers.id, row!.id));
    expect(confirmed?.status).toBe('confirmed');

    // The confirmation page links to the preferences page.
    const manage = page.locator('a[href*="/api/subscriptions/manage"]').first();
    await manage.click();
    await page.screenshot({ path: screenshotPath('subscribe-manage.png'), fullPage: true });
    await page.locator('form button[type=submit]').first().click();

    const unsubscribe = page.locator('a[href*="/api/subscriptions/unsubscribe"]').first();
    await unsubscribe.click();
    const [stillConfirmed] = await vigia.database.db.select().from(subscribers).where(eq(subscribers.id, row!.id));
    expect(stillConfirmed?.status).toBe('confirmed');
    await page.locator('form button[type=submit]').first().click();
    const [gone] = await vigia.database.db.select().from(subscribers).where(eq(subscribers.id, row!.id));
    expect(gone?.status).toBe('unsubscribed');
    await page.screenshot({ path: screenshotPath('subscribe-unsubscribed.png'), fullPage: true });
    await context.close();
  });

  it('from the Brazilian page, offers every language with Portuguese chosen, and confirms in Portuguese', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${vigia.url}/pt-br/subscribe/`);
    const options = page.locator('select[name=locale] option');
    expect(await options.evaluateAll((els) => els.map((o) => [(o as HTMLOptionElement).value, o.textContent, (o as HTMLOptionElement).selected]))).toEqual([
      ['es', 'Español', false],
      ['en', 'English', false],
      ['pt-BR', 'Português (Brasil)', true],
    ]);
    await page.fill('input[name=email]', 'joao@exemplo.com.br');
    await Promise.all([page.waitForURL(/\/pt-br\/subscribe\/sent\/?$/), page.locator('form[action^="/api/subscriptions"] button[type=submit]').click()]);
    const [row] = await vigia.database.db.select().from(subscribers).where(eq(subscribers.email, 'joao@exemplo.com.br'));
    expect(row?.locale).toBe('pt-BR');
    const [mail] = await vigia.database.db.select().from(outbox).where(eq(outbox.target, 'joao@exemplo.com.br'));
    expect(mail?.locale).toBe('pt-BR');
    const confirmUrl = new URL(String(mail!.notice.confirmUrl));
    await page.goto(`${vigia.url}${confirmUrl.pathname}${confirmUrl.search}`);
    expect(await page.locator('h1').textContent()).toBe('Assinatura confirmada');
    await context.close();
  });
});
