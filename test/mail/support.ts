/** Shared set-up for the mail tests: a context over a real database, a plain renderer, and queued messages. */
import type { DatabaseHandle } from '../../db/client.ts';
import { outbox, outboxBatches } from '../../db/schema/index.ts';
import type { Config } from '../../worker/config/load.ts';
import type { AppContext } from '../../worker/context.ts';
import { readEnv } from '../../worker/env.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { enqueueMail, type OutgoingMail } from '../../worker/mail/outbox.ts';
import type { MailRenderer } from '../../worker/mail/types.ts';
import { testConfig } from '../helpers/config.ts';

/** A plain renderer standing in for the templates: deterministic, with the unsubscribe headers a notice carries. */
export const plainRenderer: MailRenderer = (row) => ({
  subject: `[${row.template}] ${String(row.data.title ?? row.ref ?? row.id)}`,
  html: `<p>${String(row.data.title ?? '')}</p><p>${row.recipient}</p>`,
  text: `${String(row.data.title ?? '')}\n${row.recipient}`,
  headers: { 'List-Unsubscribe': `<https://status.prueba.example/u/${row.id}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
});

export function mailContext(database: DatabaseHandle, options: { env?: Record<string, string>; config?: Config; now?: () => Date } = {}): AppContext {
  return {
    db: database.db,
    config: options.config ?? testConfig(),
    env: readEnv({ ADMIN_TOKEN: 'test-admin-token-0123456789', MAIL_FROM: 'Vigía <status@prueba.example>', ...options.env }),
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    now: options.now ?? (() => new Date()),
    publishedChanged: () => {},
  };
}

export const recipientOf = (i: number) => `user${String(i).padStart(6, '0')}@cliente.example`;

/** Queues `count` messages about one maintenance, one per recipient. */
export async function queueNotices(db: DatabaseHandle['db'], count: number, options: { ref?: string; now?: Date; recipients?: (i: number) => string } = {}): Promise<void> {
  const ref = options.ref ?? 'maintenance:m1';
  const now = options.now ?? new Date();
  const messages: OutgoingMail[] = Array.from({ length: count }, (_, i) => ({
    idempotencyKey: `${ref}:announcement:${i}`,
    recipient: (options.recipients ?? recipientOf)(i),
    template: 'maintenance.announcement',
    locale: 'es',
    data: { title: 'Migración del clúster de correo' },
    ref,
  }));
  await db.transaction((tx) => enqueueMail(tx, messages, now));
}

export async function outboxRows(db: DatabaseHandle['db']) {
  return db.select().from(outbox);
}

export async function batchRows(db: DatabaseHandle['db']) {
  return db.select().from(outboxBatches);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
