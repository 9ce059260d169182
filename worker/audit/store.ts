/** The audit log's table, written here alone: one row per change, and the owners' filtered reading of it. */
import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import type { FieldChanges } from './diff.ts';

export interface AuditRecord {
  at: Date;
  actor: { kind: 'account' | 'token'; id: string; name: string };
  action: string;
  entity: string;
  entityId: string | null;
  address: string | null;
  status: number;
  changes: FieldChanges | null;
}

export async function recordAudit(db: DbOrTx, record: AuditRecord) {
  await db.insert(auditLog).values({
    at: record.at,
    actorKind: record.actor.kind,
    actorId: record.actor.id,
    actorName: record.actor.name,
    action: record.action,
    entity: record.entity,
    entityId: record.entityId,
    address: record.address,
    status: record.status,
    changes: record.changes && Object.keys(record.changes).length ? JSON.stringify(record.changes) : null,
  });
}

export interface AuditFilter {
  /** An account's e-mail or id, or a token's name or id. */
  actor?: string;
  /** `incident`, or `incident:<id>` for one. */
  entity?: string;
  from?: Date;
  to?: Date;
  /** Entries older than this id (the previous page's last). */
  before?: number;
  limit: number;
}

export function auditEntryView(row: typeof auditLog.$inferSelect) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { kind: row.actorKind, id: row.actorId, name: row.actorName },
    action: row.action,
    entity: row.entity,
    entity_id: row.entityId,
    address: row.address,
    status: row.status,
    changes: row.changes ? (JSON.parse(row.changes) as FieldChanges) : null,
  };
}
export type AuditEntry = ReturnType<typeof auditEntryView>;

/** The newest entries first, filtered. */
export async function readAudit(db: DbOrTx, filter: AuditFilter): Promise<AuditEntry[]> {
  const where: SQL[] = [];
  if (filter.actor) where.push(or(eq(auditLog.actorName, filter.actor), eq(auditLog.actorId, filter.actor))!);
  if (filter.entity) {
    const [entity, id] = filter.entity.split(/:(.*)/s);
    where.push(eq(auditLog.entity, entity!));
    if (id) where.push(eq(auditLog.entityId, id));
  }
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lte(auditLog.at, filter.to));
  if (filter.before) where.push(lt(auditLog.id, filter.before));
  const rows = await db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(filter.limit);
  return rows.map(auditEntryView);
}
