/**
 * Sends the outbox rows of the HTTP channels (webhooks, chat): one POST per row to its subscription's URL.
 *
 * A step claims due rows under a lease, checks each row's subscription still wants it (a paused, disabled or removed
 * one is cancelled), renders the request with the channel's module, waits its turn for the destination host, posts,
 * and records the outcome:
 * - 2xx: sent (a webhook's verification event answered with a 2xx verifies its subscription);
 * - 410 Gone: failed, and the subscription is switched off at once;
 * - any other answer, a timeout, a lost connection: tried again after an exponential back-off with jitter, or after
 *   the receiver's `Retry-After` when it gives one (the host's pacing waits too); given up after `maxAttempts`;
 *   every failed attempt counts toward switching the subscription off (see `DisablePolicy`);
 * - refused by the egress policy: failed at once (the address will not become public by waiting).
 * Every attempt of a row carries the same `webhook-id` (its outbox id), so receivers can drop duplicates.
 */
import { hostname } from 'node:os';
import type { AppContext } from '../../context.ts';
import { isHttpChannel } from '../../core/notices.ts';
import { newId } from '../../lib/ids.ts';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffPolicy } from '../../mail/backoff.ts';
import { RateLimiter } from '../../mail/rate-limiter.ts';
import type { OutboxRow } from '../../mail/types.ts';
import { checkNotice } from '../../notices/notice.ts';
import { channelSubscriptionsByIds, type ChannelSubscriptionRow } from '../../subscribers/channel-store.ts';
import { loadSigningSecret } from '../../subscribers/links.ts';
import { isTeamChannel } from '../../subscribers/team-channels.ts';
import { channelManageUrl, DEFAULT_DISABLE_POLICY, markChannelVerified, recordChannelFailure, recordChannelSuccess, type DisablePolicy } from '../../subscribers/channel-service.ts';
import type { ChannelRegistry } from '../channels.ts';
import type { HttpChannelModule } from './channel.ts';
import { egressPolicyFromEnv, type EgressPolicy } from '../../lib/egress.ts';
import { postJson, type PostOutcome } from './request.ts';
import { claimDueHttpRows, markCancelled, markDelivered, markFailed, nextHttpWorkAt, releaseExpiredHttpClaims, releaseHttpClaimsOf, retryLater, type RowLease } from './row-store.ts';

export interface HttpDispatcherOptions {
  channels: Pick<ChannelRegistry, 'webhook' | 'slack' | 'teams' | 'discord' | 'google_chat'>;
  /** Default: from VIGIA_ALLOW_PRIVATE_NETWORKS and VIGIA_EGRESS_ALLOW. */
  egress?: EgressPolicy;
  /** A request with no complete answer by then counts as failed; default 10 s. */
  timeoutMs?: number;
  /** Response bytes read; default 64 KiB. */
  maxResponseBytes?: number;
  /** Request starts per second to one host; default 20. */
  perHostPerSecond?: number;
  /** Requests in flight at once in this process; default 16. */
  concurrency?: number;
  /** Give a row up after this many failed attempts; default 12 (about a day of back-off). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  disablePolicy?: DisablePolicy;
  /** How long a claim is held before another worker may take it over; default 2 minutes (more than the timeout). */
  leaseMs?: number;
  owner?: string;
  random?: () => number;
}

export interface HttpRunSummary {
  sent: number;
  failed: number;
  retried: number;
  cancelled: number;
}

const emptySummary = (): HttpRunSummary => ({ sent: 0, failed: 0, retried: 0, cancelled: 0 });

const CLAIM = 200;

