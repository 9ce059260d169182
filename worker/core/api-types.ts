/**
 * The shapes of the public API's documents, as the worker publishes them and as the site reads them: the worker's
 * formatters are typed with these, and the site imports them (`import type` only, so no worker code reaches a page).
 * Statuspage's v2 fields first, then Vigía's own, which are added alongside and never replace one. Instants are ISO
 * 8601 text in UTC. Types only.
 */
import type {
  ComponentState,
  ComponentStatus,
  DayState,
  IncidentStatus,
  Indicator,
  Locale,
  MaintenanceStatus,
  Severity,
  SlaClock,
  Weekday,
} from './vocabulary.ts';

/** Statuspage's `page` object, at the head of every v2 document. */
export interface PageInfo {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: string;
}

/**
 * An upstream source feeding a component, as its row in `components` names it: its state and since when (for
 * `unknown`, since when it cannot be read), never its address or its error.
 */
export interface SourceInfo {
  id: string;
  name: string;
  state: ComponentState | 'paused';
  /** Since when `state` holds (for `unknown`: its last success, else when it was added); null while paused. */
  state_since: string | null;
  last_success_at: string | null;
}

/**
 * A row of `components`: a group (`group: true`, with its members' ids in `components`) or a component
 * (`group: false`, with Vigía's state, what it is unknown since, its group's name and its sources).
 */
export interface ComponentInfo {
  id: string;
  name: string;
  status: ComponentStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  /** Groups only. */
  components?: string[];
  /** Components only: never `operational` while a source feeding it cannot be read and nothing worse is known. */
  state?: ComponentState;
  unknown_since?: string | null;
  group_name?: string | null;
  sources?: SourceInfo[];
}

/** A component an incident or a window names, with its current status. */
export interface ComponentRefInfo {
  id: string;
  name: string;
  status: ComponentStatus;
  group_id: string | null;
  page_id: string;
}

/** A post of an incident's or a window's timeline (Statuspage calls both `incident_updates`). */
export interface UpdateInfo<Status extends IncidentStatus | MaintenanceStatus = IncidentStatus | MaintenanceStatus> {
  id: string;
  status: Status;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  /** Where the timeline shows it: a back-dated incident's opening post at the incident's start. */
  display_at: string;
  affected_components: null;
  deliver_notifications: boolean;
  custom_tweet: null;
  tweet_id: null;
}

/** An incident's `sla`: a target is breached when met late, or still unmet past its due time. */
export interface SlaInfo {
  response_due_at: string | null;
  resolution_due_at: string | null;
  responded_at: string | null;
  resolved_at: string | null;
  response_breached: boolean;
  resolution_breached: boolean;
  counts_for_sla: boolean;
  calendar: string | null;
}

export interface IncidentInfo {
  id: string;
  name: string;
  status: IncidentStatus;
  impact: Indicator;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  started_at: string;
  shortlink: string;
  page_id: string;
  /** Newest first, by display time. */
  incident_updates: UpdateInfo<IncidentStatus>[];
  components: ComponentRefInfo[];
  severity: Severity;
  sla: SlaInfo;
  severity_history: { from: Severity; to: Severity; at: string; by: string; reason: string | null }[];
  affected_components_status: { id: string; status: ComponentStatus }[];
  /** Set for an incident recorded from an upstream provider. */
  source: { id: string; upstream_id: string | null; url: string | null } | null;
}

export interface MaintenanceInfo {
  id: string;
  name: string;
  status: MaintenanceStatus;
  impact: 'maintenance';
  created_at: string;
  updated_at: string;
  monitoring_at: null;
  resolved_at: string | null;
  /** When it actually began (null while scheduled). */
  started_at: string | null;
  shortlink: string;
  page_id: string;
  scheduled_for: string;
  scheduled_until: string;
  incident_updates: UpdateInfo<MaintenanceStatus>[];
  components: ComponentRefInfo[];
  message: string;
  /** Set for a window recorded from an upstream provider. */
  source: { id: string; upstream_id: string | null; url: string | null } | null;
}

/** A component the overall state is about: every one not operational. */
export interface AffectedComponent {
  id: string;
  name: string;
  state: Exclude<ComponentState, 'operational'>;
  /** For `unknown`: since when, when known. */
  unknown_since: string | null;
}

/** The v2 `status` object: Statuspage's indicator and description, then Vigía's overall state. */
export interface StatusInfo {
  indicator: Indicator;
  description: string;
  /** Never `operational` while a component cannot be checked. */
  state: ComponentState;
  /** Worst first, then in page order. */
  affected_components: AffectedComponent[];
  /** How many components the state was derived from, and how many are in each state. */
  component_counts: Record<ComponentState, number> & { total: number };
}

/** `/api/v2/summary.json`: open incidents, windows in progress then upcoming, and the status. */
export interface SummaryDocument {
  page: PageInfo;
  components: ComponentInfo[];
  incidents: IncidentInfo[];
  scheduled_maintenances: MaintenanceInfo[];
  status: StatusInfo;
}

/** `/api/v2/incidents.json` and `incidents/unresolved.json`. */
export interface IncidentListDocument {
  page: PageInfo;
  incidents: IncidentInfo[];
}

/** `/api/v2/scheduled-maintenances.json` and its `upcoming` and `active` lists. */
export interface MaintenanceListDocument {
  page: PageInfo;
  scheduled_maintenances: MaintenanceInfo[];
}

/** A severity level as `/api/site.json` gives it. */
export interface SeverityInfo {
  level: number;
  name: Record<Locale, string>;
  description: Record<Locale, string>;
  color: string;
  /** Which clock each target counts on: business hours only, or around the clock; null when the policy states none. */
  response_clock: SlaClock | null;
  resolution_clock: SlaClock | null;
}

