/**
 * Config → database sync at start-up, over a real migrated libsql database: what the file owns is replaced, what
 * the admin API made is kept, and a source gone from the file closes what it left open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/client.ts';
import {
  componentSources,
  incidents,
  incidentUpdates,
  maintenances,
  maintenanceUpdates,
  sourceHttpCache,
  sources,
} from '../../db/schema/index.ts';
import type { IncidentStatus, MaintenanceStatus } from '../../worker/core/vocabulary.ts';
import { syncConfigToDatabase } from '../../worker/store/sync-config.ts';
import { memoryDatabase } from '../helpers/db.ts';
import { testApp } from '../helpers/app.ts';
import { watchConfig, type ComponentSeed, type SourceSeed } from '../upstream/watch-support.ts';

const NOW = new Date('2026-11-20T15:00:00Z');
const LATER = new Date('2026-11-21T09:30:00Z');

const GWS: SourceSeed = { id: 'gws', name: 'Google Workspace', type: 'google', url: 'http://127.0.0.1:9/incidents.json' };
const GENESYS: SourceSeed = { id: 'genesys', name: 'Genesys Cloud', type: 'statuspage', url: 'http://127.0.0.1:9/genesys' };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function links(db: DatabaseHandle['db']): Promise<string[]> {
  const rows = await db.select().from(componentSources).orderBy(asc(componentSources.componentId), asc(componentSources.sourceId));
  return rows.map((r) => `${r.componentId}←${r.sourceId}`);
}

describe('syncConfigToDatabase: component links', () => {
  it('keeps the links made through the admin API across a restart and replaces only the config’s own', async () => {
    const components: ComponentSeed[] = [
      { id: 'correo', sources: ['gws'] },
      { id: 'telefonia', sources: ['genesys'] },
      { id: 'hosting' },
    ];
    const app = await testApp({ config: watchConfig([GWS, GENESYS], components), now: NOW });
    cleanups.push(app.close);
    const added = await app.request('/api/admin/sources', {
      method: 'POST',
      json: { id: 'm365', name: 'Microsoft 365', type: 'statuspage', url: 'http://127.0.0.1:9/m365', component_ids: ['correo', 'hosting'] },
    });
    expect(added.status).toBe(201);
    const db = app.database.db;
    expect(await links(db)).toEqual(['correo←gws', 'correo←m365', 'hosting←m365', 'telefonia←genesys']);

    // A restart with the same file.
    await syncConfigToDatabase(db, watchConfig([GWS, GENESYS], components), LATER);
    expect(await links(db)).toEqual(['correo←gws', 'correo←m365', 'hosting←m365', 'telefonia←genesys']);

    // The file moves its own links (and lists one twice): only links to config sources follow it.
    const moved: ComponentSeed[] = [
      { id: 'correo', sources: ['genesys', 'genesys'] },
      { id: 'telefonia' },
      { id: 'hosting', sources: ['gws'] },
    ];
    await syncConfigToDatabase(db, watchConfig([GWS, GENESYS], moved), LATER);
    expect(await links(db)).toEqual(['correo←genesys', 'correo←m365', 'hosting←gws', 'hosting←m365']);

    const listed = (await (await app.request('/api/admin/sources/m365')).json()) as { source: { component_ids: string[]; origin: string } };
    expect(listed.source).toMatchObject({ origin: 'admin', component_ids: ['correo', 'hosting'] });
  });
});

describe('syncConfigToDatabase: a source gone from the file', () => {
  async function seeded() {
    const database = await memoryDatabase();
    cleanups.push(() => database.close());
    const { db } = database;
    await syncConfigToDatabase(db, watchConfig([GWS, GENESYS], [{ id: 'telefonia', sources: ['genesys'] }, { id: 'correo', sources: ['gws'] }]), NOW);
    const incident = (id: string, sourceId: string, status: IncidentStatus): typeof incidents.$inferInsert => ({
      id,
      title: `Incidente ${id}`,
      status,
      severity: 2,
      startedAt: NOW,
      createdAt: NOW,
      updatedAt: NOW,
      resolvedAt: status === 'resolved' ? NOW : null,
      sourceId,
      upstreamId: `up-${id}`,
    });
    await db.insert(incidents).values([
      incident('open-genesys', 'genesys', 'identified'),
      incident('closed-genesys', 'genesys', 'resolved'),
      incident('open-gws', 'gws', 'investigating'),
    ]);
    const window = (id: string, sourceId: string, status: MaintenanceStatus): typeof maintenances.$inferInsert => ({
      id,
      title: `Ventana ${id}`,
      status,
      startsAt: new Date('2026-11-22T02:00:00Z'),
      endsAt: new Date('2026-11-22T04:00:00Z'),
      createdAt: NOW,
      updatedAt: NOW,
      createdBy: 'upstream',
      sourceId,
      upstreamId: `up-${id}`,
      ...(status === 'completed' ? { startedAt: NOW, completedAt: NOW } : {}),
    });
    await db.insert(maintenances).values([
      window('scheduled-genesys', 'genesys', 'scheduled'),
      window('running-genesys', 'genesys', 'in_progress'),
      window('done-genesys', 'genesys', 'completed'),
      window('scheduled-gws', 'gws', 'scheduled'),
    ]);
    await db.insert(sourceHttpCache).values({ sourceId: 'genesys', endpointKey: 'summary', etag: '"v1"', body: '{}', bodyBytes: 2, storedAt: NOW });
    await db.insert(sources).values({
      id: 'm365',
      name: 'Microsoft 365',
      type: 'statuspage',
      url: 'http://127.0.0.1:9/m365',
      intervalSeconds: 60,
      origin: 'admin',
      createdAt: NOW,
      updatedAt: NOW,
    });
    await db.insert(componentSources).values({ componentId: 'telefonia', sourceId: 'm365' });
    return database;
  }

  it('resolves its open incidents and cancels its open windows with a note, keeps its history, then deletes it', async () => {
    const { db } = await seeded();
    const result = await syncConfigToDatabase(db, watchConfig([GWS], [{ id: 'telefonia' }, { id: 'correo', sources: ['gws'] }]), LATER);
    expect(result.removedSources).toEqual([{ id: 'genesys', incidents: 1, maintenances: 2 }]);

    expect((await db.select({ id: sources.id }).from(sources).orderBy(asc(sources.id))).map((s) => s.id)).toEqual(['gws', 'm365']);
    expect(await links(db)).toEqual(['correo←gws', 'telefonia←m365']);
    expect(await db.select().from(sourceHttpCache)).toEqual([]);

    const note = 'Se dejó de vigilar Genesys Cloud; el incidente se da por cerrado.';
    const byId = new Map((await db.select().from(incidents)).map((i) => [i.id, i]));
    expect(byId.get('open-genesys')).toMatchObject({ status: 'resolved', resolvedAt: LATER, updatedAt: LATER, sourceId: null, upstreamId: 'up-open-genesys' });
    expect(byId.get('closed-genesys')).toMatchObject({ status: 'resolved', resolvedAt: NOW, updatedAt: NOW, sourceId: null });
    expect(byId.get('open-gws')).toMatchObject({ status: 'investigating', resolvedAt: null, sourceId: 'gws' });
    const updates = await db.select().from(incidentUpdates);
    expect(updates).toEqual([expect.objectContaining({ incidentId: 'open-genesys', status: 'resolved', body: note, author: 'system', createdAt: LATER })]);

    const windows = new Map((await db.select().from(maintenances)).map((m) => [m.id, m]));
    for (const id of ['scheduled-genesys', 'running-genesys']) {
      expect(windows.get(id)).toMatchObject({ status: 'cancelled', cancelledAt: LATER, cancelReason: note, sourceId: null });
    }
    expect(windows.get('done-genesys')).toMatchObject({ status: 'completed', cancelledAt: null, sourceId: null });
    expect(windows.get('scheduled-gws')).toMatchObject({ status: 'scheduled', sourceId: 'gws' });
    const windowUpdates = await db.select().from(maintenanceUpdates).where(eq(maintenanceUpdates.status, 'cancelled'));
    expect(windowUpdates.map((u) => [u.maintenanceId, u.body]).sort()).toEqual([
      ['running-genesys', note],
      ['scheduled-genesys', note],
    ]);
  });

  it('does the same with foreign keys off, and closes nothing on a restart that keeps every source', async () => {
    const { db, client } = await seeded();
    const same = await syncConfigToDatabase(db, watchConfig([GWS, GENESYS], [{ id: 'telefonia', sources: ['genesys'] }, { id: 'correo', sources: ['gws'] }]), LATER);
    expect(same.removedSources).toEqual([]);
    expect(await db.select().from(incidentUpdates)).toEqual([]);

    await client.execute('PRAGMA foreign_keys = OFF');
    const removed = await syncConfigToDatabase(db, watchConfig([], [{ id: 'telefonia' }, { id: 'correo' }]), LATER);
    expect(removed.removedSources).toEqual([
      { id: 'genesys', incidents: 1, maintenances: 2 },
      { id: 'gws', incidents: 1, maintenances: 1 },
    ]);
    expect((await db.select({ id: sources.id }).from(sources)).map((s) => s.id)).toEqual(['m365']);
    expect((await db.select({ sourceId: incidents.sourceId }).from(incidents)).every((i) => i.sourceId === null)).toBe(true);
    expect((await db.select({ sourceId: maintenances.sourceId }).from(maintenances)).every((m) => m.sourceId === null)).toBe(true);
    expect(await links(db)).toEqual(['telefonia←m365']);
    expect(await db.select().from(sourceHttpCache)).toEqual([]);
    const open = await db.select({ id: incidents.id, status: incidents.status }).from(incidents).orderBy(asc(incidents.id));
    expect(open).toEqual([
      { id: 'closed-genesys', status: 'resolved' },
      { id: 'open-genesys', status: 'resolved' },
      { id: 'open-gws', status: 'resolved' },
    ]);
  });
});
