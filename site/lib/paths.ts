import { loadSiteData } from './api.ts';

/** One static page per incident and per maintenance window the API publishes. */
export async function incidentPaths() {
  const data = await loadSiteData();
  const all = new Map([...data.incidents, ...data.openIncidents].map((i) => [i.id, i]));
  return [...all.values()].map((incident) => ({ params: { id: incident.id }, props: { incident, data } }));
}

export async function maintenancePaths() {
  const data = await loadSiteData();
  const all = new Map([...data.maintenances, ...data.upcomingMaintenances, ...data.activeMaintenances].map((m) => [m.id, m]));
  return [...all.values()].map((maintenance) => ({ params: { id: maintenance.id }, props: { maintenance, data } }));
}