/** A support region's own levels, as `/api/site.json` gives them: incidents counted on its calendar are named by these. */
export interface RegionLevelsInfo {
  region: string;
  calendar: string;
  severities: SeverityInfo[];
}

/** `/api/site.json`: what the site needs besides the v2 data. */
export interface SiteInfoDocument {
  site: {
    /** The name in the default language. */
    name: string;
    /** The name in every language. */
    names: Record<Locale, string>;
    logo: string | null;
    accent_color: string | null;
    url: string;
    description: Record<Locale, string> | null;
    default_locale: Locale;
    locales: Locale[];
    timezone: string;
  };
  severities: SeverityInfo[];
  /** Only the regions with levels of their own; an incident whose `sla.calendar` is one of theirs is named by them. */
  region_severities: RegionLevelsInfo[];
  maintenance: { min_notice_ms: number };
}

/** One availability figure of a row of `/api/uptime.json`. */
export interface UptimeFigureInfo {
  days: number;
  from: string;
  availability: number | null;
  /** Components only. */
  outage_ms?: number | null;
  maintenance_ms?: number | null;
}

/** A component's or group's 90 days: one letter per day (see `legend`), events by local date. */
export interface UptimeRowInfo {
  id: string;
  name: string;
  /** Components only: when their data starts. */
  since?: string | null;
  /** Groups only: their members' ids. */
  components?: string[];
  days: string;
  uptime: UptimeFigureInfo[];
  incidents: Record<string, string[]>;
  maintenances: Record<string, string[]>;
}

/** `/api/uptime.json`. */
export interface UptimeInfo {
  time_zone: string;
  first_day: string;
  last_day: string;
  /** What each letter of `days` means. */
  legend: Record<string, DayState>;
  components: UptimeRowInfo[];
  groups: UptimeRowInfo[];
  incidents: Record<string, { name: string; severity: Severity; calendar: string | null; started_at: string; resolved_at: string | null }>;
  maintenances: Record<string, { name: string; starts_at: string; ends_at: string }>;
}

/** `/api/history.json`: the months of the history, newest first, with their counts. */
export interface HistoryIndexDocument {
  time_zone: string;
  months: { month: string; incidents: number; scheduled_maintenances: number }[];
}

/** `/api/history/<YYYY-MM>.json`: that month's incidents and windows, newest first. */
export interface HistoryMonthInfo {
  month: string;
  time_zone: string;
  incidents: IncidentInfo[];
  scheduled_maintenances: MaintenanceInfo[];
}

/** A severity's target as `/api/policy.json` gives it. */
/** One way a target is stated: a length, a range (`aim_minutes` its lower bound) or immediate. */
export interface PolicySpan {
  /** As written, canonical: `"4h"`, `"48h-36h"` (the order the policy writes it), `"immediate"`. */
  target: string;
  clock: SlaClock;
  /** The commitment (a range's upper bound), on the default calendar. */
  minutes: number;
  minutes_by_calendar: Record<string, number>;
  /** A range's lower bound: the aim, not a commitment. */
  aim_minutes: number | null;
  /** A zero target, met by acting within `grace_minutes`. */
  immediate: boolean;
  grace_minutes: number | null;
  /** What the page shows: the provider's `label` when the config gives one, else the target in words. */
  words: Record<Locale, string>;
  /** A range's bounds in words, apart: what is committed to, and what is aimed at (null when not a range). */
  commitment_words: Record<Locale, string>;
  aim_words: Record<Locale, string> | null;
  /** The target as the provider writes it (`label` in the config), or null when the config gives none. */
  label: Record<Locale, string> | null;
}

/** A level's target; `out_of_hours` (wall time) applies to an incident that starts outside service hours. */
export interface PolicyTarget extends PolicySpan {
  out_of_hours: PolicySpan | null;
}

export interface PolicySeverity {
  level: number;
  name: Record<Locale, string>;
  description: Record<Locale, string>;
  color: string;
  /** Null: the policy states no such target ("N/A"). */
  response: PolicyTarget | null;
  resolution: PolicyTarget | null;
  /** Information the policy gives, not a commitment. */
  average_restoration: { target: string; words: Record<Locale, string> } | null;
  statuspage_impact: Indicator;
  /** The matrix cell this level is, when the policy is a priority × impact matrix. */
  priority?: string;
  impact?: string;
}

/** `/api/policy.json`: the support policy, for the "Service levels" page. */
export interface PolicyInfo {
  default_locale: Locale;
  locales: Locale[];
  severities: PolicySeverity[];
  /** Priority × impact: `levels[p][i]` is the level of the p-th priority and i-th impact, in the lists' order. */
  matrix: {
    priorities: { id: string; name: Record<Locale, string> }[];
    impacts: { id: string; name: Record<Locale, string> }[];
    levels: number[][];
  } | null;
  /** Support regions, each on its calendar; `severities` only when the region has levels of its own. */
  regions: { id: string; name: Record<Locale, string>; calendar: string; components: { id: string; name: string }[]; severities: PolicySeverity[] | null }[];
  /** How soon an "immediate" target must be met. */
  immediate_grace_minutes: number;
  default_calendar: string;
  calendars: {
    id: string;
    /** What customers read, per language. */
    name: Record<Locale, string>;
    timezone: string;
    default: boolean;
    week: Record<Weekday, string[]>;
    holidays: string[];
    business_day_minutes: number;
    components: { id: string; name: string }[];
  }[];
  maintenance: { min_notice: string; min_notice_minutes: number; min_notice_words: Record<Locale, string> };
}
