/**
 * Records poll outcomes: one transaction per result. A snapshot is reconciled with what is stored (reconcile.ts
 * decides, this module reads what it needs and hands the plan to the incidents and maintenances services, which
 * write it and queue subscribers' notices in the same transaction); the poll state (poll-state.ts decides it) is
 * written by the sources service (worker/sources/poll-record.ts). A failure
 * only touches the source's poll state: nothing recorded from the source is ever erased by a failed poll.
 * Unchanged polls (every endpoint answered 304) are written in batches, one statement each, without reading
 * anything.
 *
 * Fencing: a poll made under a source's lease (`holder`) is recorded only if that worker still holds the lease, checked
 * first in the recording transaction (stillHeldSources). A worker that stalled past its lease (a long pause, a slow
 * provider) while another took the source and polled it would otherwise record its older poll after the newer one.
 */
import { and, asc, eq, inArray, isNull, notInArray, or } from 'drizzle-orm';
import type { Database, DbOrTx } from '../../db/client.ts';
import { components, componentSources, incidentComponents, incidents, incidentUpdates, maintenanceComponents, maintenances, sources } from '../../db/schema/index.ts';
import type { Locale } from '../config/schema.ts';
import { groupBy } from '../lib/group-by.ts';
import type { SlaTargetsFn } from '../incidents/targets.ts';
import { applyUpstreamIncidentSteps } from '../incidents/upstream.ts';
import { applyUpstreamMaintenanceSteps } from '../maintenances/upstream.ts';
import { writePollState, writeUnchangedPolls } from '../sources/poll-record.ts';
import { stillHeldSources } from '../coordination/source-leases.ts';
import { forgetEndpoints, saveCache } from './cache-store.ts';
import type { PollOutcome } from './poll-outcome.ts';
import { afterFailure, afterSuccess, type PollStateRow } from './poll-state.ts';
import { reconcileSnapshot, type RecordPlan, type StoredIncident, type StoredMaintenance } from './reconcile.ts';
import { normaliseSettings } from './settings.ts';
import { CLOSED_INCIDENT_STATUSES, OPEN_MAINTENANCE_STATUSES } from '../core/vocabulary.ts';

export type SourceRow = typeof sources.$inferSelect;

/** The columns a poll needs from its source when it is picked (no JSON lists, no timestamps it does not use). */
export const DUE_COLUMNS = {
  id: sources.id,
  type: sources.type,
  url: sources.url,
  credentials: sources.credentials,
  settings: sources.settings,
  intervalSeconds: sources.intervalSeconds,
  state: sources.state,
  reportedState: sources.reportedState,
  consecutiveFailures: sources.consecutiveFailures,
  nextPollAt: sources.nextPollAt,
};
export type DueRow = { [K in keyof typeof DUE_COLUMNS]: SourceRow[K] };
type SnapshotOutcome = Extract<PollOutcome, { kind: 'snapshot' }>;
type FailedOutcome = Extract<PollOutcome, { kind: 'failed' }>;

export interface RecordDeps {
  targets: SlaTargetsFn;
  locale: Locale;
  /** [0, 1): the back-off jitter. */
  random: () => number;
}

/** What one recorded poll did, for logs, the admin API and the scheduler. */
export interface RecordResult {
  sourceId: string;
  /** False when the source was deleted while its poll was under way: nothing was written. */
  recorded: boolean;
  /** Something the public page shows changed (state, incidents, maintenances). */
  publishedChange: boolean;
  state: string;
  previousState: string;
  incidents: { opened: number; updated: number; resolved: number };
  maintenances: { created: number; updated: number };
  /** Raw words seen for the first time from this source. */
  newUnknownWords: string[];
  held: string[];
  nextPollAt: Date | null;
}

/**
 * Thrown (and nothing written) when a poll is to be recorded under a source's lease that its worker no longer holds:
 * another worker has the source now.
 */
export class SourceLeaseLost extends Error {
  constructor(readonly sourceId: string, readonly holder: string) {
    super(`the lease on source "${sourceId}" has passed from ${holder} to another worker; its poll is not recorded`);
    this.name = 'SourceLeaseLost';
  }
}

