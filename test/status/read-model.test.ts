import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidents } from '../../db/schema/index.ts';
import { HISTORY_LIMIT, loadPublishedState } from '../../worker/status/read-model.ts';
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
});
