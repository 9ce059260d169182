import { desc, gte, isNull } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidentComponents, incidents, incidentUpdates, severityChanges } from '../../db/schema/index.ts';
import { HISTORY_DAYS, HISTORY_LIMIT, loadIncidentView, loadPublishedState, withIncidentDetails } from '../../worker/status/read-model.ts';
import { syncConfigToDatabase } from '../../worker/store/sync-config.ts';
import { testConfig } from '../helpers/config.ts';
import { memoryDatabase } from '../helpers/db.ts';

const NOW = new Date('2026-11-20T15:00:00Z');
const HOUR = 3_600_000;

describe('the published state', () => {
  let database: Awaited<ReturnType<typeof memoryDatabase>>;
  beforeEach(async () => {
    database = await memoryDatabase();
  });
  afterEach(() => database.close());

  it('holds every open incident, however many, and the most recent closed ones up to the history limit', async () => {
    const row = (n: number, open: boolean): typeof incidents.$inferInsert & { id: string } => {
      const startedAt = new Date(NOW.getTime() - (open ? 48 * HOUR + n * 60_000 : n * 60_000));
      return {
        id: `${open ? 'open' : 'closed'}-${n}`,
        title: `Incidente ${n}`,
        status: open ? 'investigating' : 'resolved',
        severity: 3,
        startedAt,
        createdAt: startedAt,
        updatedAt: startedAt,
        resolvedAt: open ? null : new Date(startedAt.getTime() + HOUR),
      };
    };
    // 600 open incidents, all older than 80 closed ones: a single limit over both would drop open ones.
    const openRows = Array.from({ length: 600 }, (_, n) => row(n, true));
    const closedRows = Array.from({ length: 80 }, (_, n) => row(n, false));
    for (let k = 0; k < openRows.length; k += 100) await database.db.insert(incidents).values(openRows.slice(k, k + 100));
    await database.db.insert(incidents).values(closedRows);

    const state = await loadPublishedState(database.db, NOW);
    const shownOpen = state.incidents.filter((i) => !i.resolvedAt);
    const shownClosed = state.incidents.filter((i) => i.resolvedAt);
    expect(shownOpen).toHaveLength(600);
    expect(shownClosed.map((i) => i.id)).toEqual(closedRows.slice(0, HISTORY_LIMIT).map((r) => r.id));
    // Newest start first, open and closed together.
    const starts = state.incidents.map((i) => i.startedAt.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('reads each incident with its timeline, components and severity history as they are read one kind at a time, ties included', async () => {
    await syncConfigToDatabase(database.db, testConfig(), NOW);
    const at = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
    // Three incidents started at the same instant, two of them open; updates and severity changes at the same instants.
    const rows = ['b', 'a', 'c'].map((id, n): typeof incidents.$inferInsert & { id: string } => ({
      id,
      title: `Incidente ${id}`,
      status: n < 2 ? 'investigating' : 'resolved',
      severity: 2,
      startedAt: at(90),
      createdAt: at(90),
      updatedAt: at(30),
      resolvedAt: n < 2 ? null : at(30),
    }));
    await database.db.insert(incidents).values(rows);
    await database.db.insert(incidentUpdates).values(
      rows.flatMap((r): (typeof incidentUpdates.$inferInsert)[] => [
        { id: `${r.id}-u2`, incidentId: r.id, status: 'identified', body: 'Segunda', createdAt: at(30), author: 'staff' },
        { id: `${r.id}-u1`, incidentId: r.id, status: 'investigating', body: 'Primera', createdAt: at(90), author: 'staff' },
        { id: `${r.id}-u3`, incidentId: r.id, status: 'identified', body: 'Tercera, al mismo tiempo', createdAt: at(30), author: 'staff' },
      ]),
    );
    await database.db.insert(incidentComponents).values(
      rows.flatMap((r): (typeof incidentComponents.$inferInsert)[] => [
        { incidentId: r.id, componentId: 'hosting', status: 'partial_outage', position: 1 },
        { incidentId: r.id, componentId: 'correo', status: 'major_outage', position: 0 },
      ]),
    );
    await database.db.insert(severityChanges).values(
      rows.flatMap((r): (typeof severityChanges.$inferInsert)[] => [
        { id: `${r.id}-s2`, incidentId: r.id, fromSeverity: 3, toSeverity: 2, changedAt: at(40), changedBy: 'ops' },
        { id: `${r.id}-s1`, incidentId: r.id, fromSeverity: 4, toSeverity: 3, changedAt: at(40), changedBy: 'ops', reason: 'Empeoró' },
      ]),
    );
    const since = new Date(NOW.getTime() - HISTORY_DAYS * 86_400_000);
    const open = await database.db.select().from(incidents).where(isNull(incidents.resolvedAt)).orderBy(desc(incidents.startedAt));
    const closed = await database.db.select().from(incidents).where(gte(incidents.resolvedAt, since)).orderBy(desc(incidents.startedAt)).limit(HISTORY_LIMIT);
    // The incidents in the order the rows are read; each one's details as read for it alone (by their indexes: at the
    // same instant the later written update first, and the earlier severity change), as the admin API answers it.
    const ordered = [...open, ...closed].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    const expected = [];
    for (const row of ordered) expected.push(...(await withIncidentDetails(database.db, [row])));
    const state = await loadPublishedState(database.db, NOW);
    expect(state.incidents).toEqual(expected);
    expect(state.incidents.map((i) => i.id)).toHaveLength(3);
    expect(state.incidents[0]!.updates.map((u) => u.body)).toEqual(['Tercera, al mismo tiempo', 'Segunda', 'Primera']);
    for (const incident of state.incidents) expect(await loadIncidentView(database.db, incident.id)).toEqual(incident);
  });
});
