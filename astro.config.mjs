// @ts-check
import { defineConfig } from 'astro/config';

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
});
