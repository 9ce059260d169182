// @ts-check
import { defineConfig } from 'astro/config';
import { existsSync, renameSync, rmdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Astro writes the root 404 page as `404.html` but a language's as `<prefix>/404/index.html`; the server looks for
 * `<prefix>/404.html` (one per language prefix), so those are moved there when the build is done.
 */
/** @type {import('astro').AstroIntegration} */
const notFoundPerLanguage = {
  name: 'vigia-404-per-language',
  hooks: {
    'astro:build:done': ({ dir, pages }) => {
      const out = fileURLToPath(dir);
      for (const { pathname } of pages) {
        const match = /^([^/]+)\/404\/?$/.exec(pathname);
        if (!match) continue;
        const from = `${out}${match[1]}/404/index.html`;
        if (!existsSync(from)) continue;
        renameSync(from, `${out}${match[1]}/404.html`);
        rmdirSync(`${out}${match[1]}/404`);
      }
    },
  },
};

// The status site is static: every page is generated from the worker's public API
// (VIGIA_API_URL) at build time, so it can be served by the worker or by any static host.
export default defineConfig({
  output: 'static',
  srcDir: './site',
  publicDir: './site/public',
  outDir: './dist',
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  // The languages of site/lib/i18n.ts (which alone knows each one's URL prefix; pages under
  // site/pages/[...lang]/ are made once per language from it).
  i18n: {
    locales: ['es', 'en', { path: 'pt-br', codes: ['pt-BR'] }],
    defaultLocale: 'es',
    routing: { prefixDefaultLocale: false },
  },
  devToolbar: { enabled: false },
  integrations: [notFoundPerLanguage],
});
