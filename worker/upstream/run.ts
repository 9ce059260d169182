/**
 * One poll of one source from start to record: fetch and parse (poll.ts), then record the outcome (record.ts)
 * under the watch's lock, then tell the site and the log. Used by the scheduler and by "poll now". Never throws:
 * if recording itself fails, the poll is recorded as an internal failure; if even that fails, the error is logged
 * and the caller is told to hold the source back for a while.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { sources } from '../../db/schema/index.ts';
import type { AppContext } from '../context.ts';
import { slaTargetsFromConfig } from '../incidents/targets.ts';
import { loadBodies, loadValidators } from './cache-store.ts';
import type { FetchOptions, fetchUpstream } from './fetch.ts';
import { pollSource, type KeptEndpoint, type PollOutcome } from './poll.ts';
import { DUE_COLUMNS, recordFailure, recordSnapshot, recordUnchanged, SourceLeaseLost, type DueRow, type RecordDeps, type RecordResult, type UnchangedPoll } from './record.ts';
import { watchRuntime, type WatchRuntime } from './runtime.ts';
import { claimLease, releaseLease } from '../coordination/leases.ts';
import { MIN_SOURCE_LEASE_MS, renewSourceLeases } from '../coordination/source-leases.ts';
import { ConflictError } from '../core/errors.ts';
import { adapterOptionsFor } from './settings.ts';
import { messageLocale } from '../config/schema.ts';
import { egressPolicyFromEnv } from '../lib/egress.ts';

export interface DueSource {
  row: DueRow;
  /** Validators of the kept bodies (the bodies themselves are read only if needed). */
  validators: Record<string, KeptEndpoint>;
}

export interface PollRunOptions {
  /** Fetch settings on top of the defaults (per-request deadline, body cap…). */
  fetch?: Partial<FetchOptions>;
  fetcher?: typeof fetchUpstream;
  /** [0, 1): the back-off jitter. */
  random?: () => number;
  /** A poll now: how long it waits for another worker's lease on the source (ms, real time; POLL_NOW_WAIT_MS). */
  leaseWaitMs?: number;
}

/** What a poll did: the outcome and what recording it changed. */
export interface SourcePollReport extends RecordResult {
  outcome: PollOutcome['kind'] | 'error';
  latencyMs: number;
  error: string | null;
  retryable: boolean | null;
  warnings: string[];
}

export interface RunHooks {
  signal?: AbortSignal;
  /** Ask every endpoint, secondary ones included (an admin's poll now). */
  full?: boolean;
  /** True when results must be thrown away (the watch is stopping). */
  discard?: () => boolean;
  /** Records an unchanged poll; the scheduler batches these. Default: one at a time. Rejects with SourceLeaseLost. */
  unchanged?: (poll: UnchangedPoll) => Promise<RecordResult>;
  /** The worker whose lease on the source this poll runs under: recorded only while it still holds it. */
  holder?: string;
  /** Told when the poll was dropped because that lease passed to another worker meanwhile. */
  leaseLost?: () => void;
}

/**
 * A digest of what a snapshot says (not how fast it was read): when it equals the last one recorded in full,
 * reconciling it again would change nothing. null when reconciling depends on the clock: a window without an
 * announced end is re-estimated at every poll.
 */
export function snapshotFingerprint(outcome: Extract<PollOutcome, { kind: 'snapshot' }>): string | null {
  const { snapshot } = outcome;
  if (snapshot.maintenances.some((m) => m.endsAt === null && m.status !== 'completed')) return null;
  const said = {
    components: snapshot.components,
    incidents: snapshot.incidents,
    maintenances: snapshot.maintenances,
    unknownWords: snapshot.unknownWords,
    problems: snapshot.problems,
    warnings: outcome.warnings,
  };
  return createHash('sha256').update(JSON.stringify(said)).digest('base64');
}

/**
 * How long the secondary endpoints (resolved history, past windows, product names) may go unasked while the
 * current state is unchanged: an edit to a past incident (a postmortem) shows within this time.
 */
export function secondaryRefreshMs(row: Pick<DueRow, 'intervalSeconds'>): number {
  return Math.max(5 * row.intervalSeconds * 1000, 10 * 60_000);
}

