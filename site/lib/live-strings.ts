/**
 * What the live-refresh script needs to write the page as the server did, in the page's language: the words,
 * the date format, the page paths. Sent once per page as JSON in `<script type="application/json" id="vigia-strings">`.
 */
import type { SiteData } from './api.ts';
import { localePath, t, type Locale } from './i18n.ts';
import { OPEN_INCIDENT_CARDS, severityBackground } from './present.ts';

export function liveStrings(locale: Locale, data: SiteData, builtAt: string) {
  const s = t(locale);
  return {
    dateLocale: s.dateLocale,
    timeZone: data.site.timezone,
    overall: s.overall,
    banner: s.banner,
    componentState: s.componentState as Record<string, string>,
    incidentStatus: s.incidentStatus,
    maintenanceStatus: s.maintenanceStatus,
    severity: s.severity,
    severities: Object.fromEntries(data.severities.map((x) => [x.level, { name: x.name[locale] ?? String(x.level), color: severityBackground(x.level, data.severities) }])) as Record<
      string,
      { name: string; color: string }
    >,
    window: s.window,
    noOpenIncidents: s.noOpenIncidents,
    openIncidentCards: OPEN_INCIDENT_CARDS,
    incidentPath: localePath(locale, '/incidents/{id}/'),
    maintenancePath: localePath(locale, '/maintenances/{id}/'),
    policyPath: localePath(locale, '/policy/#severity-{n}'),
    live: s.live,
    /** When the page's data was read: "checked N s ago" counts from here until the first refresh. */
    builtAt,
  };
}

export type LiveStrings = ReturnType<typeof liveStrings>;
