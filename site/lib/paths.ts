import { loadSiteData, type SiteData } from './api.ts';
import { localePrefix, siteLocales, type Locale } from './i18n.ts';

/**
 * `getStaticPaths` of a page under `site/pages/[...lang]/`: one copy per language the config's
 * `site.locales` lists (and always the root language), each at its prefix (none for the root language).
 */
export async function localeStaticPaths(): Promise<{ params: { lang: string | undefined }; props: { locale: Locale } }[]> {
  const { site } = await loadSiteData();
  return siteLocales(site.locales).map((locale) => ({ params: { lang: localePrefix(locale).slice(1) || undefined }, props: { locale } }));
}

/** One static page per incident the API publishes (recent ones and every one the history lists), in every language. */
export async function incidentPaths() {
  const data = await loadSiteData();
  const all = new Map([...data.history.flatMap((m) => m.incidents), ...data.incidents, ...data.openIncidents].map((i) => [i.id, i]));
  return (await localeStaticPaths()).flatMap(({ params, props }) =>
    [...all.values()].map((incident) => ({ params: { ...params, id: incident.id }, props: { ...props, incident, data } })),
  );
}

/** One static page per maintenance window the API publishes (and every one the history lists), in every language. */
export async function maintenancePaths() {
  const data = await loadSiteData();
  const all = new Map(
    [...data.history.flatMap((m) => m.scheduled_maintenances), ...data.maintenances, ...data.upcomingMaintenances, ...data.activeMaintenances].map((m) => [m.id, m]),
  );
  return (await localeStaticPaths()).flatMap(({ params, props }) =>
    [...all.values()].map((maintenance) => ({ params: { ...params, id: maintenance.id }, props: { ...props, maintenance, data } })),
  );
}

/** One page per component (group rows have none: their members do), in every language. */
export async function componentPaths() {
  const data = await loadSiteData();
  const components = data.components.filter((c) => !c.group);
  return (await localeStaticPaths()).flatMap(({ params, props }) =>
    components.map((component) => ({ params: { ...params, id: component.id }, props: { ...props, component, data } })),
  );
}

/** One page per month of history, in every language. */
export async function historyPaths() {
  const data = await loadSiteData();
  return (await localeStaticPaths()).flatMap(({ params, props }) =>
    data.history.map((month) => ({ params: { ...params, month: month.month }, props: { ...props, month: month.month, data } })),
  );
}

const pageIdCache = new WeakMap<SiteData, { incidents: Set<string>; maintenances: Set<string> }>();

/** The incidents and windows that have a page of their own, so links only point at pages that exist. */
export function pageIds(data: SiteData) {
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