export function recordDeps(ctx: AppContext, options: PollRunOptions): RecordDeps {
  return { targets: slaTargetsFromConfig(ctx.config), locale: messageLocale(ctx.config.site.default_locale), random: options.random ?? Math.random };
}

/** The root cause, short: a failed query's own message repeats the whole statement and its parameters. */
function describeError(error: unknown): string {
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return (root instanceof Error ? `${root.name}: ${root.message}` : String(root)).slice(0, 500);
}

/**
 * Polls one source and records the result. Resolves to null only when the result was discarded: the watch is
 * stopping, the source's settings changed (or it was removed) while it was being read, or the poll ran under a lease
 * (`hooks.holder`) that another worker took meanwhile: that worker polls the source now, and this older poll must not
 * be recorded after its (logged and told to `hooks.leaseLost`).
 */
export async function pollAndRecord(
  ctx: AppContext,
  due: DueSource,
  options: PollRunOptions,
  deps: RecordDeps,
  hooks: RunHooks = {},
): Promise<SourcePollReport | null> {
  const { row, validators } = due;
  const runtime = watchRuntime(ctx.db);
  const now = ctx.now();
  // Checked under the lock, where changes to the source are made too (see forgetSnapshot).
  const changesAtStart = runtime.changes.get(row.id) ?? 0;
  const superseded = () => (runtime.changes.get(row.id) ?? 0) !== changesAtStart;
  const unlessSuperseded = <T>(record: () => Promise<T>): Promise<T | null> => runtime.lock.run(() => (superseded() ? Promise.resolve(null) : record()));
  const lastFullCheck = runtime.fullCheckAt.get(row.id);
  const skipSecondary = !hooks.full && lastFullCheck !== undefined && now.getTime() - lastFullCheck < secondaryRefreshMs(row);
  const outcome = await pollSource(
    { type: row.type, url: row.url, credentials: row.credentials, options: adapterOptionsFor(row.type, row.settings) },
    validators,
    {
      now,
      skipSecondary,
      fetch: { egress: egressPolicyFromEnv(ctx.env), ...options.fetch, ...(hooks.signal ? { signal: hooks.signal } : {}) },
      ...(options.fetcher ? { fetcher: options.fetcher } : {}),
      loadBodies: (keys) => runtime.lock.run(() => loadBodies(ctx.db, row.id, keys)),
    },
  );
  if (hooks.discard?.() || superseded()) return null;
  if (outcome.kind === 'snapshot' || (outcome.kind === 'unchanged' && outcome.skipped.length === 0)) runtime.fullCheckAt.set(row.id, now.getTime());
  const { holder } = hooks;
  const recordOne = async (poll: UnchangedPoll): Promise<RecordResult | null> => {
    const recorded = await unlessSuperseded(async () => (await recordUnchanged(ctx.db, [poll]))[0]!);
    if (recorded instanceof SourceLeaseLost) throw recorded;
    return recorded;
  };

  const base = { outcome: outcome.kind, latencyMs: outcome.latencyMs, error: null, retryable: null, warnings: [] as string[] };
  try {
    let result: RecordResult;
    let report: SourcePollReport;
    if (outcome.kind === 'unchanged') {
      // Batched by the scheduler, an unchanged poll overtaken by a change while it waits only delays the next poll by
      // one interval: the change cleared the validators, so that poll reads everything afresh.
      const poll = { row, latencyMs: outcome.latencyMs, now, holder };
      const recorded = await (hooks.unchanged ? hooks.unchanged(poll) : recordOne(poll));
      if (!recorded) return null;
      result = recorded;
      report = { ...result, ...base };
    } else if (outcome.kind === 'snapshot') {
      const snapshot = outcome;
      const fingerprint = snapshotFingerprint(snapshot);
      if (fingerprint !== null && snapshot.fresh.length === 0 && runtime.fingerprints.get(row.id) === fingerprint) {
        // The same snapshot as last time (a health check, a page re-sent as is): only the poll state moves.
        const poll = { row, latencyMs: outcome.latencyMs, now, holder };
        const recorded = await (hooks.unchanged ? hooks.unchanged(poll) : recordOne(poll));
        if (!recorded) return null;
        result = recorded;
      } else {
        const recorded = await unlessSuperseded(() => recordSnapshot(ctx.db, row.id, snapshot, Object.keys(validators), now, deps, holder));
        if (!recorded) return null;
        result = recorded;
        runtime.fingerprints.delete(row.id);
        if (fingerprint !== null && result.recorded) runtime.fingerprints.set(row.id, fingerprint);
      }
      report = { ...result, ...base, warnings: outcome.warnings };
    } else {
      const failed = outcome;
      const lost = Object.keys(validators).filter((key) => !(key in failed.cache));
      const recorded = await unlessSuperseded(() => recordFailure(ctx.db, row.id, failed, lost, now, deps, holder));
      if (!recorded) return null;
      result = recorded;
      report = { ...result, ...base, error: `${outcome.stage}: ${outcome.message}`, retryable: outcome.retryable };
    }
    tell(ctx, row, report);
    return report;
  } catch (error) {
    if (error instanceof SourceLeaseLost) return dropLeaseLost(ctx, row, outcome.kind, hooks);
    // Recording blew up (a bug, or a database problem): the source shows it as a failure, and the worker goes on.
    const message = describeError(error);
    ctx.logger.error({ source: row.id, err: error }, 'recording an upstream poll failed');
    const failure = { stage: 'internal' as const, message: `recording failed: ${message}`, retryable: false, latencyMs: outcome.latencyMs };
    runtime.fingerprints.delete(row.id);
    let result: RecordResult | null;
    try {
      result = await unlessSuperseded(() => recordFailure(ctx.db, row.id, failure, [], now, deps, holder));
    } catch (again) {
      if (again instanceof SourceLeaseLost) return dropLeaseLost(ctx, row, outcome.kind, hooks);
      throw again;
    }
    if (!result) return null;
    const report = { ...result, ...base, outcome: 'error' as const, error: `internal: ${failure.message}`, retryable: false };
    tell(ctx, row, report);
    return report;
  }
}

