/**
 * What the pages derive from the API data, kept out of the templates so it can be tested: the banner's words,
 * the order of open incidents and maintenance, severity colours that keep AA contrast, the `lang` of content.
 */
import type { ComponentState, IncidentInfo, Locale, MaintenanceInfo, RegionLevelsInfo, SeverityInfo, SiteData } from './api.ts';
import { AA_TEXT, backgroundFor, usableOn } from './color.ts';
import { fill, isLocale, t } from './i18n.ts';
// The page's order of states, the worker's own (its summary across components: unknown above maintenance).
import { PAGE_STATE_RANK } from '../../worker/core/vocabulary.ts';

/** The overall state: the API's, or (from an older API) the worst component state, unknown included. */
export function overallStateOf(data: SiteData): ComponentState {
  if (data.status.state) return data.status.state;
  let worst: ComponentState = 'operational';
  for (const c of data.components) {
    if (c.group) continue;
    const state = c.state ?? c.status;
    if (PAGE_STATE_RANK[state] > PAGE_STATE_RANK[worst]) worst = state;
  }
  return worst;
}

export interface BannerText {
  state: ComponentState;
  headline: string;
  /** Lines under the headline naming what is affected, what cannot be checked, what is under maintenance. */
  details: string[];
}

/** The banner's words: never "all operational" while something cannot be checked, and naming what is affected. */
export function bannerText(data: SiteData, locale: Locale): BannerText {
  const s = t(locale);
  const state = overallStateOf(data);
  const affected =
    data.status.affected_components ??
    data.components
      .filter((c) => !c.group && (c.state ?? c.status) !== 'operational')
      .map((c) => ({ id: c.id, name: c.name, state: (c.state ?? c.status) as Exclude<ComponentState, 'operational'>, unknown_since: c.unknown_since ?? null }))
      .sort((a, b) => PAGE_STATE_RANK[b.state] - PAGE_STATE_RANK[a.state]);
  const names = (states: ComponentState[]) => affected.filter((a) => states.includes(a.state)).map((a) => a.name);
  const broken = names(['major_outage', 'partial_outage', 'degraded_performance']);
  const unknown = names(['unknown']);
  const maintenance = names(['under_maintenance']);
  const total = data.status.component_counts?.total ?? data.components.filter((c) => !c.group).length;

  const headline =
    state === 'unknown'
      ? unknown.length === 1
        ? s.overall.unknownOne
        : fill(s.overall.unknown, { n: unknown.length }, locale)
      : state === 'under_maintenance'
        ? s.overall.maintenance
        : s.overall[state];
  const details: string[] = [];
  if (broken.length) details.push(fill(s.banner.affected, { names: broken }, locale));
  if (unknown.length) details.push(fill(s.banner.unchecked, { names: unknown }, locale));
  if (maintenance.length) details.push(fill(s.banner.inMaintenance, { names: maintenance }, locale));
  if (state === 'operational') details.push(fill(s.banner.allChecked, { n: total }, locale));
  return { state, headline, details };
}

/** Open incidents, most severe first, then the newest first. */
/**
 * How many open incidents the home page shows as full cards; the rest are one line each (name and severity, linking
 * to their page), so a phone still reaches the services quickly and a page with hundreds open stays light.
 */
export const OPEN_INCIDENT_CARDS = 5;

export function openIncidentsInOrder(incidents: IncidentInfo[]): IncidentInfo[] {
  return [...incidents].sort((a, b) => a.severity - b.severity || Date.parse(b.started_at) - Date.parse(a.started_at));
}

/** Maintenance to show: in progress (earliest start first), then upcoming (soonest first). */
export function maintenanceInOrder(data: SiteData): { active: MaintenanceInfo[]; upcoming: MaintenanceInfo[] } {
  const byStart = (a: MaintenanceInfo, b: MaintenanceInfo) => Date.parse(a.scheduled_for) - Date.parse(b.scheduled_for);
  return { active: [...data.activeMaintenances].sort(byStart), upcoming: [...data.upcomingMaintenances].sort(byStart) };
}

