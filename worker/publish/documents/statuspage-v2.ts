import { isOpenIncident } from '../../status/derive.ts';
import type { IncidentView } from '../../status/read-model.ts';
import { slaView } from '../../incidents/sla-view.ts';
import { v2Components, v2Context, v2Incident, v2Maintenances, v2Page, v2RecentIncidents, v2Status, v2Summary, type V2Context } from '../../status/statuspage-v2.ts';
import { nextTurn } from '../../status/turns.ts';
import { JSON_TYPE, type DocumentSource, type PublishedDocument } from '../document.ts';
import { JsonArraySlices, jsonObjectBytes } from '../json-bytes.ts';
import { componentKeys } from './component-keys.ts';

/** Incidents formatted and serialised this many at a time, with a turn of the event loop between slices. */
const INCIDENTS_PER_TURN = 100;

/**
 * Each open incident's v2 JSON, kept by incident object (the published state keeps the object of an incident read
 * again unchanged) with what else it shows: whether its targets are breached by now, and its components' names,
 * groups and statuses. A write changes a few of thousands: the others are not formatted again.
 */
const written = new WeakMap<IncidentView, { key: string; json: string }>();

/** The incidents in the v2 shape, written a slice at a time. */
async function incidentsJson(ctx: V2Context, list: IncidentView[]): Promise<JsonArraySlices> {
  const refOf = componentKeys(ctx);
  const slices = new JsonArraySlices();
  for (let k = 0; k < list.length; k += INCIDENTS_PER_TURN) {
    slices.addSerialised(
      list.slice(k, k + INCIDENTS_PER_TURN).map((i) => {
        const sla = slaView(i, ctx.now);
        const key = `${ctx.config.site.url} ${sla.response_breached} ${sla.resolution_breached} ${i.components.map((c) => refOf(c.componentId)).join(' ')}`;
        const known = written.get(i);
        if (known?.key === key) return known.json;
        const json = JSON.stringify(v2Incident(ctx, i));
        written.set(i, { key, json });
        return json;
      }),
    );
    await nextTurn();
  }
  return slices;
}

/** The public read API, compatible with Atlassian Statuspage's public v2 API, under `/api/v2/`. */
export const statuspageV2Documents: DocumentSource = async ({ config, state, now }) => {
  const ctx = v2Context(config, state, now);
  const page = v2Page(ctx);
  // Every open incident is in summary.json and in unresolved.json (hundreds on a large page): written once for both.
  const open = await incidentsJson(ctx, state.incidents.filter(isOpenIncident));
  const bodies: [string, () => Record<string, unknown>][] = [
    ['summary.json', () => v2Summary(ctx, open)],
    ['status.json', () => ({ page, status: v2Status(ctx) })],
    ['components.json', () => ({ page, components: v2Components(ctx) })],
    ['incidents.json', () => ({ page, incidents: v2RecentIncidents(ctx) })],
    ['incidents/unresolved.json', () => ({ page, incidents: open })],
    ['scheduled-maintenances.json', () => ({ page, scheduled_maintenances: v2Maintenances(ctx, 'all') })],
    ['scheduled-maintenances/upcoming.json', () => ({ page, scheduled_maintenances: v2Maintenances(ctx, 'upcoming') })],
    ['scheduled-maintenances/active.json', () => ({ page, scheduled_maintenances: v2Maintenances(ctx, 'active') })],
  ];
  const documents: PublishedDocument[] = [];
  for (const [path, body] of bodies) {
    documents.push({ path: `/api/v2/${path}`, contentType: JSON_TYPE, body: jsonObjectBytes(body()) });
    // Each body is milliseconds of work on a large page: requests go in between.
    await nextTurn();
  }
  return documents;
};
