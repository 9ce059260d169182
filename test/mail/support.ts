/** Shared set-up for the mail tests: a context over a real database, a plain renderer, and queued messages. */
import type { DatabaseHandle } from '../../db/client.ts';
import { outbox, outboxBatches } from '../../db/schema/index.ts';
import type { Config } from '../../worker/config/load.ts';
import type { AppContext } from '../../worker/context.ts';
import { readEnv } from '../../worker/env.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { emailChannel, type MailChannels } from '../../worker/delivery/channels.ts';
import { queueNotice } from '../../worker/mail/outbox.ts';
import type { MailTransport } from '../../worker/mail/transport.ts';
import type { MailRenderer } from '../../worker/mail/types.ts';
import { testConfig } from '../helpers/config.ts';

/** A plain renderer standing in for the templates: deterministic, with the unsubscribe headers a notice carries. */
export const plainRenderer: MailRenderer = (row) => ({
  subject: `[${row.kind}] ${String(row.notice.title ?? row.id)}`,
  html: `<p>${String(row.notice.title ?? '')}</p><p>${row.target}</p>`,
  text: `${String(row.notice.title ?? '')}\n${row.target}`,
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

/** The e-mail channel alone, with the given renderer and transport. */
export const emailOnly = (render: MailRenderer, send: MailTransport): MailChannels => ({ email: emailChannel(render, send) });

/** An announcement of window `maintenanceId`, as its producer would queue it. */
export const announcement = (maintenanceId: string) =>
  ({
    kind: 'maintenance.announcement',
    maintenanceId,
    version: 0,
    title: 'Migración del clúster de correo',
    startsAt: '2026-11-21T13:00:00.000Z',
    endsAt: '2026-11-21T15:00:00.000Z',
  }) as const;

/** Queues the announcement of one maintenance to `count` recipients. */
export async function queueNotices(db: DatabaseHandle['db'], count: number, options: { maintenanceId?: string; now?: Date; recipients?: (i: number) => string } = {}): Promise<void> {
  const maintenanceId = options.maintenanceId ?? 'm1';
  const deliveries = Array.from({ length: count }, (_, i) => ({
    channel: 'email' as const,
    target: (options.recipients ?? recipientOf)(i),
    idempotencyKey: `maintenance:${maintenanceId}:announcement:${i}`,
    locale: 'es' as const,
  }));
  await db.transaction((tx) => queueNotice(tx, announcement(maintenanceId), deliveries, options.now ?? new Date()));
}

export async function outboxRows(db: DatabaseHandle['db']) {
  return db.select().from(outbox);
}

export async function batchRows(db: DatabaseHandle['db']) {
  return db.select().from(outboxBatches);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
