import { widgetPage, widgetScript } from '../../embeds/widget.ts';
import { componentConditions } from '../../status/derive.ts';
import { overallState } from '../../status/overall.ts';
import type { DocumentSource, PublishedDocument } from '../document.ts';
import { absoluteUrl, localizedPath } from '../public-url.ts';

export const JS_TYPE = 'text/javascript; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * The embeddable widget: `/widget.js` (depends on the configuration only; it reads the live state itself) and
 * `/widget.html` for an iframe, per locale (others under `/<locale>/`), which embeds the current state.
 */
export const widgetDocuments: DocumentSource = ({ config, state, now }) => {
  const { site } = config;
  const home = (locale: string) => localizedPath(locale, site.default_locale, '/');
  const documents: PublishedDocument[] = [
    {
      path: '/widget.js',
      contentType: JS_TYPE,
      body: widgetScript({
        name: site.name,
        locales: site.locales,
        defaultLocale: site.default_locale,
        homePaths: Object.fromEntries(site.locales.map((l) => [l, home(l)])),
      }),
    },
  ];
  const overall = overallState(componentConditions(state, now).values());
  for (const locale of site.locales) {
    documents.push({
      path: localizedPath(locale, site.default_locale, '/widget.html'),
      contentType: HTML_TYPE,
      framable: true,
      body: widgetPage({ siteName: site.name, locale, state: overall, homeUrl: absoluteUrl(site.url, home(locale)) }),
    });
  }
  return documents;
};
