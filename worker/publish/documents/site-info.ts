import { jsonDocument, type DocumentSource } from '../document.ts';
import { localizedText, SITE_LOCALES, type LocalizedConfigText } from '../../config/schema.ts';

/** A config text in every site language (Brazilian Portuguese falls back to Spanish when the config has none). */
const everyLocale = (text: LocalizedConfigText) => Object.fromEntries(SITE_LOCALES.map((l) => [l, localizedText(text, l)]));

/** `/api/site.json`: what the static site needs besides the v2 data: names, locales, time zone, severity names and colours. */
export const siteInfoDocuments: DocumentSource = ({ config }) => {
  const { site, severities, maintenance } = config;
  return [
    jsonDocument('/api/site.json', {
      site: {
        name: site.name,
        url: site.url,
        description: site.description ? everyLocale(site.description) : null,
        default_locale: site.default_locale,
        locales: site.locales,
        timezone: site.timezone,
      },
      severities: (severities ?? []).map((s) => ({ level: s.level, name: everyLocale(s.name), description: everyLocale(s.description), color: s.color ?? null })),
      maintenance: { min_notice_ms: maintenance.min_notice },
    }),
  ];
};
