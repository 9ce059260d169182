/**
 * The normalised shape every upstream adapter yields. Adapters are pure: they turn response bodies into an
 * UpstreamSnapshot and never touch the network or the database, so the poller can record snapshots however it likes.
 * Every string in a snapshot is plain text (see sanitize.ts); upstream HTML never leaves an adapter.
 */
import type { ComponentState, IncidentStatus, PageIndicator, Severity, UpstreamMaintenanceStatus } from '../core/vocabulary.ts';

export interface PageStatus {
  indicator: PageIndicator;
  description: string | null;
}

export interface UpstreamComponent {
  upstreamId: string;
  name: string;
  group?: string;
  state: ComponentState;
}

export interface UpstreamIncidentUpdate {
  upstreamId: string;
  /** null when the upstream update carries no incident-status word (e.g. Google's per-update impact words). */
  status: IncidentStatus | null;
  body: string;
  createdAt: Date;
}

export interface UpstreamIncident {
  upstreamId: string;
  title: string;
  status: IncidentStatus;
  /** The upstream's own impact word, untouched, for display and audit. */
  impactRaw: string | null;
  /** null only when nothing known maps to a severity; an unrecognised word is then listed in unknownWords. */
  severity: Severity | null;
  /** Best known start. Formats that carry no start time give the earliest time they do carry (see README). */
  startedAt: Date;
  resolvedAt: Date | null;
  url?: string;
  componentUpstreamIds: string[];
  /** Oldest first. */
  updates: UpstreamIncidentUpdate[];
}

export interface UpstreamMaintenance {
  upstreamId: string;
  title: string;
  status: UpstreamMaintenanceStatus;
  startsAt: Date;
  endsAt: Date | null;
  url?: string;
  body?: string;
  componentUpstreamIds: string[];
}

/** A part of the payload that was odd: a row dropped, or a value replaced by a fallback. */
export interface UpstreamProblem {
  /** Where in the payload, e.g. `summary.json components[3]`. */
  where: string;
  message: string;
  /** True when the row was left out of the snapshot. */
  rowDropped: boolean;
}

/** What a plain HTTP health check measured. */
export interface ProbeMeasurement {
  status: number | null;
  latencyMs: number;
  reason: string;
}

export interface UpstreamSnapshot {
  components: UpstreamComponent[];
  incidents: UpstreamIncident[];
  maintenances: UpstreamMaintenance[];
  pageStatus?: PageStatus;
  /** Raw upstream words the mapping tables did not know (deduplicated, in order of appearance). */
  unknownWords: string[];
  problems: UpstreamProblem[];
  /** Only for the `http` adapter. */
  probe?: ProbeMeasurement;
}

export interface ParseContext {
  /** The poll's notion of "now": used for recency windows and to infer maintenance states. */
  now: Date;
  /** The configured source URL; used to resolve relative links. */
  sourceUrl?: string;
}
