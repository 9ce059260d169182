import { jsonDocument, type DocumentSource } from '../document.ts';
import type { SeverityInfo, SiteInfoDocument } from '../../core/api-types.ts';
import { regionsWithOwnLevels } from '../../config/policy.ts';
import { localizedText, type LocalizedConfigText } from '../../config/schema.ts';
import { perLocale } from '../../core/vocabulary.ts';
import type { LocalizedText, SeverityPolicy } from '../../sla/severity-policy.ts';

/** A config text in every site language (Brazilian Portuguese falls back to Spanish when the config has none). */
const everyLocale = (text: LocalizedConfigText | LocalizedText) => perLocale((l) => localizedText(text, l));

const severityInfo = (s: SeverityPolicy): SeverityInfo => ({
  level: s.level,
  name: everyLocale(s.name),
  description: everyLocale(s.description),
  color: s.color,
  response_clock: s.response?.clock ?? null,
  resolution_clock: s.resolution?.clock ?? null,
});

/** `/api/site.json`: what the static site needs besides the v2 data: names, locales, time zone, severity names and colours. */
export const siteInfoDocuments: DocumentSource = ({ config }) => {
  const { site, maintenance } = config;
  return [
    jsonDocument('/api/site.json', {
      site: {
        name: site.name,
        names: site.names,
        logo: site.logo ?? null,
        accent_color: site.accent_color ?? null,
        url: site.url,
        description: site.description ? everyLocale(site.description) : null,
        default_locale: site.default_locale,
        locales: site.locales,
        timezone: site.timezone,
      },
      // The compiled policy: the config's severities, or the shipped ones when it declares none.
      severities: config.policy.severities.map(severityInfo),
      region_severities: regionsWithOwnLevels(config.policy).map((r) => ({ region: r.id, calendar: r.calendarId, severities: r.severities.map(severityInfo) })),
      maintenance: { min_notice_ms: maintenance.min_notice },
    } satisfies SiteInfoDocument),
  ];
};
