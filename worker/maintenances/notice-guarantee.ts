/**
 * The promise, measured: for every recipient of a window's announcement, on every channel, when did the mail
 * provider (or the webhook's or chat service's receiver) accept it, and was that at least `minNotice` before the start?
 */
import { and, eq, gt, isNull, lte, ne } from 'drizzle-orm';
import type { Database, DbOrTx } from '../../db/client.ts';
import { maintenances, outbox } from '../../db/schema/index.ts';
import type { Config } from '../config/load.ts';
import type { OutboxState } from '../core/vocabulary.ts';
import { groupBy } from '../lib/group-by.ts';
import { queueNotice } from '../mail/outbox.ts';
import { measuredNotice } from '../notices/plan.ts';
import { adminAlertDeliveries } from '../notices/recipients.ts';
import { noticeDeadline, suggestedStart } from './notice-rule.ts';
import { markLateNotice } from './service.ts';

type MaintenanceRow = typeof maintenances.$inferSelect;

export interface DeliveryRow {
  /** The outbox channel (`email`, `webhook`, `slack`…); rows without one are counted as e-mail. */
  channel?: string;
  state: OutboxState;
  sentAt: Date | null;
}

/** "Notified N of M, all ≥ min_notice ahead" for one channel's recipients. */
export interface ChannelNoticeSummary {
  recipients: number;
  /** Of those, how many were accepted (by the mail provider, or with a 2xx by the receiver). */
  notified: number;
  all_ahead: boolean;
  late_count: number;
  status: 'pending' | 'ok' | 'late';
}

/** The counts in total (`recipients`: messages queued for the notice that told subscribers of the current start, on every channel). */
export interface NoticeSummary extends ChannelNoticeSummary {
  /** The deadline: a message accepted after this instant was late (start − min_notice). Null when the rule does not apply. */
  earliest_allowed_late_at: string | null;
  /** The same counts per channel that has recipients (e-mail, webhook, slack…). */
  by_channel: Record<string, ChannelNoticeSummary>;
}

/** Pure: the summary of a notice's deliveries against its deadline (null deadline: the rule does not apply), in total and per channel. */
export function summariseNotice(rows: readonly DeliveryRow[], deadline: Date | null, now: Date, markedLate: boolean): NoticeSummary {
  const byChannel = groupBy(rows, (r) => r.channel ?? 'email');
  return {
    ...channelSummary(rows, deadline, now, markedLate),
    earliest_allowed_late_at: deadline?.toISOString() ?? null,
    // The window's stored late mark is a verdict on the whole notice; each channel is judged on its own rows.
    by_channel: Object.fromEntries([...byChannel].sort(([a], [b]) => a.localeCompare(b)).map(([channel, own]) => [channel, channelSummary(own, deadline, now, false)])),
  };
}

function channelSummary(rows: readonly DeliveryRow[], deadline: Date | null, now: Date, markedLate: boolean): ChannelNoticeSummary {
  const accepted = rows.filter((r) => r.state === 'sent' && r.sentAt);
  const lateRows = deadline
    ? rows.filter((r) => {
        const sentAt = r.state === 'sent' ? r.sentAt : null;
        return sentAt ? sentAt.getTime() > deadline.getTime() : now.getTime() > deadline.getTime();
      })
    : [];
  const late = lateRows.length > 0 || markedLate;
  const allSent = accepted.length === rows.length;
  return {
    recipients: rows.length,
    notified: accepted.length,
    all_ahead: allSent && lateRows.length === 0,
    late_count: lateRows.length,
    status: late ? 'late' : allSent ? 'ok' : 'pending',
  };
}

const isUpstream = (m: MaintenanceRow) => m.sourceId !== null || m.upstreamId !== null;

/** The outbox rows of the notice that told subscribers of the window's current start. */
export async function measuredDeliveries(db: DbOrTx, window: MaintenanceRow): Promise<DeliveryRow[]> {
  const measured = measuredNotice(isUpstream(window) ? 0 : window.noticeVersion);
  return db
    .select({ channel: outbox.channel, state: outbox.state, sentAt: outbox.sentAt })
    .from(outbox)
    .where(
      and(
        eq(outbox.maintenanceId, window.id),
        eq(outbox.kind, measured.kind),
        measured.version === null ? undefined : eq(outbox.maintenanceVersion, measured.version),
        // Mail withheld because the person unsubscribed after it was queued is nobody left to notify.
        ne(outbox.state, 'cancelled'),
      ),
    );
}

/** The window's notice summary; windows that notify nobody have none. Upstream windows are not held to the rule. */
export async function noticeSummary(db: DbOrTx, window: MaintenanceRow, minNotice: number, now: Date): Promise<NoticeSummary | null> {
  if (!window.notify) return null;
  const deadline = isUpstream(window) ? null : noticeDeadline(window.startsAt, minNotice);
  return summariseNotice(await measuredDeliveries(db, window), deadline, now, window.lateNoticeAt !== null);
}

/** How far back the check looks: a window long over needs no new verdict. */
const CHECK_HORIZON_MS = 2 * 86_400_000;

/**
 * Marks our windows whose notice is (or will inevitably be) late, and queues one mail per admin
 * offering a reschedule. Returns the ids newly marked.
 */
export async function checkLateNotices(db: Database, config: Config, now: Date): Promise<string[]> {
  const minNotice = config.maintenance.min_notice;
  const candidates = await db
    .select()
    .from(maintenances)
    .where(
      and(
        isNull(maintenances.sourceId),
        isNull(maintenances.upstreamId),
        eq(maintenances.notify, true),
        isNull(maintenances.lateNoticeAt),
        ne(maintenances.status, 'cancelled'),
        // The deadline has passed (start − min_notice ≤ now): only then can a notice be late.
        lte(maintenances.startsAt, new Date(now.getTime() + minNotice)),
        gt(maintenances.endsAt, new Date(now.getTime() - CHECK_HORIZON_MS)),
      ),
    );
  const marked: string[] = [];
  for (const window of candidates) {
    const summary = await noticeSummary(db, window, minNotice, now);
    if (!summary || summary.late_count === 0) continue;
    const newlyMarked = await db.transaction(async (tx) => {
      if (!(await markLateNotice(tx, window, summary.late_count, now))) return false;
      const stillAhead = window.status === 'scheduled' && window.startsAt.getTime() > now.getTime();
      await queueNotice(
        tx,
        {
          kind: 'admin.late_notice',
          maintenanceId: window.id,
          title: window.title,
          startsAt: window.startsAt.toISOString(),
          endsAt: window.endsAt.toISOString(),
          deadline: summary.earliest_allowed_late_at,
          recipients: summary.recipients,
          notified: summary.notified,
          lateCount: summary.late_count,
          suggestedStart: stillAhead ? suggestedStart(now, minNotice).toISOString() : null,
        },
        await adminAlertDeliveries(tx, 'admin.late_notice', config.admins, (to) => `maintenance:${window.id}:late_notice:${window.version}:${to.toLowerCase()}`, config.site.timezone),
        now,
      );
      return true;
    });
    if (newlyMarked) marked.push(window.id);
  }
  return marked;
}