export class HttpDispatcher {
  readonly owner: string;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly egress: EgressPolicy;
  private readonly limiters = new Map<string, RateLimiter>();
  private dbQueue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: HttpDispatcherOptions,
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${newId().slice(0, 6)}:http`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.leaseMs = options.leaseMs ?? Math.max(120_000, this.timeoutMs * 4);
    this.egress = options.egress ?? egressPolicyFromEnv(ctx.env);
  }

  /** Sends everything due now, then returns. */
  async runOnce(): Promise<HttpRunSummary> {
    const summary = emptySummary();
    for (;;) {
      if (this.stopped) return summary;
      const lease = this.lease();
      const rows = await this.serial(async () => {
        const released = await releaseExpiredHttpClaims(this.ctx.db, lease.now);
        if (released) this.ctx.logger.warn({ released }, 'HTTP delivery claims of a stopped worker returned to the queue');
        return claimDueHttpRows(this.ctx.db, lease, CLAIM);
      });
      if (!rows.length) return summary;
      const subscriptions = new Map((await this.serial(() => channelSubscriptionsByIds(this.ctx.db, rows.map((r) => r.subscriberId ?? '')))).map((s) => [s.id, s]));
      const linkSecret = await this.serial(() => loadSigningSecret(this.ctx.db));
      let next = 0;
      const lane = async () => {
        // Once stopped, the rows not yet started are left claimed for `release()`.
        while (next < rows.length && !this.stopped) {
          const row = rows[next++]!;
          await this.deliver(row, subscriptions.get(row.subscriberId ?? ''), linkSecret, summary);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 16) }, lane));
    }
  }

  /** Runs until nothing is left to send (waiting out back-offs), `stop()` is called, or `timeoutMs` passes. For tests and scripts. */
  async drain(options: { timeoutMs?: number; pollMs?: number } = {}): Promise<HttpRunSummary> {
    const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    const total = emptySummary();
    while (!this.stopped) {
      const run = await this.runOnce();
      for (const key of Object.keys(total) as (keyof HttpRunSummary)[]) total[key] += run[key];
      const nextAt = await this.serial(() => nextHttpWorkAt(this.ctx.db));
      const remaining = deadline - Date.now();
      if (!nextAt || remaining <= 0) return total;
      const wait = Math.min(Math.max(nextAt.getTime() - this.ctx.now().getTime(), 0), options.pollMs ?? 1_000, remaining);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return total;
  }

  stop(): void {
    this.stopped = true;
  }

  /** After a stop: the rows this worker claimed and did not send go back to the queue now. */
  async release(): Promise<number> {
    const released = await this.serial(() => releaseHttpClaimsOf(this.ctx.db, this.owner));
    if (released) this.ctx.logger.info({ released, owner: this.owner }, 'HTTP delivery claims returned to the queue on shutdown');
    return released;
  }

  private lease(): RowLease {
    return { owner: this.owner, now: this.ctx.now(), leaseMs: this.leaseMs };
  }

  private async deliver(row: OutboxRow, subscription: ChannelSubscriptionRow | undefined, linkSecret: string, summary: HttpRunSummary): Promise<void> {
    const { db, logger } = this.ctx;
    const lapsed = lapseReason(row, subscription);
    if (lapsed || !subscription) {
      await this.serial(() => markCancelled(db, row.id, this.owner, lapsed ?? 'no subscription'));
      summary.cancelled++;
      return;
    }
    const module = isHttpChannel(row.channel) ? (this.options.channels[row.channel] as HttpChannelModule | undefined) : undefined;
    const checked = checkNotice(row.notice);
    const problem = !module ? `no delivery module for channel "${row.channel}"` : !checked.ok ? `bad notice: ${checked.problems}` : module.targetProblem(row.target);
    if (problem || !module || !checked.ok) {
      await this.serial(() => markFailed(db, row.id, this.owner, problem ?? 'not deliverable', false));
      summary.failed++;
      logger.warn({ outbox: row.id, error: problem }, 'HTTP delivery not sendable');
      return;
    }

    let outcome: PostOutcome;
    try {
      const request = module.render(checked.notice, {
        channel: subscription.channel,
        subscriptionId: subscription.id,
        locale: row.locale,
        timeZone: row.timeZone ?? subscription.timezone,
        messageId: `msg_${row.id}`,
        sentAt: this.ctx.now(),
        signingSecret: subscription.signingSecret,
        // The config's team channels are managed in the file, not through a link.
        manageUrl: isTeamChannel(subscription.id) ? null : channelManageUrl(linkSecret, this.ctx.config.site.url, subscription.id),
      });
      await this.limiterFor(row.target).acquire();
      outcome = await postJson({ url: row.target, body: request.body, headers: request.headers, policy: this.egress, timeoutMs: this.timeoutMs, maxResponseBytes: this.options.maxResponseBytes ?? 64 * 1024 });
    } catch (error) {
      outcome = { kind: 'failed', error: `render failed: ${(error as Error).message}`, refused: false };
    }
    await this.serial(() => this.settle(row, subscription, outcome, summary));
  }

  private async settle(row: OutboxRow, subscription: ChannelSubscriptionRow, outcome: PostOutcome, summary: HttpRunSummary): Promise<void> {
    const { db, logger, config } = this.ctx;
    const now = this.ctx.now();
    const log = { outbox: row.id, channel: row.channel, subscription: subscription.id, attempt: row.attempts + 1 };
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) {
      const held = await db.transaction(async (tx) => {
        if (!(await markDelivered(tx, row.id, this.owner, now, outcome.status))) return false;
        await recordChannelSuccess(tx, subscription, now);
        if (row.kind === 'subscription.confirm' && subscription.channel === 'webhook') await markChannelVerified(tx, subscription.id, now);
        return true;
      });
      if (held) summary.sent++;
      else logger.warn(log, 'HTTP delivery answered after its lease passed to another worker');
      return;
    }

    const gone = outcome.kind === 'answered' && outcome.status === 410;
    const error = outcome.kind === 'answered' ? `HTTP ${outcome.status}${outcome.body ? `: ${outcome.body.slice(0, 200)}` : ''}` : outcome.error;
    const attempts = row.attempts + 1;
    const giveUp = gone || (outcome.kind === 'failed' && outcome.refused) || attempts >= (this.options.maxAttempts ?? 12);
    const retryAfterMs = outcome.kind === 'answered' ? parseRetryAfter(headerValue(outcome.headers['retry-after']), now.getTime()) : null;
    if (retryAfterMs !== null) this.limiterFor(row.target).deferFor(retryAfterMs);
    const delay = retryAfterMs ?? backoffDelay(attempts, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random ?? Math.random);
    const disabled = await db.transaction(async (tx) => {
      const held = giveUp
        ? await markFailed(tx, row.id, this.owner, gone ? `the receiver answered 410 Gone; subscription disabled` : `gave up after ${attempts} attempts: ${error}`, true)
        : await retryLater(tx, row.id, this.owner, new Date(now.getTime() + delay), error);
      if (!held) return null;
      return recordChannelFailure(tx, subscription, now, {
        gone,
        reason: error,
        policy: this.options.disablePolicy ?? DEFAULT_DISABLE_POLICY,
        admins: config.admins,
        adminTimeZone: config.site.timezone,
      });
    });
    if (disabled === null) return logger.warn(log, 'HTTP delivery answered after its lease passed to another worker');
    if (giveUp) summary.failed++;
    else summary.retried++;
    logger.warn({ ...log, error, retryInMs: giveUp ? null : delay }, giveUp ? 'HTTP delivery given up' : 'HTTP delivery failed; will be repeated with the same webhook-id');
    if (disabled) logger.error({ subscription: subscription.id, channel: subscription.channel }, 'channel subscription disabled; admins told');
  }

  private limiterFor(url: string): RateLimiter {
    const host = new URL(url).host;
    let limiter = this.limiters.get(host);
    if (!limiter) {
      limiter = new RateLimiter(this.options.perHostPerSecond ?? 20);
      this.limiters.set(host, limiter);
    }
    return limiter;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.dbQueue.then(task, task);
    this.dbQueue = run.catch(() => undefined);
    return run;
  }
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Why a row must not go out any more, or null. A verification message is for a pending subscription. */
function lapseReason(row: OutboxRow, subscription: ChannelSubscriptionRow | undefined): string | null {
  if (!subscription) return 'the subscription was removed';
  const allowed = row.kind === 'subscription.confirm' ? subscription.status === 'pending' : subscription.status === 'confirmed';
  return allowed ? null : `subscription is ${subscription.status}`;
}

export function createHttpDispatcher(ctx: AppContext, options: HttpDispatcherOptions): HttpDispatcher {
  return new HttpDispatcher(ctx, options);
}