/** Throws SourceLeaseLost unless `holder` (when given) still holds the source's lease; first in the transaction. */
async function fence(tx: DbOrTx, sourceId: string, holder: string | undefined): Promise<void> {
  if (holder !== undefined && !(await stillHeldSources(tx, holder, [sourceId])).has(sourceId)) throw new SourceLeaseLost(sourceId, holder);
}

const MAX_UNKNOWN_WORDS = 100;
const MAX_WARNINGS = 20;
const CHUNK = 500;

function emptyResult(sourceId: string, row: Pick<SourceRow, 'state' | 'nextPollAt'> | undefined): RecordResult {
  return {
    sourceId,
    recorded: row !== undefined,
    publishedChange: false,
    state: row?.state ?? 'unknown',
    previousState: row?.state ?? 'unknown',
    incidents: { opened: 0, updated: 0, resolved: 0 },
    maintenances: { created: 0, updated: 0 },
    newUnknownWords: [],
    held: [],
    nextPollAt: row?.nextPollAt ?? null,
  };
}

const pollStateOf = (row: SourceRow): PollStateRow => row;

/** The feed window the adapter applied (its `recentDays` option, 7 by default). */
function recentDaysOf(row: SourceRow): number {
  const options = normaliseSettings(row.settings) as { recentDays?: unknown };
  return typeof options.recentDays === 'number' && options.recentDays > 0 ? options.recentDays : 7;
}

async function loadSource(tx: DbOrTx, sourceId: string): Promise<SourceRow | undefined> {
  return (await tx.select().from(sources).where(eq(sources.id, sourceId)).limit(1))[0];
}

/** Components the source feeds (not retired), in page order, with their calendars. */
export async function sourceComponents(tx: DbOrTx, sourceId: string): Promise<{ id: string; calendarId: string | null }[]> {
  return tx
    .select({ id: components.id, calendarId: components.calendarId })
    .from(componentSources)
    .innerJoin(components, eq(components.id, componentSources.componentId))
    .where(and(eq(componentSources.sourceId, sourceId), isNull(components.retiredAt)))
    .orderBy(asc(components.position), asc(components.id));
}

function chunked<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function storedIncidents(tx: DbOrTx, sourceId: string, upstreamIds: string[]): Promise<StoredIncident[]> {
  const open = notInArray(incidents.status, [...CLOSED_INCIDENT_STATUSES]);
  const rows: (typeof incidents.$inferSelect)[] = [];
  const seen = new Set<string>();
  for (const ids of upstreamIds.length ? chunked(upstreamIds) : [[]]) {
    const named = ids.length ? or(open, inArray(incidents.upstreamId, ids)) : open;
    for (const row of await tx.select().from(incidents).where(and(eq(incidents.sourceId, sourceId), named))) {
      if (!seen.has(row.id)) rows.push(row);
      seen.add(row.id);
    }
  }
  const links: (typeof incidentComponents.$inferSelect)[] = [];
  const entries: (StoredIncident['entries'][number] & { incidentId: string })[] = [];
  for (const ids of chunked(rows.map((r) => r.id))) {
    links.push(...(await tx.select().from(incidentComponents).where(inArray(incidentComponents.incidentId, ids))));
    entries.push(
      ...(await tx
        .select({
          id: incidentUpdates.id,
          incidentId: incidentUpdates.incidentId,
          upstreamId: incidentUpdates.upstreamId,
          author: incidentUpdates.author,
          status: incidentUpdates.status,
          body: incidentUpdates.body,
          createdAt: incidentUpdates.createdAt,
        })
        .from(incidentUpdates)
        .where(inArray(incidentUpdates.incidentId, ids))),
    );
  }
  return rows
    .filter((row) => row.upstreamId !== null)
    .map((row) => ({
      id: row.id,
      upstreamId: row.upstreamId!,
      title: row.title,
      status: row.status,
      severity: row.severity,
      startedAt: row.startedAt,
      resolvedAt: row.resolvedAt,
      monitoringAt: row.monitoringAt,
      respondedAt: row.respondedAt,
      upstreamUrl: row.upstreamUrl,
      calendarId: row.calendarId,
      responseDueAt: row.responseDueAt,
      resolutionDueAt: row.resolutionDueAt,
      components: links.filter((l) => l.incidentId === row.id).map((l) => ({ componentId: l.componentId, status: l.status, position: l.position })),
      entries: entries.filter((e) => e.incidentId === row.id),
    }));
}

