/**
 * Sends the outbox. Each worker process runs one dispatcher; any number of them may share a database.
 *
 * One step: claim up to 100 due messages (a leased UPDATE, so no two workers claim the same row) →
 * render them → store the batch (members in order, idempotency key, exact request body) → call the
 * provider → record what it said. Retries, and takeovers after a crash, repeat a stored batch under
 * its stored key; the provider answers a repeated key with its first answer instead of sending again.
 * Together that makes every message go out once: a row is in at most one live batch, and a batch is
 * accepted by the provider at most once.
 *
 * Outcomes:
 * - Accepted: members become `sent` with the provider's ids; `sent_at` is when we learned of the
 *   acceptance, so it is never earlier than the acceptance itself (a safe bound for notice promises).
 * - One bad address: batches go out in Resend's permissive validation mode, so the provider creates the
 *   valid messages and names the refused ones by index; those fail with its reason, the rest are sent.
 *   Should it still refuse a whole batch as invalid (400/422: nothing was created), the batch is split
 *   and its members are sent one per call, so the bad one cannot hold back the others.
 * - 429: wait out Retry-After (this process stops calling meanwhile) and repeat; not a failed attempt.
 * - 5xx, lost connection, timeout: the outcome is unknown; repeat under the same key after an
 *   exponential back-off with jitter, and give up (members `failed`) after `maxAttempts` calls — except
 *   while the batch holds a notice with a deadline (a window's announcement, reminder or reschedule)
 *   whose window is still ahead: that is repeated, at the back-off's ceiling, until it is accepted or
 *   moot (the window started or was cancelled), and is then recorded as moot. Subscribers are told
 *   once after a long outage; the notice guarantee counts them late. Such a notice is never sent once
 *   moot: neither when freshly claimed nor when a stored batch is repeated or taken over.
 * - Quota exhausted, or the key refused: pause all sending (every worker sees it), alert the admins
 *   through the outbox and the log. A daily-quota pause lifts itself after midnight UTC; otherwise an
 *   admin resumes (POST /api/admin/outbox/resume).
 * The provider keeps idempotency keys for 24 hours: a batch repeated later than that is no longer
 * protected. Retries come within minutes; only a batch whose earlier call was lost and that then waits
 * out a day-long pause could outlive its key.
 *
 * Without RESEND_API_KEY the transport writes `.eml` files instead (development), through the same path.
 * The pacing (requests per second) is per process; with several processes give each a share of the
 * provider's limit — a 429 is still handled, it only costs time.
 */
import { hostname } from 'node:os';
import type { AppContext } from '../context.ts';
import type { EmailChannelModule, MailChannels } from '../delivery/channels.ts';
import { newId } from '../lib/ids.ts';
import { adminAlertDeliveries } from '../notices/recipients.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import {
  cancelClaimed,
  claimDueMessages,
  releaseClaimsOf,
  createBatch,
  failBatch,
  failClaimed,
  LostClaimError,
  nextWorkAt,
  postponeClaimed,
  releaseExpiredClaims,
  renewBatchLease,
  retryBatchLater,
  rowsForLapsedSubscribers,
  mootClaimedRows,
  deadlineMembers,
  settleAccepted,
  splitBatch,
  takeDueBatch,
  type Lease,
  type MessageOutcome,
} from './batch-store.ts';
import { queueNotice } from './outbox.ts';
import { endPause, nextUtcMidnight, readPause, recordDispatch, startPause, type MailPause } from './pause.ts';
import { classifyFailure, describeFailure } from './provider-errors.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { BatchResult, OutgoingEmail } from './transport.ts';
import type { OutboxBatchRow, OutboxRow, RenderedMail } from './types.ts';

/** A batch still failing this long after it was formed has the admins alerted (`admin.mail_failing`). */
export const FAILING_ALERT_AFTER_MS = 15 * 60_000;

/** Resend accepts at most 100 messages per batch call. */
export const MAX_BATCH_SIZE = 100;

