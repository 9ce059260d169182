/** Incidents and windows as the compact lists show them, from the v2 shapes and from the uptime document. */
import type { Severity } from '../../worker/core/vocabulary.ts';
import type { IncidentInfo, MaintenanceInfo, SiteData, UptimeRowInfo } from './api.ts';
import { pageIds } from './paths.ts';
import { rowEvents } from './uptime.ts';

export type EventItem = {
  kind: 'incident' | 'maintenance';
  id: string;
  name: string;
  severity?: Severity;
  /** The calendar an incident is counted on: its region's levels name it. */
  calendar?: string | null;
  status?: string;
  start: string;
  end: string | null;
  components?: string[];
  linked: boolean;
};

export const incidentItem = (i: IncidentInfo): EventItem => ({
  kind: 'incident',
  id: i.id,
  name: i.name,
  severity: i.severity,
  calendar: i.sla.calendar,
  status: i.status,
  start: i.started_at ?? i.created_at,
  end: i.resolved_at,
  components: i.components.map((c) => c.name),
  linked: true,
});

export const maintenanceItem = (m: MaintenanceInfo): EventItem => ({
  kind: 'maintenance',
  id: m.id,
  name: m.name,
  status: m.status,
  start: m.scheduled_for,
  end: m.scheduled_until,
  components: m.components.map((c) => c.name),
  linked: true,
});

/** A component's incidents and windows over the 90 days of its bar, newest first, plus its windows still to come. */
export function componentEvents(data: SiteData, row: UptimeRowInfo) {
  const pages = pageIds(data);
  const { incidents, maintenances } = rowEvents(data.uptime, row);
  const past = new Set(maintenances.map((m) => m.id));
  const coming = [...data.upcomingMaintenances, ...data.activeMaintenances].filter((m) => !past.has(m.id) && m.components.some((c) => c.id === row.id));
  return {
    incidents: incidents.map(
      (i): EventItem => ({ kind: 'incident', id: i.id, name: i.name, severity: i.severity, calendar: i.calendar, start: i.started_at, end: i.resolved_at, linked: pages.incidents.has(i.id) }),
    ),
    maintenances: [
      ...coming.map(maintenanceItem),
      ...maintenances.map((m): EventItem => ({ kind: 'maintenance', id: m.id, name: m.name, start: m.starts_at, end: m.ends_at, linked: pages.maintenances.has(m.id) })),
    ],
  };
}
