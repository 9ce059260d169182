import { loadSiteData } from './api.ts';

/** One static page per incident and per maintenance window the API publishes. */
export async function incidentPaths() {
  const data = await loadSiteData();
  const all = new Map([...data.history.flatMap((m) => m.incidents), ...data.incidents, ...data.openIncidents].map((i) => [i.id, i]));
  return [...all.values()].map((incident) => ({ params: { id: incident.id }, props: { incident, data } }));
}

export async function maintenancePaths() {
  const data = await loadSiteData();
  const all = new Map(
    [...data.history.flatMap((m) => m.scheduled_maintenances), ...data.maintenances, ...data.upcomingMaintenances, ...data.activeMaintenances].map((m) => [m.id, m]),
  );
  return [...all.values()].map((maintenance) => ({ params: { id: maintenance.id }, props: { maintenance, data } }));
}

/** One page per component (group rows have none: their members do). */
export async function componentPaths() {
  const data = await loadSiteData();
  return data.components.filter((c) => !c.group).map((component) => ({ params: { id: component.id }, props: { component, data } }));
}

/** One page per month of history. */
export async function historyPaths() {
  const data = await loadSiteData();
  return data.history.map((month) => ({ params: { month: month.month }, props: { month: month.month, data } }));
}

const pageIdCache = new WeakMap<object, { incidents: Set<string>; maintenances: Set<string> }>();

/** The incidents and windows that have a page of their own, so links only point at pages that exist. */
export function pageIds(data: Awaited<ReturnType<typeof loadSiteData>>) {
  let ids = pageIdCache.get(data);
  if (!ids) {
    ids = {
      incidents: new Set([...data.history.flatMap((m) => m.incidents), ...data.incidents, ...data.openIncidents].map((i) => i.id)),
      maintenances: new Set(
        [...data.history.flatMap((m) => m.scheduled_maintenances), ...data.maintenances, ...data.upcomingMaintenances, ...data.activeMaintenances].map((m) => m.id),
      ),
    };
    pageIdCache.set(data, ids);
  }
  return ids;
}