export interface DispatcherOptions {
  /** The e-mail channel (worker/delivery/channels.ts): it checks, renders and sends every e-mail row. */
  channels: MailChannels;
  /** Sender; default MAIL_FROM. */
  from?: string;
  /** Provider calls per second from this process; default `config.mail.rate_limit_per_second`. */
  ratePerSecond?: number;
  /** Identifies this worker in leases; default `<host>:<pid>:<random>`. */
  owner?: string;
  /** Messages per provider call (1…100); default 100. */
  batchSize?: number;
  /** How long a claim or a batch is held before another worker may take it over; default 2 minutes. Must exceed the request timeout. */
  leaseMs?: number;
  /**
   * A provider call that has not answered by then counts as lost (and is repeated with the same key); default 30 s, or
   * half of `leaseMs` when that is shorter.
   */
  requestTimeoutMs?: number;
  /** Give a batch up after this many failed calls (server errors, lost connections), or a message after this many failed renders; default 12. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Batches in flight at once in this process (the pacing still holds); default 2. */
  concurrency?: number;
  /** Jitter source (tests pass a fixed one). */
  random?: () => number;
}

export interface RunSummary {
  batches: number;
  sent: number;
  failed: number;
  retried: number;
  paused: boolean;
}

type Prepared = { kind: 'batch'; batch: OutboxBatchRow } | { kind: 'progress' } | { kind: 'idle' } | { kind: 'paused' };

export class MailDispatcher {
  readonly owner: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly concurrency: number;
  private readonly random: () => number;
  private readonly from: string;
  private readonly limiter: RateLimiter;
  /** Stored batches are e-mail batches (Resend's batch API, request bodies kept as sent): the e-mail channel sends them. */
  private readonly batchChannel: EmailChannelModule;
  private stopped = false;
  /** DB work is done one step at a time: with `:memory:` an open transaction holds the only connection. */
  private dbQueue: Promise<unknown> = Promise.resolve();
  private lastRecorded = 0;
  private summary: RunSummary = emptySummary();

