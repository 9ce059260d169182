/**
 * The steps a reconcile plan holds: what a provider's page changes in its incidents and maintenance windows, decided
 * without the database by reconcile.ts and carried out by the incidents and maintenances services
 * (`applyUpstreamIncidentSteps`, `applyUpstreamMaintenanceSteps`).
 */
import type { ComponentStatus, IncidentStatus, MaintenanceStatus, Severity } from '../core/vocabulary.ts';
import type { IncidentNoticeKind } from '../notices/incident-notice-kind.ts';

export interface NewEntry {
  upstreamId: string | null;
  author: 'upstream' | 'system';
  status: IncidentStatus;
  body: string;
  createdAt: Date;
}

export interface IncidentValues {
  title: string;
  status: IncidentStatus;
  severity: Severity;
  startedAt: Date;
  resolvedAt: Date | null;
  monitoringAt: Date | null;
  respondedAt: Date | null;
  upstreamUrl: string | null;
  calendarId: string | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

export interface ComponentLink {
  componentId: string;
  status: ComponentStatus;
  position: number;
}

export type IncidentStep =
  | {
      action: 'create';
      upstreamId: string;
      values: IncidentValues & { slaCounts: boolean };
      components: ComponentLink[];
      entries: NewEntry[];
      /** null: first seen closed, subscribers are not told about history. */
      notice: IncidentNoticeKind | null;
    }
  | {
      action: 'update';
      incidentId: string;
      upstreamId: string;
      patch: Partial<IncidentValues>;
      severityChange: { from: Severity; to: Severity; reason: string } | null;
      /** Links whose state changes, and links to components the source feeds that the incident lacked. */
      setComponents: ComponentLink[];
      addComponents: ComponentLink[];
      entries: NewEntry[];
      editedEntries: { id: string; status: IncidentStatus; body: string }[];
      /** The notice is about the newest entry added here, or the latest one when none is added. */
      notice: IncidentNoticeKind | null;
      /** What changed, for the log. */
      why: string[];
    };

export interface MaintenanceValues {
  title: string;
  message: string;
  status: MaintenanceStatus;
  startsAt: Date;
  endsAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  upstreamUrl: string | null;
  version: number;
}

export type MaintenanceStep =
  | { action: 'create'; upstreamId: string; values: MaintenanceValues; componentIds: string[]; entry: { status: MaintenanceStatus; body: string; createdAt: Date } }
  | {
      action: 'update';
      maintenanceId: string;
      upstreamId: string;
      patch: Partial<MaintenanceValues>;
      addComponentIds: string[];
      entry: { status: MaintenanceStatus; body: string; createdAt: Date } | null;
      why: string[];
    };
