import { count } from 'drizzle-orm';
import { parse, stringify } from 'yaml';
import type { Database } from '../../db/client.ts';
import { incidents, incidentUpdates, maintenances, maintenanceUpdates, outbox, severityChanges, sources } from '../../db/schema/index.ts';
import { parseConfigText, type Config } from '../../worker/config/load.ts';
import { createUpstreamWatch, type WatchOptions } from '../../worker/upstream/scheduler.ts';
import { testApp } from '../helpers/app.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { fixture, NOW } from './support.ts';
import type { UpstreamServer } from '../fakes/upstream-server.ts';
import { LOCAL_NETWORK_ENV } from '../helpers/egress.ts';

export interface SourceSeed {
  id: string;
  type: string;
  url: string;
  name?: string;
  interval?: string;
  sla?: boolean;
  settings?: Record<string, unknown>;
}

export interface ComponentSeed {
  id: string;
  name?: string;
  sources?: string[];
  calendar?: string;
}

/** The shared test config with its sources and components replaced. */
export function watchConfig(sourceSeeds: SourceSeed[], componentSeeds: ComponentSeed[]): Config {
  const raw = parse(TEST_CONFIG_YAML) as Record<string, unknown>;
  raw.sources = sourceSeeds.map((s) => ({ name: s.name ?? s.id, interval: s.interval ?? '60s', ...s }));
  raw.components = componentSeeds.map((c) => ({ name: c.name ?? c.id, ...c }));
  return parseConfigText(stringify(raw), 'watch.config.yaml');
}

/** The real app over a real database, plus an upstream watch on it (not started: tests tick it). */
export async function watchApp(options: { sources: SourceSeed[]; components: ComponentSeed[]; now?: Date; watch?: WatchOptions; env?: Record<string, string> }) {
  // The fake upstreams listen on 127.0.0.1: the watched app opts into private addresses unless told otherwise.
  const app = await testApp({ config: watchConfig(options.sources, options.components), now: options.now ?? NOW, env: options.env ?? { ...LOCAL_NETWORK_ENV } });
  const watch = createUpstreamWatch(app.ctx, { random: () => 0.5, ...options.watch });
  /** One full cycle: pick what is due, poll it, record it. */
  const cycle = async (): Promise<void> => {
    await watch.tick();
    await watch.idle();
  };
  return { ...app, watch, cycle, close: async () => {
    await watch.stop();
    app.close();
  } };
}

export async function rowCounts(db: Database) {
  const n = async (table: typeof incidents | typeof incidentUpdates | typeof severityChanges | typeof maintenances | typeof maintenanceUpdates | typeof outbox) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    incidents: await n(incidents),
    updates: await n(incidentUpdates),
    severityChanges: await n(severityChanges),
    maintenances: await n(maintenances),
    maintenanceUpdates: await n(maintenanceUpdates),
    outbox: await n(outbox),
  };
}

export async function sourceRow(db: Database, id: string) {
  const rows = await db.select().from(sources);
  const row = rows.find((r) => r.id === id);
  if (!row) throw new Error(`no source ${id}`);
  return row;
}

export interface StatuspagePages {
  summary: Record<string, unknown>;
  incidents: Record<string, unknown>;
  maintenances: Record<string, unknown>;
}

/** The Statuspage fixtures as mutable objects. */
export function statuspagePages(): StatuspagePages {
  return {
    summary: JSON.parse(fixture('statuspage-summary.json')) as Record<string, unknown>,
    incidents: JSON.parse(fixture('statuspage-incidents.json')) as Record<string, unknown>,
    maintenances: JSON.parse(fixture('statuspage-scheduled-maintenances.json')) as Record<string, unknown>,
  };
}

let version = 0;
/** Serves the pages under `prefix` with fresh ETags (so the next poll sees a change, and the one after a 304). */
export function serveStatuspage(server: UpstreamServer, pages: StatuspagePages, prefix = ''): void {
  version += 1;
  server.route(`${prefix}/api/v2/summary.json`, { body: pages.summary, etag: `"s${version}"` });
  server.route(`${prefix}/api/v2/incidents.json`, { body: pages.incidents, etag: `"i${version}"` });
  server.route(`${prefix}/api/v2/scheduled-maintenances.json`, { body: pages.maintenances, etag: `"m${version}"` });
}

/** Requests the fake server received for paths under `prefix`. */
export const requestsUnder = (server: UpstreamServer, prefix: string) => server.requests.filter((r) => r.path.startsWith(prefix));
