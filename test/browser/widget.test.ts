import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { screenshotPath } from '../helpers/screenshots.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'widget-test-admin-token';

/** A customer's portal: another origin that embeds the widget with a script tag and with an iframe. */
function portal(vigiaUrl: string): Promise<{ url: string; server: Server }> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title>
<style>body{font:16px Georgia,serif;color:#222;margin:24px} a{color:red!important} i,b{display:none!important}</style></head>
<body><h1>Customer portal</h1>
<p id="inline">Service: <span id="slot"></span></p>
<script src="${vigiaUrl}/widget.js" data-target="slot" data-lang="en" async></script>
<iframe src="${vigiaUrl}/widget.html" title="Service status" width="320" height="40" style="border:0"></iframe>
</body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server })));
}

describe('the embeddable widget on another site', () => {
  let vigia: TempVigia;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let host: { url: string; server: Server };

  beforeAll(async () => {
    // The API and published documents only: the widget needs no site build.
    vigia = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN, VIGIA_BUILD_SITE: '0' } });
    // Served as "localhost" while the portal is "127.0.0.1": two origins.
    host = await portal(vigia.vigia.url.replace('127.0.0.1', 'localhost'));
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    host?.server.close();
    await vigia?.close();
  });

  it('shows the overall state in words with a link to the page, and follows a change', async () => {
    const page = await browser.newPage({ viewport: { width: 700, height: 300 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.clock.install();
    await page.goto(host.url);
    const link = page.locator('#slot a');
    // Providers of the demo page cannot be read here (no internet): the widget never says "operational" then.
    await expect.poll(() => link.textContent()).toBe('status: unknown');
    expect(await link.getAttribute('href')).toBe(`${vigia.vigia.url.replace('127.0.0.1', 'localhost')}/en/`);
    // The host page's CSS hides every <i> and paints links red; the widget's shadow root keeps it as it is.
    expect(await page.locator('#slot i').isVisible()).toBe(true);
    // Its text takes the host's colour and font.
    expect(await link.evaluate((a) => [getComputedStyle(a).color, getComputedStyle(a).fontFamily])).toEqual(['rgb(34, 34, 34)', 'Georgia, serif']);
    const frame = page.frameLocator('iframe');
    await expect.poll(() => frame.locator('a').textContent()).toContain('estado: desconocido');
    await page.screenshot({ path: screenshotPath('widget-portal-before.png') });

    const opened = await fetch(`${vigia.vigia.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Caída del correo', severity: 1, message: 'Investigamos.', components: ['correo-corporativo'] }),
    });
    expect(opened.status).toBe(201);
    await vigia.vigia.publisher.settled();
    // The widget reads the state again within 90 s.
    await page.clock.fastForward(91_000);
    await expect.poll(() => link.textContent()).toBe('status: major outage');
    // The iframe page reads the state again too, in place.
    await expect.poll(() => frame.locator('a').textContent()).toContain('estado: caída total');
    await page.screenshot({ path: screenshotPath('widget-portal.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the iframe page is accessible in both colour schemes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 320, height: 40 }, colorScheme });
      await page.goto(`${vigia.vigia.url}/widget.html`);
      await expectNoAxeViolations(page, `widget.html ${colorScheme}`);
      await page.close();
    }
  });
});
