/**
 * The one place the site loads its data: the worker's public API at build time (VIGIA_API_URL).
 * Every page reads from `loadSiteData()`, which fetches once per build.
 */
import type {
  ComponentInfo,
  HistoryIndexDocument,
  HistoryMonthInfo,
  IncidentInfo,
  IncidentListDocument,
  MaintenanceInfo,
  MaintenanceListDocument,
  PolicyInfo,
  RegionLevelsInfo,
  SeverityInfo,
  SiteInfoDocument,
  StatusInfo,
  SummaryDocument,
  UptimeInfo,
} from '../../worker/core/api-types.ts';
import { setRootLocale, type Locale } from './i18n.ts';

// The API's documents as the worker types them (types only: nothing of the worker reaches a page).
export type * from '../../worker/core/api-types.ts';
export type { ComponentState, ComponentStatus } from '../../worker/core/vocabulary.ts';
export type { Locale };

export interface SiteData {
  site: SiteInfoDocument['site'];
  severities: SeverityInfo[];
  /** The regions with levels of their own (see `levelsOn` in `present.ts`). */
  regionSeverities: RegionLevelsInfo[];
  status: StatusInfo;
  updatedAt: string;
  components: ComponentInfo[];
  openIncidents: IncidentInfo[];
  incidents: IncidentInfo[];
  maintenances: MaintenanceInfo[];
  upcomingMaintenances: MaintenanceInfo[];
  activeMaintenances: MaintenanceInfo[];
  uptime: UptimeInfo;
  /** The incident history by local month, newest first. */
  history: HistoryMonthInfo[];
}

let cached: Promise<SiteData> | undefined;

export function loadSiteData(): Promise<SiteData> {
  cached ??= fetchSiteData();
  return cached;
}

/** Forgets what was read, so the next page reads the API again (the renderer, when the published state changed). */
export function refreshSiteData(): void {
  cached = undefined;
  policy = undefined;
}

/**
 * What each document was when last read, by its ETag: the renderer reads the API again after every change, and most
 * documents (a month of history, the uptime) have not changed, so they are asked for conditionally and a `304` reuses
 * what was parsed before.
 */
const lastRead = new Map<string, { etag: string; value: unknown }>();

async function getJson<T>(path: string): Promise<T> {
  const base = (process.env.VIGIA_API_URL ?? 'http://127.0.0.1:4321').replace(/\/$/, '');
  const known = lastRead.get(path);
  const response = await fetch(`${base}${path}`, known ? { headers: { 'if-none-match': known.etag } } : undefined);
  if (response.status === 304 && known) return known.value as T;
  if (!response.ok) throw new Error(`${base}${path} answered ${response.status}`);
  const value = (await response.json()) as T;
  const etag = response.headers.get('etag');
  if (etag) lastRead.set(path, { etag, value });
  return value;
}

async function fetchSiteData(): Promise<SiteData> {
  const [info, summary, incidents, maintenances, upcoming, active, uptime, historyIndex] = await Promise.all([
    getJson<SiteInfoDocument>('/api/site.json'),
    getJson<SummaryDocument>('/api/v2/summary.json'),
    getJson<IncidentListDocument>('/api/v2/incidents.json'),
    getJson<MaintenanceListDocument>('/api/v2/scheduled-maintenances.json'),
    getJson<MaintenanceListDocument>('/api/v2/scheduled-maintenances/upcoming.json'),
    getJson<MaintenanceListDocument>('/api/v2/scheduled-maintenances/active.json'),
    getJson<UptimeInfo>('/api/uptime.json'),
    getJson<HistoryIndexDocument>('/api/history.json'),
  ]);
  const history = await Promise.all(historyIndex.months.map(({ month }) => getJson<HistoryMonthInfo>(`/api/history/${month}.json`)));
  setRootLocale(info.site.default_locale);
  return {
    site: info.site,
    severities: info.severities,
    regionSeverities: info.region_severities,
    status: summary.status,
    updatedAt: summary.page.updated_at,
    components: summary.components,
    openIncidents: summary.incidents,
    incidents: incidents.incidents,
    maintenances: maintenances.scheduled_maintenances,
    upcomingMaintenances: upcoming.scheduled_maintenances,
    activeMaintenances: active.scheduled_maintenances,
    uptime,
    history,
  };
}

let policy: Promise<PolicyInfo> | undefined;

export function loadPolicy(): Promise<PolicyInfo> {
  policy ??= getJson<PolicyInfo>('/api/policy.json');
  return policy;
}
