import { asc, desc, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { maintenanceNotices, maintenances } from '../../db/schema/index.ts';
import type { AppContext } from '../context.ts';
import { iso } from '../lib/iso.ts';
import { groupBy } from '../lib/group-by.ts';
import { effectiveMaintenanceStatus } from '../status/derive.ts';
import { loadConditionInputs } from '../status/condition-inputs.ts';
import { withMaintenanceDetails, type MaintenanceView } from '../status/read-model.ts';
import { v2ItemContext, v2Maintenance } from '../status/statuspage-v2.ts';
import { deliveryFigures } from './delivery-figures.ts';
import { noticeSummary } from './notice-guarantee.ts';
import { suggestedStart } from './notice-rule.ts';

/** Windows (all of them, not only what the public page shows) with their timelines and components. */
export async function loadMaintenanceViews(db: DbOrTx, ids?: readonly string[]): Promise<MaintenanceView[]> {
  const rows = ids
    ? ids.length
      ? await db.select().from(maintenances).where(inArray(maintenances.id, [...ids]))
      : []
    : await db.select().from(maintenances).orderBy(desc(maintenances.startsAt)).limit(500);
  return withMaintenanceDetails(db, rows);
}

/** The windows `loadMaintenanceViews` lists, narrowed to those whose status as of `now` is `status` (all without one). */
export async function listMaintenanceViews(db: DbOrTx, now: Date, status?: string): Promise<MaintenanceView[]> {
  return (await loadMaintenanceViews(db)).filter((m) => !status || effectiveMaintenanceStatus(m, now) === status);
}

/**
 * The admin's view of windows: the public (Statuspage-shaped) fields plus the notice state — the
 * measured guarantee, every planned/queued notice, and a suggested new start when the notice was late.
 */
export async function adminMaintenanceViews(app: AppContext, views: MaintenanceView[]) {
  const now = app.now();
  const ctx = v2ItemContext(app.config, await loadConditionInputs(app.db, now, views.flatMap((v) => v.componentIds)), now);
  const ids = views.map((v) => v.id);
  const notices = ids.length
    ? await app.db.select().from(maintenanceNotices).where(inArray(maintenanceNotices.maintenanceId, ids)).orderBy(asc(maintenanceNotices.dueAt), asc(maintenanceNotices.kind))
    : [];
  const noticesOf = groupBy(notices, (n) => n.maintenanceId);
  const delivery = await deliveryFigures(app.db, ids);
  const minNotice = app.config.maintenance.min_notice;
  return Promise.all(
    views.map(async (m) => {
      const notice = await noticeSummary(app.db, m, minNotice, now);
      const late = notice?.status === 'late' && effectiveMaintenanceStatus(m, now) === 'scheduled';
      return {
        ...v2Maintenance(ctx, m),
        version: m.version,
        cancelled_at: iso(m.cancelledAt),
        cancel_reason: m.cancelReason,
        notify: m.notify,
        notice,
        late_notice_at: iso(m.lateNoticeAt),
        suggested_start: late ? suggestedStart(now, minNotice).toISOString() : null,
        delivery: delivery.get(m.id) ?? {},
        notices: (noticesOf.get(m.id) ?? []).map((n) => ({
          kind: n.kind,
          version: n.version,
          offset_ms: n.offsetMs,
          due_at: n.dueAt.toISOString(),
          state: n.state,
          queued_at: iso(n.queuedAt),
          recipients: n.recipients,
          reason: n.reason,
        })),
      };
    }),
  );
}
