/**
 * The one place the site loads its data: the worker's public API at build time (VIGIA_API_URL).
 * Every page reads from `loadSiteData()`, which fetches once per build.
 */
import { setRootLocale, type Locale } from './i18n.ts';

export type { Locale };
export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type ComponentState = ComponentStatus | 'unknown';

export interface SourceInfo {
  id: string;
  name: string;
  state: string;
  last_success_at: string | null;
  last_error: string | null;
}

export interface ComponentInfo {
  id: string;
  name: string;
  status: ComponentStatus;
  description: string | null;
  group: boolean;
  group_id: string | null;
  group_name?: string | null;
  state?: ComponentState;
  unknown_since?: string | null;
  sources?: SourceInfo[];
  components?: string[];
}

export interface UpdateInfo {
  id: string;
  status: string;
  body: string;
  display_at: string;
}

export interface SlaInfo {
  response_due_at: string | null;
  resolution_due_at: string | null;
  responded_at: string | null;
  resolved_at: string | null;
  response_breached: boolean;
  resolution_breached: boolean;
  counts_for_sla: boolean;
}

export interface IncidentInfo {
  id: string;
  name: string;
  status: string;
  impact: string;
  created_at: string;
  updated_at: string;
  started_at: string;
  resolved_at: string | null;
  shortlink: string;
  incident_updates: UpdateInfo[];
  components: { id: string; name: string }[];
  severity: 1 | 2 | 3 | 4;
  sla: SlaInfo;
  severity_history: { from: number; to: number; at: string; reason: string | null }[];
  source: { id: string; upstream_id: string | null; url: string | null } | null;
}

export interface MaintenanceInfo {
  id: string;
  name: string;
  status: string;
  updated_at: string;
  /** When it actually began (null while scheduled). */
  started_at: string | null;
  scheduled_for: string;
  scheduled_until: string;
  incident_updates: UpdateInfo[];
  components: { id: string; name: string }[];
  message: string;
  source: { id: string; url: string | null } | null;
}

export interface SeverityInfo {
  level: 1 | 2 | 3 | 4;
  name: Record<Locale, string>;
  description: Record<Locale, string>;
  color: string | null;
  /** Which clock each target counts on: business hours only, or around the clock. */
  response_clock?: 'business' | 'always';
  resolution_clock?: 'business' | 'always';
}

export interface AffectedComponent {
  id: string;
  name: string;
  state: Exclude<ComponentState, 'operational'>;
  unknown_since: string | null;
}

/** The v2 `status` object: Statuspage's indicator and description, then Vigía's overall state. */
export interface StatusInfo {
  indicator: 'none' | 'minor' | 'major' | 'critical';
  description: string;
  /** Never `operational` while a component cannot be checked. */
  state?: ComponentState;
  affected_components?: AffectedComponent[];
  component_counts?: Record<ComponentState, number> & { total: number };
}

/** One availability figure of `/api/uptime.json`. */
export interface UptimeFigureInfo {
  days: number;
  from: string;
  availability: number | null;
  outage_ms?: number | null;
  maintenance_ms?: number | null;
}

/** A component's or group's 90 days: one letter per day (see `legend`), events by local date. */
export interface UptimeRowInfo {
  id: string;
  name: string;
  since?: string | null;
  components?: string[];
  days: string;
  uptime: UptimeFigureInfo[];
  incidents: Record<string, string[]>;
  maintenances: Record<string, string[]>;
}

export interface UptimeInfo {
  time_zone: string;
  first_day: string;
  last_day: string;
  legend: Record<string, string>;
  components: UptimeRowInfo[];
  groups: UptimeRowInfo[];
  incidents: Record<string, { name: string; severity: 1 | 2 | 3 | 4; started_at: string; resolved_at: string | null }>;
  maintenances: Record<string, { name: string; starts_at: string; ends_at: string }>;
}

export interface HistoryMonthInfo {
  month: string;
  incidents: IncidentInfo[];
  scheduled_maintenances: MaintenanceInfo[];
}

export interface SiteData {
  site: {
    name: string;
    /** The name in every site language. */
    names?: Record<Locale, string>;
    logo?: string | null;
    accent_color?: string | null;
    url: string;
    description: Record<Locale, string> | null;
    default_locale: Locale;
    locales: Locale[];
    timezone: string;
  };
  severities: SeverityInfo[];
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
    getJson<Pick<SiteData, 'site' | 'severities'>>('/api/site.json'),
    getJson<{ page: { updated_at: string }; components: ComponentInfo[]; incidents: IncidentInfo[]; status: SiteData['status'] }>('/api/v2/summary.json'),
    getJson<{ incidents: IncidentInfo[] }>('/api/v2/incidents.json'),
    getJson<{ scheduled_maintenances: MaintenanceInfo[] }>('/api/v2/scheduled-maintenances.json'),
    getJson<{ scheduled_maintenances: MaintenanceInfo[] }>('/api/v2/scheduled-maintenances/upcoming.json'),
    getJson<{ scheduled_maintenances: MaintenanceInfo[] }>('/api/v2/scheduled-maintenances/active.json'),
    getJson<UptimeInfo>('/api/uptime.json'),
    getJson<{ months: { month: string }[] }>('/api/history.json'),
  ]);
  const history = await Promise.all(historyIndex.months.map(({ month }) => getJson<HistoryMonthInfo>(`/api/history/${month}.json`)));
  setRootLocale(info.site.default_locale);
  return {
    site: info.site,
    severities: info.severities,
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

/** A severity target as `/api/policy.json` gives it. */
export interface PolicyTarget {
  target: string;
  clock: 'business' | 'always';
  minutes: number;
  minutes_by_calendar: Record<string, number>;
  words: Record<string, string>;
}

/** The support policy, for the "Service levels" page. */
export interface PolicyInfo {
  severities: { level: number; name: Record<string, string>; description: Record<string, string>; color: string; response: PolicyTarget; resolution: PolicyTarget }[];
  default_calendar: string;
  calendars: {
    id: string;
    /** What customers read, per language. */
    name: Record<string, string>;
    timezone: string;
    default: boolean;
    week: Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>;
    holidays: string[];
    business_day_minutes: number;
    components: { id: string; name: string }[];
  }[];
  maintenance: { min_notice: string; min_notice_minutes: number; min_notice_words: Record<string, string> };
}

let policy: Promise<PolicyInfo> | undefined;

export function loadPolicy(): Promise<PolicyInfo> {
  policy ??= getJson<PolicyInfo>('/api/policy.json');
  return policy;
}
