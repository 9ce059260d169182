/**
 * The `components` setting of component-based sources (Statuspage, incident.io, Instatus): watch only part of a
 * provider's page. A multi-region page (Genesys Cloud lists every region as a group) would otherwise mark our
 * component down for an outage in a region we do not use.
 *
 * Each entry names an upstream component by id, name, group name, or "Group / Name" (case-insensitive). What the
 * snapshot keeps: the matching components, and the incidents and maintenances that affect one of them or list no
 * component at all (a page-wide notice may concern us). An entry that matches nothing on the page is reported as a
 * problem of the snapshot, so a typo shows on the source instead of silently hiding everything. Pure.
 */
import { z } from 'zod';
import type { UpstreamComponent, UpstreamSnapshot } from './types.ts';

/** A page has a few hundred components at most; an entry is a name or "Group / Name". */
export const MAX_COMPONENT_ENTRIES = 1_000;
export const MAX_COMPONENT_ENTRY = 300;

export const componentFilterOptionsSchema = z.object({
  /** Upstream components to watch (ids, names, group names or "Group / Name"); the whole page when absent. */
  components: z.array(z.string().trim().min(1).max(MAX_COMPONENT_ENTRY)).min(1).max(MAX_COMPONENT_ENTRIES).optional(),
});

const fold = (value: string): string => value.trim().toLowerCase();

/** Every spelling an entry of the setting may use for this component. */
function namesOf(component: UpstreamComponent): string[] {
  const names = [component.upstreamId, component.name];
  if (component.group !== undefined) names.push(component.group, `${component.group} / ${component.name}`);
  return names.map(fold);
}

/** Whether an entry of the setting (id, name, group or "Group / Name") names this component. */
export function entryNames(entry: string, component: UpstreamComponent): boolean {
  return namesOf(component).includes(fold(entry));
}

export function filterSnapshotComponents(snapshot: UpstreamSnapshot, wanted: readonly string[] | undefined): UpstreamSnapshot {
  if (!wanted || wanted.length === 0) return snapshot;
  const entries = new Set(wanted.map(fold));
  const matched = new Set<string>();
  const components = snapshot.components.filter((component) => {
    const hits = namesOf(component).filter((name) => entries.has(name));
    for (const hit of hits) matched.add(hit);
    return hits.length > 0;
  });
  const keptIds = new Set(components.map((component) => component.upstreamId));
  const concernsUs = (ids: readonly string[]): boolean => ids.length === 0 || ids.some((id) => keptIds.has(id));
  const unmatched = wanted.filter((entry) => !matched.has(fold(entry)));
  return {
    ...snapshot,
    components,
    incidents: snapshot.incidents.filter((incident) => concernsUs(incident.componentUpstreamIds)),
    maintenances: snapshot.maintenances.filter((maintenance) => concernsUs(maintenance.componentUpstreamIds)),
    problems: [
      ...snapshot.problems,
      ...unmatched.map((entry) => ({ where: 'settings.components', message: `"${entry}" names no component on this page`, rowDropped: false })),
    ],
  };
}
