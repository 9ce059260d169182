/**
 * What the read model returns: rows and their views as the public page and API show them. Declared apart from the
 * queries so pure modules (status derivation, documents, reconcile planning) can take them without the database.
 */
import type {
  components,
  incidents,
  incidentUpdates,
  maintenances,
  maintenanceUpdates,
  severityChanges,
  sources,
} from '../../db/schema/index.ts';
import type { ComponentStatus } from '../core/vocabulary.ts';

export type ComponentRow = typeof components.$inferSelect;
export type SourceRow = typeof sources.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type MaintenanceRow = typeof maintenances.$inferSelect;

export interface IncidentView extends IncidentRow {
  updates: (typeof incidentUpdates.$inferSelect)[];
  components: { componentId: string; status: ComponentStatus }[];
  severityHistory: (typeof severityChanges.$inferSelect)[];
}

export interface MaintenanceView extends MaintenanceRow {
  updates: (typeof maintenanceUpdates.$inferSelect)[];
  componentIds: string[];
}

/** Everything the public page and API show, read in one place. */
export interface PublishedState {
  components: ComponentRow[];
  sourcesByComponent: Map<string, SourceRow[]>;
  sources: SourceRow[];
  incidents: IncidentView[];
  maintenances: MaintenanceView[];
  updatedAt: Date;
}

/** How far back closed incidents and maintenances are published (Statuspage lists about the last 50). */
export const HISTORY_DAYS = 90;
export const HISTORY_LIMIT = 50;
