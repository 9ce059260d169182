/**
 * The embeddable widget: `/widget.js`, a script customers put in their portals, and `/widget.html`, the same
 * thing as a page for an iframe (no script at all; it reloads itself every minute). Pure text builders.
 */
import { embedStrings } from '../feeds/strings.ts';
import type { ComponentState } from '../core/vocabulary.ts';
import { STATE_COLOR } from './colors.ts';

export interface WidgetSite {
  name: string;
  locales: string[];
  defaultLocale: string;
  /** Each locale's home page path, e.g. `{ es: '/', en: '/en/' }`. */
  homePaths: Record<string, string>;
}

const STATES: ComponentState[] = ['operational', 'under_maintenance', 'unknown', 'degraded_performance', 'partial_outage', 'major_outage'];

function widgetStrings(site: WidgetSite) {
  return Object.fromEntries(
    site.locales.map((locale) => {
      const s = embedStrings(locale);
      return [locale, { label: s.badgeLabel, states: Object.fromEntries(STATES.map((st) => [st, s.state[st]])), home: site.homePaths[locale] ?? '/' }];
    }),
  );
}

/**
 * Reads `/api/v2/status.json` from the server the script came from (that endpoint allows CORS), shows
 * "<status>: <state>" as a link to the page, with a coloured dot beside the words, and reads it again every
 * 60–90 s. Its text takes the host page's font and colour; it lives in a shadow root so the host's CSS
 * cannot break it. Options on the script tag: `data-lang` (else the page's `lang`), `data-target` (the id of
 * the element to fill; else it is placed right after the script).
 */
export function widgetScript(site: WidgetSite): string {
  const strings = JSON.stringify(widgetStrings(site));
  const colors = JSON.stringify(STATE_COLOR);
  return `/* ${site.name.replace(/\*\//g, '')} status widget (Vigía) */
(function () {
  var script = document.currentScript;
  if (!script) return;
  var base = script.src.replace(/\\/widget\\.js(?:[?#].*)?$/, '');
  var S = ${strings};
  var C = ${colors};
  var I = { none: 'operational', minor: 'degraded_performance', major: 'partial_outage', critical: 'major_outage' };
  var lang = script.getAttribute('data-lang') || document.documentElement.lang || '';
  var s = S[lang] || S[lang.split('-')[0]] || S[${JSON.stringify(site.defaultLocale)}];
  var host = document.getElementById(script.getAttribute('data-target') || '') || document.createElement('span');
  if (!host.parentNode) script.parentNode.insertBefore(host, script.nextSibling);
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  root.innerHTML = '<style>a{color:inherit;font:inherit;text-decoration:underline;display:inline-flex;align-items:center;gap:.4em}' +
    'i{display:inline-block;flex:none;width:.7em;height:.7em;border-radius:50%;background:' + C.unknown + '}</style>' +
    '<a target="_blank" rel="noopener" aria-live="polite"><i aria-hidden="true"></i><span></span></a>';
  var link = root.querySelector('a'), dot = root.querySelector('i'), text = root.querySelector('span');
  link.href = base + s.home;
  function show(state) {
    dot.style.background = C[state] || C.unknown;
    text.textContent = s.label + ': ' + (s.states[state] || s.states.unknown);
  }
  function load() {
    fetch(base + '/api/v2/status.json', { cache: 'no-cache' })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) { show(d.status.state || I[d.status.indicator] || 'unknown'); })
      .catch(function () { show('unknown'); })
      .then(function () { setTimeout(load, 60000 + Math.random() * 30000); });
  }
  load();
})();
`;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The iframe variant: the current state as a tiny page, readable without JavaScript. With it, a small inline
 * script reads `/api/v2/status.json` (same origin) every 60–90 s and updates the words in place: no reload, so
 * nothing moves under a reader (a timed `<meta http-equiv="refresh">` would fail WCAG 2.2.1).
 */
export function widgetPage(options: { siteName: string; locale: string; state: ComponentState; homeUrl: string }): string {
  const s = embedStrings(options.locale);
  const words = (state: ComponentState) => `${options.siteName}, ${s.badgeLabel}: ${s.state[state]}`;
  const live = {
    words: Object.fromEntries(STATES.map((st) => [st, words(st)])),
    colors: STATE_COLOR,
  };
  return `<!doctype html>
<html lang="${escapeHtml(options.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(words(options.state))}</title>
<style>
:root{color-scheme:light dark}
body{margin:0;padding:4px;font:14px/1.4 system-ui,sans-serif;background:#fff;color:#1f2328}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}}
h1{font:inherit;margin:0}
a{color:inherit;display:inline-flex;align-items:center;gap:.4em}
i{display:inline-block;flex:none;width:.7em;height:.7em;border-radius:50%;background:${STATE_COLOR[options.state]}}
</style>
</head>
<body><main><h1><a href="${escapeHtml(options.homeUrl)}" target="_blank" rel="noopener" aria-live="polite"><i aria-hidden="true"></i><span>${escapeHtml(words(options.state))}</span></a></h1></main>
<script>
(function () {
  var L = ${JSON.stringify(live).replace(/</g, '\\u003c')};
  var I = { none: 'operational', minor: 'degraded_performance', major: 'partial_outage', critical: 'major_outage' };
  function show(state) {
    document.querySelector('span').textContent = L.words[state] || L.words.unknown;
    document.querySelector('i').style.background = L.colors[state] || L.colors.unknown;
  }
  function load() {
    fetch('/api/v2/status.json', { cache: 'no-cache' })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) { show(d.status.state || I[d.status.indicator] || 'unknown'); })
      .catch(function () { show('unknown'); })
      .then(function () { setTimeout(load, 60000 + Math.random() * 30000); });
  }
  setTimeout(load, 60000 + Math.random() * 30000);
})();
</script>
</body>
</html>
`;
}