/** A poll whose lease passed to another worker before it was recorded: dropped, said in the log, counted. */
function dropLeaseLost(ctx: AppContext, row: DueRow, outcome: PollOutcome['kind'], hooks: RunHooks): null {
  // Whatever this poll learned may be older than what the new holder records: the next poll here reads afresh.
  const runtime = watchRuntime(ctx.db);
  runtime.fingerprints.delete(row.id);
  runtime.fullCheckAt.delete(row.id);
  hooks.leaseLost?.();
  ctx.logger.warn({ source: row.id, holder: hooks.holder, outcome }, 'upstream poll not recorded: its lease on the source passed to another worker meanwhile');
  return null;
}

function tell(ctx: AppContext, row: DueRow, report: SourcePollReport): void {
  const log = ctx.logger;
  for (const word of report.newUnknownWords) {
    log.warn({ source: row.id, word }, 'upstream word not in the mapping tables: read as unknown');
  }
  if (report.outcome === 'failed' || report.outcome === 'error') ctx.health?.failed('upstream', 'a provider cannot be read', row.id);
  else ctx.health?.succeeded('upstream', row.id);
  if (report.outcome === 'failed' || report.outcome === 'error') {
    const turnedUnknown = report.state === 'unknown' && report.previousState !== 'unknown';
    const level = turnedUnknown || row.consecutiveFailures === 0 ? 'warn' : 'debug';
    log[level]({ source: row.id, error: report.error, failures: row.consecutiveFailures + 1, state: report.state, nextPollAt: report.nextPollAt }, turnedUnknown ? 'upstream source unreadable: shown as unknown' : 'upstream poll failed');
  } else if (report.publishedChange) {
    log.info({ source: row.id, state: report.state, incidents: report.incidents, maintenances: report.maintenances, held: report.held.length ? report.held : undefined }, 'upstream changes recorded');
  } else {
    log.debug({ source: row.id, outcome: report.outcome, latencyMs: report.latencyMs }, 'upstream polled');
  }
  if (report.publishedChange) ctx.publishedChanged(`upstream ${row.id}`);
}

