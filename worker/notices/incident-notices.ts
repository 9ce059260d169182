import { asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, incidentComponents, incidents, incidentUpdates, sources } from '../../db/schema/index.ts';
import { queueNotice } from '../mail/outbox.ts';
import { parseNotice } from './notice.ts';
import { incidentRecipientPages, toSubscriber } from './recipients.ts';
import { yieldToEventLoop } from '../lib/event-loop.ts';
import type { IncidentNoticeKind } from './incident-notice-kind.ts';

// Which notice an incident change causes is decided in incident-notice-kind.ts (pure); importers find it here too.
export { incidentNoticeKindFor, type IncidentNoticeKind } from './incident-notice-kind.ts';

/**
 * Deterministic key: `incident:<id>:opened:<subscriber>`, or with the update it reports for
 * updates and resolutions (`incident:<id>:updated:<update id>:<subscriber>`).
 */
export function incidentNoticeKey(incidentId: string, kind: IncidentNoticeKind, updateId: string | null, subscriberId: string): string {
  return kind === 'opened' || !updateId ? `incident:${incidentId}:${kind}:${subscriberId}` : `incident:${incidentId}:${kind}:${updateId}:${subscriberId}`;
}


/** What an incident notice is made of: the incident as stored, the update it reports, its components in order. */
export interface IncidentNoticeSubject {
  incident: typeof incidents.$inferSelect;
  update: typeof incidentUpdates.$inferSelect | undefined;
  components: { id: string; name: string }[];
}

/**
 * Queues an incident notice to the confirmed subscribers of its components who asked for incident
 * notices at its severity. Runs in the caller's transaction (staff changes and upstream recording
 * alike). `updateId` names the update being reported (default: the latest). Returns how many were new.
 */
export async function queueIncidentNotices(
  tx: DbOrTx,
  incidentId: string,
  kind: IncidentNoticeKind,
  now: Date,
  opts: { updateId?: string } = {},
): Promise<number> {
  const incident = (await tx.select().from(incidents).where(eq(incidents.id, incidentId)).limit(1))[0];
  if (!incident) return 0;
  const update = opts.updateId
    ? (await tx.select().from(incidentUpdates).where(eq(incidentUpdates.id, opts.updateId)).limit(1))[0]
    : (await tx.select().from(incidentUpdates).where(eq(incidentUpdates.incidentId, incidentId)).orderBy(desc(incidentUpdates.createdAt)).limit(1))[0];
  const affected = await tx
    .select({ id: components.id, name: components.name })
    .from(incidentComponents)
    .innerJoin(components, eq(components.id, incidentComponents.componentId))
    .where(eq(incidentComponents.incidentId, incidentId))
    .orderBy(asc(incidentComponents.position));
  return queueIncidentNoticesFor(tx, { incident, update, components: affected }, kind, now);
}

/**
 * The same for an incident its writer holds already (it has just stored the incident and the update), so nothing
 * is read back: only the recipients are read.
 */
export async function queueIncidentNoticesFor(tx: DbOrTx, subject: IncidentNoticeSubject, kind: IncidentNoticeKind, now: Date): Promise<number> {
  const { incident, update, components: affected } = subject;
  const incidentId = incident.id;
  const source = incident.sourceId ? (await tx.select({ name: sources.name }).from(sources).where(eq(sources.id, incident.sourceId)).limit(1))[0] : undefined;
  // Checked before the recipients are read: a bad notice fails its producer even when nobody would receive it.
  const notice = parseNotice({
    kind: `incident.${kind}`,
    incidentId,
    updateId: update?.id ?? null,
    title: incident.title,
    severity: incident.severity,
    status: update?.status ?? incident.status,
    message: update?.body ?? '',
    components: affected.map((c) => c.name),
    startedAt: incident.startedAt.toISOString(),
    resolvedAt: incident.resolvedAt?.toISOString() ?? null,
    upstream: incident.sourceId || incident.upstreamId ? { name: source?.name ?? '', url: incident.upstreamUrl } : null,
    calendarId: incident.calendarId,
  });
  const updateId = update?.id ?? null;
  let added = 0;
  for await (const page of incidentRecipientPages(tx, affected.map((c) => c.id), incident.severity, notice.kind)) {
    added += await queueNotice(tx, notice, page.map((r) => toSubscriber(r, incidentNoticeKey(incidentId, kind, updateId, r.subscriberId))), now);
    await yieldToEventLoop();
  }
  return added;
}