async function storedWindows(tx: DbOrTx, sourceId: string, upstreamIds: string[]): Promise<StoredMaintenance[]> {
  const open = inArray(maintenances.status, [...OPEN_MAINTENANCE_STATUSES]);
  const rows: (typeof maintenances.$inferSelect)[] = [];
  const seen = new Set<string>();
  for (const ids of upstreamIds.length ? chunked(upstreamIds) : [[]]) {
    const named = ids.length ? or(open, inArray(maintenances.upstreamId, ids)) : open;
    for (const row of await tx.select().from(maintenances).where(and(eq(maintenances.sourceId, sourceId), named))) {
      if (!seen.has(row.id)) rows.push(row);
      seen.add(row.id);
    }
  }
  const links: (typeof maintenanceComponents.$inferSelect)[] = [];
  for (const ids of chunked(rows.map((r) => r.id))) {
    links.push(...(await tx.select().from(maintenanceComponents).where(inArray(maintenanceComponents.maintenanceId, ids))));
  }
  const componentsOf = groupBy(links, (l) => l.maintenanceId, (l) => l.componentId);
  return rows
    .filter((row) => row.upstreamId !== null)
    .map((row) => ({
      id: row.id,
      upstreamId: row.upstreamId!,
      title: row.title,
      message: row.message,
      status: row.status,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      startedAt: row.startedAt,
      completedAt: row.completedAt,
      cancelledAt: row.cancelledAt,
      upstreamUrl: row.upstreamUrl,
      version: row.version,
      componentIds: componentsOf.get(row.id) ?? [],
    }));
}

/**
 * Records a fresh snapshot: the plan, the notices it causes, the poll state and the kept bodies. With `holder`, only
 * while that worker holds the source's lease (else SourceLeaseLost).
 */
export async function recordSnapshot(
  db: Database,
  sourceId: string,
  outcome: SnapshotOutcome,
  knownEndpoints: readonly string[],
  now: Date,
  deps: RecordDeps,
  holder?: string,
): Promise<RecordResult> {
  return db.transaction(async (tx) => {
    await fence(tx, sourceId, holder);
    const row = await loadSource(tx, sourceId);
    const result = emptyResult(sourceId, row);
    if (!row) return result;
    const linked = await sourceComponents(tx, sourceId);
    const { snapshot } = outcome;
    const plan = reconcileSnapshot({
      source: {
        id: row.id,
        name: row.name,
        type: row.type,
        slaCounts: row.slaCounts,
        componentIds: linked.map((c) => c.id),
        calendarId: linked[0]?.calendarId ?? null,
        locale: deps.locale,
        recentDays: recentDaysOf(row),
      },
      snapshot,
      incidents: linked.length ? await storedIncidents(tx, sourceId, snapshot.incidents.map((i) => i.upstreamId)) : [],
      maintenances: linked.length ? await storedWindows(tx, sourceId, snapshot.maintenances.map((m) => m.upstreamId)) : [],
      now,
      targets: deps.targets,
    });
    await applyPlan(tx, row, plan, now, result);

    const known = new Set(row.unknownWords);
    result.newUnknownWords = snapshot.unknownWords.filter((word) => !known.has(word));
    const unknownWords = [...row.unknownWords, ...result.newUnknownWords].slice(0, MAX_UNKNOWN_WORDS);
    const warnings = [...outcome.warnings, ...snapshot.problems.map((p) => `${p.where}: ${p.message}`)].slice(0, MAX_WARNINGS);
    const patch = afterSuccess(pollStateOf(row), plan.state, now, outcome.latencyMs);
    await writePollState(tx, row, { ...patch, unknownWords, lastWarnings: warnings }, now);
    await saveCache(tx, sourceId, outcome.cache, outcome.fresh, knownEndpoints, now);

    result.state = patch.state;
    result.nextPollAt = patch.nextPollAt;
    result.held = plan.held;
    result.publishedChange ||= patch.state !== row.state;
    return result;
  });
}

