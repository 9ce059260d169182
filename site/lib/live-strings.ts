/**
 * What the live-refresh script needs to write the page as the server did, in the page's language: the words,
 * the date format, the page paths. Sent once per page as JSON in `<script type="application/json" id="vigia-strings">`.
 */
import type { SiteData } from './api.ts';
import { localePath, t, type Locale } from './i18n.ts';
import { levelOf, OPEN_INCIDENT_CARDS } from './present.ts';

export function liveStrings(locale: Locale, data: SiteData, builtAt: string) {
  const s = t(locale);
  const levelsAsShown = (levels: number[], calendar: string | null) =>
    Object.fromEntries(
      levels.map((level) => {
        const { info, color, anchor } = levelOf(data, level, calendar);
        return [level, { name: info?.name[locale] ?? String(level), color, href: localePath(locale, `/policy/#${anchor}`) }];
      }),
    ) as Record<string, { name: string; color: string; href: string }>;
  return {
    dateLocale: s.dateLocale,
    timeZone: data.site.timezone,
    overall: s.overall,
    banner: s.banner,
    componentState: s.componentState as Record<string, string>,
    incidentStatus: s.incidentStatus,
    maintenanceStatus: s.maintenanceStatus,
    severity: s.severity,
    severities: levelsAsShown(data.severities.map((x) => x.level), null),
    /** For each region with levels of its own, by its calendar: how an incident counted on it is named. */
    regionSeverities: Object.fromEntries(data.regionSeverities.map((r) => [r.calendar, levelsAsShown(r.severities.map((x) => x.level), r.calendar)])),
    window: s.window,
    noOpenIncidents: s.noOpenIncidents,
    openIncidentCards: OPEN_INCIDENT_CARDS,
    incidentPath: localePath(locale, '/incidents/{id}/'),
    maintenancePath: localePath(locale, '/maintenances/{id}/'),
    live: s.live,
    /** When the page's data was read: "checked N s ago" counts from here until the first refresh. */
    builtAt,
  };
}

export type LiveStrings = ReturnType<typeof liveStrings>;
