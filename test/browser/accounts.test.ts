/**
 * Accounts in the console, in Chromium: signing in (a wrong password refused, the lock-out, the TOTP step), a
 * viewer who can change nothing (in the console and through the API), CSRF and missing sessions refused, an API token
 * that stops working once revoked, and the audit log naming each actor; the new screens at 1280 and 390 px.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpStep } from '../../worker/accounts/totp.ts';
import type { RunningVigia } from '../../worker/server.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia } from '../helpers/server.ts';

const TOKEN = 'accounts-browser-token-0123456789';
const PEOPLE = {
  owner: { email: 'olga@example.com', password: 'clave de olga larga', name: 'Olga', role: 'owner' },
  editor: { email: 'elias@example.com', password: 'clave de elías larga', name: 'Elías', role: 'editor' },
  viewer: { email: 'vera@example.com', password: 'clave de vera larga', name: 'Vera', role: 'viewer' },
  locked: { email: 'lucas@example.com', password: 'clave de lucas larga', name: 'Lucas', role: 'editor' },
  twoStep: { email: 'tomas@example.com', password: 'clave de tomás larga', name: 'Tomás', role: 'editor' },
} as const;
type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

describe('accounts in the admin console', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const api = (path: string, init: RequestInit = {}, token = TOKEN) =>
    fetch(`${vigia.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN } }));
    for (const person of Object.values(PEOPLE)) expect((await api('/api/admin/accounts', { method: 'POST', body: JSON.stringify(person) })).status).toBe(201);
    await vigia.site!.build('accounts browser test');
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stop?.();
  });

  async function fillSignIn(page: Page, email: string, password: string) {
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form [name=email]', email);
    await page.fill('#signin-form [name=password]', password);
    await page.click('#signin-form button[type=submit]');
  }

  /** A browser (context) signed in as `person`, with a page open at `path` once `ready` shows. */
  async function signedIn(person: Person, path = '/admin/', ready = 'h1', width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'America/Bogota' });
    const page = await context.newPage();
    await page.goto(`${vigia.url}${path}`);
    await fillSignIn(page, person.email, person.password);
    await page.waitForURL(`${vigia.url}${path}`);
    await page.waitForSelector(ready);
    return { context, page };
  }

  const signInError = (page: Page) => page.waitForFunction(() => document.getElementById('signin-error')?.textContent).then(() => page.locator('#signin-error').textContent());

  it('refuses a wrong password, then locks the account out from this address after repeated failures', async () => {
    const page = await browser.newPage();
    await page.goto(`${vigia.url}/admin/sign-in/`);
    for (let i = 0; i < 5; i++) {
      await page.evaluate(() => (document.getElementById('signin-error')!.textContent = ''));
      await fillSignIn(page, PEOPLE.locked.email, `mala clave ${i}`);
      await expect(signInError(page)).resolves.toBe('El correo o la contraseña (o el código) no son correctos.');
    }
    await page.evaluate(() => (document.getElementById('signin-error')!.textContent = ''));
    await fillSignIn(page, PEOPLE.locked.email, PEOPLE.locked.password);
    await expect(signInError(page)).resolves.toBe('Demasiados intentos fallidos con esta cuenta. Espere 1 min y vuelva a intentarlo.');
    expect(page.url()).toBe(`${vigia.url}/admin/sign-in/`);
    await page.close();
  });

  it('turns on two-step sign-in in the account page, then asks for the code when signing in', async () => {
    const { context, page } = await signedIn(PEOPLE.twoStep, '/admin/account/', '#totp-start:not([hidden])');
    await page.click('#totp-start');
    const secret = (await page.locator('#totp-secret').textContent())!;
    // The confirmation spends the current step's code; a code is good for one step either side of the server's, once.
    const confirmedStep = totpStep(new Date());
    const codeAt = (step: number) => hotp(base32Decode(secret), step);
    // A step after the confirmed one, so the sign-in's code is not the one already spent, whatever time it is now.
    const code = () => codeAt(Math.max(totpStep(new Date()), confirmedStep + 1));
    await page.fill('#totp-confirm [name=code]', codeAt(confirmedStep));
    await page.click('#totp-confirm button[type=submit]');
    await page.waitForSelector('#totp-disable:not([hidden])');
    await page.click('#sign-out');
    await page.waitForURL(`${vigia.url}/admin/sign-in/`);
    // The code is asked for only once the password is known to be right.
    await expect(page.locator('#totp-field').isVisible()).resolves.toBe(false);

    await fillSignIn(page, PEOPLE.twoStep.email, PEOPLE.twoStep.password);
    await expect(signInError(page)).resolves.toBe('Escriba el código de seis cifras de su aplicación de autenticación.');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('name'))).resolves.toBe('totp');
    await expect(page.locator('#totp-field').isVisible()).resolves.toBe(true);
    await page.evaluate(() => (document.getElementById('signin-error')!.textContent = ''));
    await page.fill('#signin-form [name=totp]', '000000' === code() ? '111111' : '000000');
    await page.click('#signin-form button[type=submit]');
    await expect(signInError(page)).resolves.toBe('El correo o la contraseña (o el código) no son correctos.');
    await page.fill('#signin-form [name=totp]', code());
    await page.click('#signin-form button[type=submit]');
    await page.waitForURL(`${vigia.url}/admin/`);
    await page.waitForSelector('#whoami:not([hidden])');
    await expect(page.locator('#whoami-name').textContent()).resolves.toBe('Tomás · Editor');
    await context.close();
  });

  it('shows a viewer no way to change anything, and the API refuses the viewer\'s changes', async () => {
    const { context, page } = await signedIn(PEOPLE.viewer, '/admin/incidents/', '#whoami:not([hidden])');
    await page.waitForSelector('#incidents');
    await expect(page.locator('#incident-form').isVisible()).resolves.toBe(false);
    await expect(page.locator('#admin-content details summary:visible').count()).resolves.toBe(0);
    await expect(page.locator('#admin-content button:visible').count()).resolves.toBe(0);
    await expect(page.locator('nav a[href="/admin/accounts/"]').isVisible()).resolves.toBe(false);
    const answer = await page.evaluate(async () => {
      const csrf = sessionStorage.getItem('vigia.admin.csrf')!;
      const response = await fetch('/api/admin/incidents', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ title: 'x', severity: 3, message: 'x' }) });
      return { status: response.status, body: await response.json() };
    });
    expect(answer).toEqual({ status: 403, body: { error: { code: 'forbidden', message: expect.stringContaining('editor') } } });
    await page.screenshot({ path: screenshotPath('admin-viewer-1280.png'), fullPage: true });
    await context.close();
  });

  it('refuses a change sent with the cookie but without the CSRF token, and a request with no session', async () => {
    const { context, page } = await signedIn(PEOPLE.editor, '/admin/', '#whoami:not([hidden])');
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/admin/incidents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x', severity: 3, message: 'x' }) });
      return [response.status, (await response.json()).error.code];
    });
    expect(status).toEqual([403, 'csrf_failed']);
    await context.close();

    const stranger = await browser.newPage();
    await stranger.goto(`${vigia.url}/admin/sign-in/`);
    const anonymous = await stranger.evaluate(async () => (await fetch('/api/admin/me')).status);
    expect(anonymous).toBe(401);
    // A console page without a session sends the browser to sign in, and back afterwards.
    await stranger.goto(`${vigia.url}/admin/sla/`);
    await stranger.waitForURL(/\/admin\/sign-in\/\?next=%2Fadmin%2Fsla%2F$/);
    await stranger.close();
  });

  it('shows a new API token once; the token works until it is revoked in the console, with its last use shown', async () => {
    const { context, page } = await signedIn(PEOPLE.owner, '/admin/tokens/', '#token-form');
    await page.fill('#token-form [name=name]', 'CI despliegue');
    await page.selectOption('#token-form [name=role]', 'editor');
    await page.click('#token-form button[type=submit]');
    await page.waitForSelector('#new-token:not([hidden])');
    const token = (await page.locator('#new-token-value').textContent())!;
    expect(token).toMatch(/^vga_/);
    expect((await api('/api/admin/incidents', { method: 'POST', body: JSON.stringify({ title: 'Correo lento', severity: 3, message: 'Revisamos.' }) }, token)).status).toBe(201);
    await page.reload();
    const row = page.locator('#tokens tr[data-token="CI despliegue"]');
    await row.waitFor();
    await expect(row.locator('td').nth(4).textContent()).resolves.not.toBe('Nunca');
    await expect(page.locator('body').textContent()).resolves.not.toContain(token);
    let question = '';
    page.once('dialog', (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    await row.locator('button').click();
    await page.waitForFunction(() => document.querySelector('#tokens tr[data-token="CI despliegue"] td:nth-child(6)')?.textContent?.startsWith('Revocado'));
    expect(question).toBe('¿Revocar el token «CI despliegue»? Los scripts que lo usan dejarán de funcionar.');
    const refused = await api('/api/admin/incidents', {}, token);
    expect(refused.status).toBe(401);
    await context.close();
  });

  it('shows the owner the audit log with each change under its actor, filtered and exportable', async () => {
    const editor = await signedIn(PEOPLE.editor, '/admin/incidents/', '#whoami:not([hidden])');
    await editor.page.fill('#incident-form [name=title]', 'Caída del panel');
    await editor.page.fill('#incident-form [name=message]', 'Investigamos.');
    await editor.page.click('#incident-form button[type=submit]');
    await editor.page.waitForSelector('#incidents tr:has-text("Caída del panel")');
    await editor.context.close();
    expect((await api('/api/admin/incidents', { method: 'POST', body: JSON.stringify({ title: 'Telefonía intermitente', severity: 4, message: 'Revisamos.' }) })).status).toBe(201);

    const { context, page } = await signedIn(PEOPLE.owner, '/admin/audit/', '#audit tbody tr');
    const rows = page.locator('#audit tbody tr[data-audit-entity="incident"]');
    await expect(rows.allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringMatching(/elias@example\.com.*Abrió un incidente.*POST \/api\/admin\/incidents.*Caída del panel/s), expect.stringMatching(/ADMIN_TOKEN.*Abrió un incidente.*Telefonía intermitente/s)]),
    );
    await page.fill('#audit-filter [name=actor]', 'elias@example.com');
    await page.selectOption('#audit-filter [name=entity]', 'incident');
    await page.click('#audit-filter button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#audit tbody tr').length === 1);
    const href = await page.locator('#audit-csv').getAttribute('href');
    expect(href).toBe('/api/admin/audit?actor=elias%40example.com&entity=incident&format=csv');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).toContain('elias@example.com');
    await context.close();
  });

  for (const width of [1280, 390]) {
    it(`lays out the sign-in, account, accounts, tokens and audit screens at ${width} px with no axe violation`, async () => {
      const signIn = await browser.newPage({ viewport: { width, height: 900 } });
      await signIn.goto(`${vigia.url}/admin/sign-in/`);
      await signIn.click('details summary');
      await expectNoAxeViolations(signIn, `sign-in at ${width} px`);
      await expect(signIn.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(width);
      await signIn.screenshot({ path: screenshotPath(`admin-sign-in-${width}.png`), fullPage: true });
      await signIn.close();

      const { context, page } = await signedIn(PEOPLE.owner, '/admin/accounts/', '#accounts tbody tr', width);
      const screens: [string, string, string][] = [
        ['accounts', '/admin/accounts/', '#accounts tbody tr'],
        ['tokens', '/admin/tokens/', '#token-form'],
        ['audit', '/admin/audit/', '#audit tbody tr'],
        ['account', '/admin/account/', '#account-summary:not(:empty)'],
      ];
      for (const [name, path, ready] of screens) {
        await page.goto(`${vigia.url}${path}`);
        await page.waitForSelector(ready);
        for (const summary of await page.locator('#admin-content details > summary').all()) await summary.click();
        await expect(page.evaluate(() => document.documentElement.scrollWidth), name).resolves.toBeLessThanOrEqual(width);
        await expectNoAxeViolations(page, `${name} at ${width} px`);
        await page.screenshot({ path: screenshotPath(`admin-${name}-${width}.png`), fullPage: true });
      }
      await context.close();
    });
  }
});
