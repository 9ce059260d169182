import { loadSiteData } from './api.ts';
import { localeStaticPaths } from './i18n.ts';

/** One static page per incident the API publishes, in every language. */
export async function incidentPaths() {
  const data = await loadSiteData();
  const all = new Map([...data.incidents, ...data.openIncidents].map((i) => [i.id, i]));
  return (await localeStaticPaths()).flatMap(({ params, props }) =>
    [...all.values()].map((incident) => ({ params: { ...params, id: incident.id }, props: { ...props, incident, data } })),
  );
}

/** One static page per maintenance window the API publishes, in every language. */
export async function maintenancePaths() {
  const data = await loadSiteData();
  const all = new Map([...data.maintenances, ...data.upcomingMaintenances, ...data.activeMaintenances].map((m) => [m.id, m]));
  return (await localeStaticPaths()).flatMap(({ params, props }) =>
    [...all.values()].map((maintenance) => ({ params: { ...params, id: maintenance.id }, props: { ...props, maintenance, data } })),
  );
}
