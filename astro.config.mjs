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

/**
 * The worker's site renderer (VIGIA_SITE_RENDERER=1): the same pages, built once as a server bundle that the worker
 * runs as a child process and asks for the pages a change touches (site/renderer/entry.ts), instead of generating
 * every page on every change.
 */
/** @type {import('astro').AstroIntegration} */
const siteRenderer = {
  name: 'vigia-site-renderer',
  hooks: {
    'astro:config:done': ({ setAdapter }) => {
      setAdapter({
        name: 'vigia-site-renderer',
        serverEntrypoint: fileURLToPath(new URL('./site/renderer/entry.ts', import.meta.url)),
        exports: [],
        supportedAstroFeatures: { serverOutput: 'stable', staticOutput: 'stable', hybridOutput: 'stable' },
      });
    },
  },
};
const rendering = process.env.VIGIA_SITE_RENDERER === '1';

// The status site is static: every page is generated from the worker's public API (VIGIA_API_URL), so
// `astro build` makes a folder any static host can serve. The worker itself renders the same pages as they change.
export default defineConfig({
  output: rendering ? 'server' : 'static',
  adapter: rendering ? siteRenderer : undefined,
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
  integrations: rendering ? [] : [notFoundPerLanguage],
});