  constructor(
    private readonly ctx: AppContext,
    private readonly options: DispatcherOptions,
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${newId().slice(0, 6)}`;
    this.batchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, Math.floor(options.batchSize ?? MAX_BATCH_SIZE)));
    this.requestTimeoutMs = options.requestTimeoutMs ?? (options.leaseMs === undefined ? 30_000 : Math.min(30_000, Math.floor(options.leaseMs / 2)));
    this.leaseMs = options.leaseMs ?? Math.max(120_000, this.requestTimeoutMs * 2);
    if (this.leaseMs <= this.requestTimeoutMs) throw new RangeError(`leaseMs (${this.leaseMs}) must exceed requestTimeoutMs (${this.requestTimeoutMs})`);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 12);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.random = options.random ?? Math.random;
    this.from = options.from ?? ctx.env.MAIL_FROM;
    this.limiter = new RateLimiter(options.ratePerSecond ?? ctx.config.mail.rate_limit_per_second);
    this.batchChannel = options.channels.email;
  }

  /** Sends everything due now (several batches in flight at once), then returns. The job calls this every few seconds. */
  async runOnce(): Promise<RunSummary> {
    this.summary = emptySummary();
    // Every lane ends before the run does, even when one fails (a busy database, say): a lane left
    // running would add to the next run's and break the pacing. Whatever a failed lane held is
    // picked up again once its lease passes.
    const lanes = await Promise.allSettled(Array.from({ length: this.concurrency }, () => this.lane()));
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
    await this.serial(() => recordDispatch(this.ctx.db, this.ctx.now()));
    const summary = this.summary;
    if (summary.batches) this.ctx.logger.info({ mail: summary, owner: this.owner }, 'mail dispatched');
    return summary;
  }

  /**
   * Runs until the outbox has nothing left to send (waiting out back-offs and other workers' leases),
   * sending is paused, `stop()` is called, or `timeoutMs` passes. For scripts, tests and benchmarks.
   */
  async drain(options: { timeoutMs?: number; pollMs?: number } = {}): Promise<RunSummary> {
    const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    const total = emptySummary();
    while (!this.stopped) {
      const run = await this.runOnce();
      total.batches += run.batches;
      total.sent += run.sent;
      total.failed += run.failed;
      total.retried += run.retried;
      if (run.paused) return { ...total, paused: true };
      const next = await this.serial(() => nextWorkAt(this.ctx.db));
      if (!next) return total;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return total;
      const wait = Math.min(Math.max(next.getTime() - this.ctx.now().getTime(), 0), options.pollMs ?? 1_000, remaining);
      if (wait > 0) await sleep(wait);
    }
    return total;
  }

  /** Stops after the batches in flight are settled. */
  stop(): void {
    this.stopped = true;
  }

  /** After a stop: messages claimed but not yet in a batch go back to the queue now (batches keep their lease). */
  async release(): Promise<number> {
    const released = await this.serial(() => releaseClaimsOf(this.ctx.db, this.owner));
    if (released) this.ctx.logger.info({ released, owner: this.owner }, 'mail claims returned to the queue on shutdown');
    return released;
  }

  private async lane(): Promise<void> {
    while (!this.stopped) {
      const prepared = await this.serial(() => this.prepare());
      if (prepared.kind === 'idle') return;
      if (prepared.kind === 'paused') {
        this.summary.paused = true;
        return;
      }
      if (prepared.kind !== 'batch') continue;
      if (this.batchChannel.send.rateLimited) {
        const waitStart = Date.now();
        await this.limiter.acquire();
        // A long wait (a 429's Retry-After) may eat into the lease: renew it, or let go if it was taken over.
        if (Date.now() - waitStart > this.leaseMs / 4) {
          const lease = this.lease();
          if (!(await this.serial(() => renewBatchLease(this.ctx.db, prepared.batch.id, lease)))) continue;
        }
      }
      await this.send(prepared.batch);
      await this.noteProgress();
    }
  }

  private lease(): Lease {
    return { owner: this.owner, now: this.ctx.now(), leaseMs: this.leaseMs };
  }

  /** Finds the next batch to send: a due stored batch first (retries, takeovers), else a new one from due messages. */
  private async prepare(): Promise<Prepared> {
    const { db, logger } = this.ctx;
    if (await this.isPaused()) return { kind: 'paused' };
    const lease = this.lease();
    const due = await takeDueBatch(db, lease);
    // A stored batch is a repeat (a retry, or a takeover of a call whose outcome is unknown): worth it only while it matters.
    if (due && (await this.giveUpIfMoot(due, lease.now))) return { kind: 'progress' };
    if (due) return { kind: 'batch', batch: due };

    const released = await releaseExpiredClaims(db, lease.now);
    if (released) logger.warn({ released }, 'mail claims of a stopped worker returned to the queue');
    const rows = await claimDueMessages(db, lease, this.batchSize);
    if (!rows.length) return { kind: 'idle' };

    const members: { id: string; email: OutgoingEmail }[] = [];
    const rejected: { id: string; error: string }[] = [];
    const postponed: { id: string; error: string; attempts: number }[] = [];
    const lapsed = await rowsForLapsedSubscribers(db, rows);
    const moot = await mootClaimedRows(db, rows, lease.now);
    for (const row of rows) {
      if (lapsed.has(row.id)) continue;
      if (moot.has(row.id)) {
        rejected.push({ id: row.id, error: 'moot: its window started or was cancelled before it was sent; not sent' });
        continue;
      }
      // Only e-mail rows are claimed here (HTTP channels have their own dispatcher).
      const channel = row.channel === 'email' ? this.options.channels.email : undefined;
      const problem = channel?.targetProblem(row.target);
      if (problem) {
        rejected.push({ id: row.id, error: `invalid recipient "${row.target}": ${problem}` });
        continue;
      }
      try {
        if (!channel) throw new Error(`no delivery module for channel "${row.channel}"`);
        members.push({ id: row.id, email: this.toEmail(row, checkRendered(await channel.render(row))) });
      } catch (error) {
        postponed.push({ id: row.id, error: `render failed: ${(error as Error).message}`.slice(0, 1000), attempts: row.attempts + 1 });
      }
    }
    if (rejected.length || postponed.length || lapsed.size) {
      await db.transaction(async (tx) => {
        for (const [id, reason] of lapsed) await cancelClaimed(tx, id, this.owner, reason);
        for (const r of rejected) await failClaimed(tx, r.id, this.owner, r.error);
        for (const p of postponed) {
          if (p.attempts >= this.maxAttempts) await failClaimed(tx, p.id, this.owner, `${p.error} (gave up after ${p.attempts} attempts)`, p.attempts);
          else await postponeClaimed(tx, p.id, this.owner, new Date(lease.now.getTime() + backoffDelay(p.attempts, this.backoff, this.random)), p.error);
        }
      });
      this.summary.failed += rejected.length + postponed.filter((p) => p.attempts >= this.maxAttempts).length;
      for (const r of rejected) logger.warn({ outbox: r.id, error: r.error }, 'mail not sendable');
      for (const p of postponed) logger.error({ outbox: p.id, error: p.error, attempts: p.attempts }, 'mail render failed');
    }
    if (!members.length) return { kind: 'progress' };
    try {
      return { kind: 'batch', batch: await createBatch(db, this.lease(), members) };
    } catch (error) {
      if (!(error instanceof LostClaimError)) throw error;
      logger.warn({ err: error }, 'mail claim lost before batching; another worker has the messages');
      return { kind: 'progress' };
    }
  }

  /**
   * A repeated batch made only of notices whose window has started or was called off is not worth another call:
   * it is recorded as moot without one, whatever its attempts so far, a takeover included (telling of a window
   * after it began would only confuse). Returns whether it was.
   */
  private async giveUpIfMoot(batch: OutboxBatchRow, now: Date): Promise<boolean> {
    const deadlines = await deadlineMembers(this.ctx.db, batch.id, now);
    if (deadlines.live > 0 || deadlines.moot < batch.memberCount) return false;
    const message = `moot: its window started or was cancelled before the provider accepted it; given up after ${batch.attempts} attempts (the provider may or may not have accepted it)${batch.lastError ? `: ${batch.lastError}` : ''}`;
    if (!(await this.ctx.db.transaction((tx) => failBatch(tx, batch, this.owner, now, message, false)))) return true;
    this.summary.failed += batch.memberCount;
    this.ctx.logger.warn({ batch: batch.id, members: batch.memberCount, attempts: batch.attempts }, 'mail batch moot before its next call: not repeated');
    return true;
  }

  private toEmail(row: OutboxRow, rendered: RenderedMail): OutgoingEmail {
    return {
      from: this.from,
      to: row.target,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      // Traces a delivered message back to its outbox row, and keeps mail clients from threading notices together.
      headers: { ...rendered.headers, 'X-Entity-Ref-ID': row.id },
    };
  }

  private async send(batch: OutboxBatchRow): Promise<void> {
    const payload = batch.payload;
    let result: BatchResult;
    if (!payload || payload.emails.length !== payload.messageIds.length) {
      await this.serial(() => this.ctx.db.transaction((tx) => failBatch(tx, batch, this.owner, this.ctx.now(), 'the stored batch has no request body', false)));
      return;
    }
    try {
      result = await this.batchChannel.send.sendBatch({
        idempotencyKey: batch.idempotencyKey,
        emails: payload.emails as unknown as OutgoingEmail[],
        messageIds: payload.messageIds,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      result = { ok: false, failure: { status: null, name: 'application_error', message: (error as Error).message, headers: null } };
    }
    await this.serial(() => this.settle(batch, payload.messageIds, result));
  }

  private async settle(batch: OutboxBatchRow, messageIds: string[], result: BatchResult): Promise<void> {
    const { db, logger } = this.ctx;
    const now = this.ctx.now();
    const log = { batch: batch.id, key: batch.idempotencyKey, members: batch.memberCount, attempt: batch.attempts + 1, owner: this.owner };

    if (result.ok) {
      const outcomes: MessageOutcome[] = messageIds.map((id, i) => {
        const r = result.results[i];
        if (!r) return { id, ok: true, providerId: null };
        return r.ok ? { id, ok: true, providerId: r.id } : { id, ok: false, error: r.error };
      });
      const held = await db.transaction((tx) => settleAccepted(tx, batch, this.owner, now, outcomes, result.response));
      if (!held) return logger.warn(log, 'mail batch answered after its lease passed to another worker; left to that worker');
      const refused = outcomes.filter((o) => !o.ok).length;
      this.ctx.health?.succeeded('mail');
      this.summary.batches++;
      this.summary.sent += outcomes.length - refused;
      this.summary.failed += refused;
      if (refused) logger.warn({ ...log, refused }, 'provider refused some messages of a batch');
      else logger.debug(log, 'mail batch accepted');
      return;
    }

    const failure = result.failure;
    const error = describeFailure(failure);
    const kind = classifyFailure(failure, Date.now());
    // One refused address or a request to wait says nothing of delivery as a whole; the rest does.
    if (kind.kind !== 'rejected' && kind.kind !== 'rate_limited' && kind.kind !== 'in_progress') {
      this.ctx.health?.failed('mail', healthMessage(failure));
    }
    switch (kind.kind) {
      case 'rate_limited':
      case 'in_progress': {
        // Nothing was done: not a failed attempt. Everyone in this process waits, not just this batch.
        this.limiter.deferFor(kind.retryAfterMs);
        await db.transaction((tx) => retryBatchLater(tx, batch, this.owner, now, new Date(now.getTime() + kind.retryAfterMs), error, false));
        this.summary.retried++;
        logger.warn({ ...log, waitMs: kind.retryAfterMs, error }, 'provider asked to wait; batch will be repeated');
        return;
      }
      case 'transient': {
        const attempts = batch.attempts + 1;
        const deadlines = attempts >= this.maxAttempts ? await deadlineMembers(db, batch.id, now) : null;
        if (deadlines && deadlines.live === 0) {
          const message = deadlines.moot
            ? `moot: its window started or was cancelled before the provider accepted it; gave up after ${attempts} attempts (the provider may or may not have accepted it): ${error}`
            : `gave up after ${attempts} attempts (the provider may or may not have accepted it): ${error}`;
          await db.transaction((tx) => failBatch(tx, batch, this.owner, now, message, true));
          this.summary.failed += batch.memberCount;
          logger.error({ ...log, error }, 'mail batch given up');
          return;
        }
        const delay = backoffDelay(attempts, this.backoff, this.random);
        const failingLong = now.getTime() - batch.createdAt.getTime() >= FAILING_ALERT_AFTER_MS;
        await db.transaction(async (tx) => {
          if (!(await retryBatchLater(tx, batch, this.owner, now, new Date(now.getTime() + delay), error, true))) return;
          if (failingLong) await this.queueFailingAlert(tx, batch, attempts, error, now);
        });
        this.summary.retried++;
        logger.warn({ ...log, delayMs: delay, error }, 'mail batch failed; will be repeated with the same idempotency key');
        return;
      }
      case 'quota':
      case 'misconfigured': {
        const pause: MailPause = {
          reason: kind.kind === 'quota' ? 'quota' : 'provider_refused',
          code: failure.name,
          message: failure.message,
          pausedAt: now.toISOString(),
          until: kind.kind === 'quota' && kind.scope === 'daily' ? nextUtcMidnight(now).toISOString() : null,
        };
        const started = await db.transaction(async (tx) => {
          await retryBatchLater(tx, batch, this.owner, now, now, error, false);
          const first = await startPause(tx, pause, now);
          if (first) await this.queuePauseAlert(tx, pause, now);
          return first;
        });
        this.summary.paused = true;
        if (started) logger.error({ ...log, pause, admins: this.ctx.config.admins.length }, 'mail sending paused; admins alerted');
        return;
      }
      case 'rejected': {
        if (batch.memberCount > 1) {
          await db.transaction((tx) => splitBatch(tx, batch, this.owner, now, error));
          logger.warn({ ...log, error }, 'provider refused the whole batch; its messages will be sent one by one');
        } else {
          await db.transaction((tx) => failBatch(tx, batch, this.owner, now, `refused by the provider: ${error}`, true));
          this.summary.failed += 1;
          logger.warn({ ...log, error }, 'provider refused a message');
        }
        return;
      }
      case 'key_conflict': {
        // Repeating under a new key could deliver twice; a person has to look at it.
        await db.transaction((tx) => failBatch(tx, batch, this.owner, now, `the provider holds a different request under this batch's idempotency key; not repeated: ${error}`, true));
        this.summary.failed += batch.memberCount;
        logger.error({ ...log, error }, 'mail batch idempotency conflict');
        return;
      }
    }
  }

  private async queuePauseAlert(tx: Parameters<typeof queueNotice>[0], pause: MailPause, now: Date): Promise<void> {
    await queueNotice(
      tx,
      { kind: 'admin.mail_paused', reason: pause.reason, code: pause.code, message: pause.message, pausedAt: pause.pausedAt, until: pause.until, resumePath: '/api/admin/outbox/resume' },
      await adminAlertDeliveries(tx, 'admin.mail_paused', this.ctx.config.admins, (to) => `admin.mail_paused:${pause.pausedAt}:${to}`),
      now,
    );
  }

  /**
   * Tells the admins that the provider has been failing for a while, by e-mail (queued behind the failing mail) and
   * on the team channels that ask for it (which do not depend on the provider). One alert per hour the failing
   * batches were formed in, whichever of them crosses the threshold first.
   */
  private async queueFailingAlert(tx: Parameters<typeof queueNotice>[0], batch: OutboxBatchRow, attempts: number, error: string, now: Date): Promise<void> {
    const hour = Math.floor(batch.createdAt.getTime() / 3_600_000);
    await queueNotice(
      tx,
      { kind: 'admin.mail_failing', since: batch.createdAt.toISOString(), attempts, waiting: batch.memberCount, error: error.slice(0, 1000) },
      await adminAlertDeliveries(tx, 'admin.mail_failing', this.ctx.config.admins, (to) => `admin.mail_failing:${hour}:${to}`),
      now,
    );
  }

  private async isPaused(): Promise<boolean> {
    const pause = await readPause(this.ctx.db);
    if (!pause) return false;
    if (pause.until && new Date(pause.until).getTime() <= this.ctx.now().getTime()) {
      await endPause(this.ctx.db);
      this.ctx.logger.info({ pause }, 'mail sending resumed (pause expired)');
      return false;
    }
    this.ctx.health?.failed('mail', `sending is paused (${pause.reason})`);
    return true;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.dbQueue.then(task, task);
    this.dbQueue = run.catch(() => undefined);
    return run;
  }

  /** Keeps the health check's "last dispatch" fresh during a long send, without a write per batch. */
  private async noteProgress(): Promise<void> {
    const now = this.ctx.now();
    if (now.getTime() - this.lastRecorded < 5_000) return;
    this.lastRecorded = now.getTime();
    await this.serial(() => recordDispatch(this.ctx.db, now));
  }
}

function checkRendered(rendered: RenderedMail): RenderedMail {
  if (!rendered || typeof rendered.subject !== 'string' || !rendered.subject.trim()) throw new Error('the template produced no subject');
  if (typeof rendered.html !== 'string' || typeof rendered.text !== 'string') throw new Error('the template produced no html or text body');
  for (const [name, value] of Object.entries(rendered.headers ?? {})) {
    if (typeof value !== 'string' || /[\r\n]/.test(value)) throw new Error(`header ${name} is not a single-line string`);
  }
  return rendered;
}

function emptySummary(): RunSummary {
  return { batches: 0, sent: 0, failed: 0, retried: 0, paused: false };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A failed call as the public health check says it: the provider's status and error name, never its message. */
function healthMessage(failure: { status: number | null; name: string }): string {
  const name = failure.name.replace(/[^a-z0-9_]/gi, '').slice(0, 60);
  return failure.status === null ? `the mail provider could not be reached or written to (${name})` : `the mail provider answered ${failure.status} (${name})`;
}

export function createMailDispatcher(ctx: AppContext, options: DispatcherOptions): MailDispatcher {
  return new MailDispatcher(ctx, options);
}