/** The shipped severity colours, for a level the API gives none for. */
/**
 * A level as an incident is named by it: its region's own when the incident is counted on the calendar of a region
 * that declares the level, else the policy's (the same rule as the worker's `levelName` for mail); with its badge
 * colour and its anchor on the policy page.
 */
export function levelOf(
  data: { severities: SeverityInfo[]; regionSeverities: readonly RegionLevelsInfo[] },
  level: number,
  calendar: string | null | undefined,
): { info: SeverityInfo | undefined; color: string; anchor: string } {
  const region = calendar ? data.regionSeverities.find((r) => r.calendar === calendar && r.severities.some((s) => s.level === level)) : undefined;
  const severities = region?.severities ?? data.severities;
  return {
    info: severities.find((s) => s.level === level),
    color: severityBackground(level, severities),
    anchor: region ? `region-${region.region}-severity-${level}` : `severity-${level}`,
  };
}

const FALLBACK_SEVERITY_COLORS = ['#c0262d', '#e8590c', '#b08800', '#1c7ed6'];

/** A severity's badge background: its configured colour, darkened where white text on it would miss AA. */
export function severityBackground(level: number, severities: readonly Pick<SeverityInfo, 'level' | 'color'>[]): string {
  const configured = severities.find((x) => x.level === level)?.color ?? FALLBACK_SEVERITY_COLORS[level - 1] ?? '#5a6270';
  // A little above 4.5:1 so rounding in any checker cannot put it under.
  return backgroundFor(configured, '#ffffff', AA_TEXT + 0.2);
}

/** The light and dark page and card backgrounds (site/styles/global.css). */
export const BACKGROUNDS = { light: ['#ffffff', '#f5f6f8'], dark: ['#182029', '#0f1419'] };

/**
 * The brand accent where it keeps AA: as link colour in a theme when it reaches 4.5:1 on both of its backgrounds,
 * as button colour when white text on it does. Where it does not, the default palette stays.
 */
export function accentStyle(accent: string | null | undefined): string {
  if (!accent) return '';
  const light = usableOn(accent, BACKGROUNDS.light);
  const dark = usableOn(accent, BACKGROUNDS.dark);
  const button = usableOn(accent, ['#ffffff']);
  if (!light && !dark && !button) return '';
  const links = (color: string) => `--link:${color};--focus:${color};--accent-rule:${color}`;
  // This style comes after the stylesheet, so the dark theme is restated in full: the accent where it passes
  // there, the dark palette's own colours where it does not.
  const lightRule = [light && links(light), button && `--button:${button}`].filter(Boolean).join(';');
  const darkRule = `${links(dark ?? DARK_LINK)};--button:${button ?? DEFAULT_BUTTON}`;
  return `${lightRule ? `:root{${lightRule}}` : ''}@media (prefers-color-scheme: dark){:root{${darkRule}}}`;
}

/** The dark theme's link colour and both themes' button colour in site/styles/global.css. */
const DARK_LINK = '#8cc4ff';
const DEFAULT_BUTTON = '#0b5cad';

/**
 * The language of text the page did not write: what admins write is in the site's default language; what comes
 * from a provider's status page is taken as English (the language the monitored providers publish in). Returns the
 * `lang` attribute to put on it, or undefined when it is the page's own language.
 */
export function contentLang(locale: Locale, data: SiteData, from: 'admin' | 'upstream' = 'admin'): string | undefined {
  const lang = from === 'upstream' ? 'en' : t(isLocale(data.site.default_locale) ? data.site.default_locale : 'es').htmlLang;
  return lang.toLowerCase() === t(locale).htmlLang.toLowerCase() ? undefined : lang;
}

/** The site's name in a language. */
export const siteNameIn = (data: SiteData, locale: Locale): string => data.site.names?.[locale] ?? data.site.name;