async function applyPlan(tx: DbOrTx, row: SourceRow, plan: RecordPlan, now: Date, result: RecordResult): Promise<void> {
  await applyUpstreamIncidentSteps(tx, row.id, plan.incidents, now);
  await applyUpstreamMaintenanceSteps(tx, row.id, plan.maintenances, now);
  for (const step of plan.incidents) {
    if (step.action === 'create') result.incidents.opened += 1;
    else if (step.notice === 'resolved') result.incidents.resolved += 1;
    else result.incidents.updated += 1;
  }
  for (const step of plan.maintenances) {
    if (step.action === 'create') result.maintenances.created += 1;
    else result.maintenances.updated += 1;
  }
  if (plan.incidents.length || plan.maintenances.length) result.publishedChange = true;
}

/**
 * Records a failed poll: poll state only; `lost` endpoints (validators without a body) are forgotten. With `holder`,
 * only while that worker holds the source's lease (else SourceLeaseLost).
 */
export async function recordFailure(
  db: Database,
  sourceId: string,
  outcome: Pick<FailedOutcome, 'stage' | 'message' | 'retryable' | 'retryAfterMs' | 'latencyMs'>,
  lostEndpoints: readonly string[],
  now: Date,
  deps: Pick<RecordDeps, 'random'>,
  holder?: string,
): Promise<RecordResult> {
  return db.transaction(async (tx) => {
    await fence(tx, sourceId, holder);
    const row = await loadSource(tx, sourceId);
    const result = emptyResult(sourceId, row);
    if (!row) return result;
    const patch = afterFailure(
      pollStateOf(row),
      {
        message: `${outcome.stage}: ${outcome.message}`,
        retryable: outcome.retryable,
        latencyMs: outcome.latencyMs,
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      },
      now,
      deps.random(),
    );
    await writePollState(tx, row, patch, now);
    await forgetEndpoints(tx, sourceId, lostEndpoints);
    result.state = patch.state;
    result.nextPollAt = patch.nextPollAt;
    result.publishedChange = patch.state !== row.state;
    return result;
  });
}

/** An unchanged poll of a source whose row was read when its poll was picked. */
export interface UnchangedPoll {
  row: DueRow;
  latencyMs: number;
  now: Date;
  /** The worker whose lease on the source the poll was made under: recorded only while it still holds it. */
  holder?: string;
}

/**
 * Records unchanged polls in one statement per batch, reading nothing (see `writeUnchangedPolls`): the state goes
 * back to the last snapshot's, failures reset, next poll one interval after the poll began. One transaction, fenced
 * first: a poll whose worker lost the source's lease is not written, and its place in the answer is a SourceLeaseLost.
 */
export async function recordUnchanged(db: Database, polls: readonly UnchangedPoll[]): Promise<(RecordResult | SourceLeaseLost)[]> {
  return db.transaction(async (tx) => {
    const lost = new Set<UnchangedPoll>();
    for (const [holder, fenced] of groupBy(polls.filter((p) => p.holder !== undefined), (p) => p.holder!, (p) => p)) {
      const held = await stillHeldSources(tx, holder, fenced.map((p) => p.row.id));
      for (const poll of fenced) if (!held.has(poll.row.id)) lost.add(poll);
    }
    await writeUnchangedPolls(tx, lost.size ? polls.filter((p) => !lost.has(p)) : polls);
    return polls.map((poll) => (lost.has(poll) ? new SourceLeaseLost(poll.row.id, poll.holder!) : unchangedResult(poll)));
  });
}

function unchangedResult({ row, now }: UnchangedPoll): RecordResult {
  const result = emptyResult(row.id, row);
  result.state = row.reportedState;
  result.nextPollAt = new Date(now.getTime() + Math.max(1, row.intervalSeconds) * 1000);
  result.publishedChange = row.reportedState !== row.state;
  return result;
}