/** Reads one source and its validators, for a poll now. */
export async function loadDueSource(ctx: AppContext, runtime: WatchRuntime, sourceId: string): Promise<DueSource | null> {
  return runtime.lock.run(async () => {
    const row = (await ctx.db.select(DUE_COLUMNS).from(sources).where(and(eq(sources.id, sourceId))).limit(1))[0];
    if (!row) return null;
    const validators = (await loadValidators(ctx.db, [row.id])).get(row.id) ?? {};
    return { row, validators };
  });
}

/**
 * Polls a source now (even a paused one: an admin asked) and records the result. If the source is being polled
 * already, waits for that poll and answers with its report; if that poll was overtaken by a change of the source's
 * settings (and so not recorded), polls again with the new ones. null: no such source.
 */
export async function pollSourceNow(ctx: AppContext, sourceId: string, options: PollRunOptions = {}): Promise<SourcePollReport | null> {
  const runtime = watchRuntime(ctx.db);
  // Each round is overtaken only by an admin's change made meanwhile; a few rounds settle any real sequence of them.
  for (let round = 0; round < 3; round++) {
    const running = runtime.inFlight.get(sourceId);
    const report = running ? ((await running) as SourcePollReport | null) : await startPollNow(ctx, runtime, sourceId, options);
    if (report !== null) return report === 'missing' ? null : report;
  }
  return null;
}

async function startPollNow(ctx: AppContext, runtime: WatchRuntime, sourceId: string, options: PollRunOptions): Promise<SourcePollReport | 'missing' | null> {
  const due = await loadDueSource(ctx, runtime, sourceId);
  if (!due) return 'missing';
  const again = runtime.inFlight.get(sourceId);
  if (again) return (await again) as SourcePollReport | null;
  // A scheduled poll waiting in the queue is superseded by this one.
  runtime.queued.delete(sourceId);
  const poll = underSourceLease(ctx, sourceId, options.leaseWaitMs ?? POLL_NOW_WAIT_MS, () =>
    pollAndRecord(ctx, due, options, recordDeps(ctx, options), { full: true, ...(ctx.holder ? { holder: ctx.holder } : {}) }),
  );
  runtime.inFlight.set(sourceId, poll);
  try {
    return await poll;
  } finally {
    runtime.inFlight.delete(sourceId);
  }
}

/** How long a poll now waits for another worker's poll of the source to end (real time) before it gives up. */
export const POLL_NOW_WAIT_MS = 35_000;
const POLL_NOW_RETRY_MS = 100;

/**
 * Runs a poll now under the source's lease (`source:<id>`), as a scheduled poll runs, so that with several workers on
 * the database it never runs at the same time as another worker's poll of the source: while another holds the lease
 * it waits (a finished poll keeps it until it runs out, at most a third of the interval and 30 s), renews it every
 * second while polling and hands it back after (recording the poll moved `next_poll_at` on, so no scheduled poll
 * follows at once). Without a holder (a single worker in tests) it just runs.
 */
async function underSourceLease<T>(ctx: AppContext, sourceId: string, waitMs: number, poll: () => Promise<T>): Promise<T> {
  const holder = ctx.holder;
  if (!holder) return poll();
  const name = `source:${sourceId}`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = ctx.now();
    if (await claimLease(ctx.db, name, holder, now, new Date(now.getTime() + MIN_SOURCE_LEASE_MS))) break;
    if (Date.now() > deadline) {
      throw new ConflictError('polled_elsewhere', `source "${sourceId}" is being polled by another worker; try again in a few seconds`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_NOW_RETRY_MS));
  }
  const renewal = setInterval(() => void renewSourceLeases(ctx.db, holder, [sourceId], ctx.now()).catch(() => {}), 1_000);
  try {
    return await poll();
  } finally {
    clearInterval(renewal);
    await releaseLease(ctx.db, name, holder).catch((error: unknown) => ctx.logger.warn({ err: error, source: sourceId }, 'the source lease was not handed back; it runs out by itself'));
  }
}
