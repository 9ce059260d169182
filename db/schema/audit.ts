import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { instant } from './_columns.ts';

/** Every change made through the console or the admin API: who, what, when, from where, and the fields it changed. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: instant('at').notNull(),
    /** `account` or `token`. */
    actorKind: text('actor_kind', { enum: ['account', 'token'] }).notNull(),
    actorId: text('actor_id').notNull(),
    /** The account's e-mail or the token's name, as it was at the time. */
    actorName: text('actor_name').notNull(),
    /** The request: `POST /api/admin/incidents`. */
    action: text('action').notNull(),
    /** What was changed: `incident`, `maintenance`, `account`… and its id when known. */
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    address: text('address'),
    /** The answer's status. */
    status: integer('status').notNull(),
    /** JSON `{ field: { before, after } }` of what the change did, when the service told. */
    changes: text('changes'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_actor_idx').on(t.actorName, t.at), index('audit_log_entity_idx').on(t.entity, t.at)],
);
