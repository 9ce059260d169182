/**
 * Migration 0003 (typed notices) on a database holding outbox rows of the earlier shape, written with raw SQL as
 * the earlier producers wrote them: every row is kept and readable, renders as a freshly queued typed notice does,
 * the notice guarantee counts the same rows it counted by key prefix, and a row of no known kind is kept, marked
 * and reported by the dispatcher instead of being sent.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../db/migrate.ts';
import { maintenances, outbox, subscribers } from '../../db/schema/index.ts';
import { createMailDispatcher } from '../../worker/mail/dispatcher.ts';
import { queueNotice } from '../../worker/mail/outbox.ts';
import { createMailRenderer } from '../../worker/mail/render.ts';
import { resendTransport } from '../../worker/mail/transport.ts';
import { measuredDeliveries } from '../../worker/maintenances/notice-guarantee.ts';
import { checkNotice, type NoticeInput } from '../../worker/notices/notice.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { emailOnly, mailContext } from '../mail/support.ts';

const T0 = Date.parse('2026-11-20T12:00:00Z');
const window = {
  maintenanceId: 'm1',
  title: 'Cambio de disco',
  message: 'Habrá cortes breves.',
  startsAt: '2026-11-21T13:00:00.000Z',
  endsAt: '2026-11-21T15:30:00.000Z',
  components: ['Hosting web'],
  upstream: null,
};
const incident = {
  incidentId: 'i1',
  updateId: 'u1',
  title: 'Caída del correo',
  severity: 2,
  status: 'identified',
  message: 'Encontramos la causa.',
  components: ['Correo corporativo'],
  startedAt: '2026-11-20T11:10:00.000Z',
  resolvedAt: null,
  upstream: { name: 'Google Workspace', url: 'https://www.google.com/appsstatus' },
};

interface OldRow {
  id: string;
  key: string;
  recipient: string;
  subscriberId: string | null;
  template: string;
  ref: string | null;
  locale: string;
  data: Record<string, unknown>;
  state?: string;
  sentAt?: number;
  lastError?: string;
}

/** Rows as the earlier producers queued them: data frozen per recipient, with its zone, and the pause alert in snake_case. */
const OLD_ROWS: OldRow[] = [
  { id: 'r01', key: 'maintenance:m1:announcement:s1', recipient: 'ana@cliente.example', subscriberId: 's1', template: 'maintenance.announcement', ref: 'maintenance:m1', locale: 'es',
    data: { ...window, version: 0, kind: 'announcement', offsetMs: 0, timeZone: 'America/Bogota' }, state: 'sent', sentAt: T0 },
  { id: 'r02', key: 'maintenance:m1:announcement:s2', recipient: 'luis@cliente.example', subscriberId: 's2', template: 'maintenance.announcement', ref: 'maintenance:m1', locale: 'en',
    data: { ...window, version: 0, kind: 'announcement', offsetMs: 0, timeZone: 'Europe/Madrid' }, state: 'cancelled', lastError: 'not sent: subscriber is unsubscribed' },
  { id: 'r03', key: 'maintenance:m1:rescheduled:1:s1', recipient: 'ana@cliente.example', subscriberId: 's1', template: 'maintenance.rescheduled', ref: 'maintenance:m1', locale: 'es',
    data: { ...window, version: 1, kind: 'rescheduled', offsetMs: 0, timeZone: 'America/Bogota', previousStartsAt: '2026-11-22T13:00:00.000Z', previousEndsAt: '2026-11-22T14:00:00.000Z' }, state: 'sent', sentAt: T0 + 1 },
  { id: 'r04', key: 'maintenance:m1:rescheduled:2:s1', recipient: 'ana@cliente.example', subscriberId: 's1', template: 'maintenance.rescheduled', ref: 'maintenance:m1', locale: 'es',
    data: { ...window, version: 2, kind: 'rescheduled', offsetMs: 0, timeZone: 'America/Bogota', previousStartsAt: '2026-11-21T18:00:00.000Z', previousEndsAt: '2026-11-21T19:00:00.000Z' }, state: 'sent', sentAt: T0 + 2 },
  { id: 'r05', key: 'maintenance:m1:rescheduled:2:s3', recipient: 'rosa@cliente.example', subscriberId: 's3', template: 'maintenance.rescheduled', ref: 'maintenance:m1', locale: 'pt-BR',
    data: { ...window, version: 2, kind: 'rescheduled', offsetMs: 0, timeZone: 'America/Sao_Paulo', previousStartsAt: '2026-11-21T18:00:00.000Z', previousEndsAt: '2026-11-21T19:00:00.000Z' } },
  { id: 'r06', key: 'maintenance:m1:reminder-1h:2:s1', recipient: 'ana@cliente.example', subscriberId: 's1', template: 'maintenance.reminder', ref: 'maintenance:m1', locale: 'es',
    data: { ...window, version: 2, kind: 'reminder', offsetMs: 3_600_000, timeZone: 'America/Bogota' } },
  { id: 'r07', key: 'maintenance:m2:cancelled:s1', recipient: 'ana@cliente.example', subscriberId: 's1', template: 'maintenance.cancelled', ref: 'maintenance:m2', locale: 'es',
    data: { ...window, maintenanceId: 'm2', version: 1, kind: 'cancelled', offsetMs: 0, timeZone: 'America/Bogota', reason: 'El proveedor lo pospuso' } },
  { id: 'r08', key: 'incident:i1:updated:u1:s1', recipient: 'ana@cliente.example', subscriberId: 's1', template: 'incident.updated', ref: 'incident:i1', locale: 'es',
    data: { ...incident, timeZone: 'America/Bogota' } },
  { id: 'r09', key: 'subscription.confirm:s3:abc', recipient: 'rosa@cliente.example', subscriberId: 's3', template: 'subscription.confirm', ref: 'subscriber:s3', locale: 'pt-BR',
    data: { confirmUrl: 'https://status.prueba.example/api/subscriptions/confirm?token=abc', expiresAt: '2026-11-22T15:00:00.000Z' } },
  { id: 'r10', key: 'maintenance:m1:late_notice:2:ops@prueba.example', recipient: 'ops@prueba.example', subscriberId: null, template: 'admin.late_notice', ref: 'maintenance:m1', locale: 'es',
    data: { maintenanceId: 'm1', title: window.title, startsAt: window.startsAt, endsAt: window.endsAt, deadline: '2026-11-21T05:00:00.000Z', recipients: 2, notified: 1, lateCount: 1, suggestedStart: null, timeZone: 'America/Bogota' } },
  { id: 'r11', key: 'sla-warning:i1:response:1795700000000:ops@prueba.example', recipient: 'ops@prueba.example', subscriberId: null, template: 'admin.sla_warning', ref: 'incident:i1', locale: 'en',
    data: { incidentId: 'i1', title: incident.title, severity: 2, target: 'response', dueAt: '2026-11-20T16:00:00.000Z', breached: false } },
  { id: 'r12', key: 'admin.mail_paused:2026-11-20T12:00:00.000Z:ops@prueba.example', recipient: 'ops@prueba.example', subscriberId: null, template: 'admin.mail_paused', ref: 'mail:paused', locale: 'es',
    data: { reason: 'quota', code: 'daily_quota_exceeded', message: 'You have reached your daily email sending quota.', paused_at: '2026-11-20T12:00:00.000Z', until: '2026-11-21T00:00:00.000Z', resume_path: '/api/admin/outbox/resume' } },
  // A template this version has no notice for: kept and marked, never dropped.
  { id: 'r13', key: 'maintenance:m1:postponed:s1', recipient: 'ana@cliente.example', subscriberId: 's1', template: 'maintenance.postponed', ref: 'maintenance:m1', locale: 'es',
    data: { ...window, version: 2, timeZone: 'America/Bogota' } },
];

/** The typed notice each old row stands for, written as today's producers write it. */
function typedNoticeOf(row: OldRow): NoticeInput {
  const { timeZone: _zone, kind: _kind, paused_at, resume_path, ...fields } = row.data;
  const renamed = row.template === 'admin.mail_paused' ? { pausedAt: paused_at, resumePath: resume_path } : {};
  return { ...fields, ...renamed, kind: row.template } as NoticeInput;
}

/** The rows of the notice held to the rule, found the earlier way: by ref, template and idempotency-key prefix. */
async function deliveriesByKeyPrefix(database: DatabaseHandle, template: string, prefix: string) {
  const result = await database.client.execute({
    sql: `select id, state, sent_at from outbox where ref = 'maintenance:m1' and template = ? and state <> 'cancelled'
            and substr(idempotency_key, 1, ?) = ? order by id`,
    args: [template, prefix.length, prefix],
  });
  // Before typed notices the outbox held e-mail alone.
  return result.rows.map((r) => ({ channel: 'email', state: String(r.state), sentAt: r.sent_at === null ? null : new Date(Number(r.sent_at)) }));
}

describe('migration 0003: typed notices', () => {
  let database: DatabaseHandle;
  let fake: FakeResendServer;
  let earlierFolder: string;
  const before: Record<string, Awaited<ReturnType<typeof deliveriesByKeyPrefix>>> = {};

  beforeAll(async () => {
    // The migrations as they were before this one.
    earlierFolder = mkdtempSync(join(tmpdir(), 'vigia-migrations-'));
    cpSync(migrationsFolder, earlierFolder, { recursive: true });
    const journalPath = join(earlierFolder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    // Later migrations too: the migrator skips any migration older than the last one applied.
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === '0003_typed_notices'));
    writeFileSync(journalPath, JSON.stringify(journal));

    database = openDatabase(':memory:');
    await database.client.execute('PRAGMA foreign_keys = ON');
    await migrate(database.db, { migrationsFolder: earlierFolder });
    for (const row of OLD_ROWS) {
      await database.client.execute({
        sql: `insert into outbox (id, idempotency_key, recipient, subscriber_id, template, ref, locale, data, state, attempts, next_attempt_at, last_error, created_at, sent_at)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [row.id, row.key, row.recipient, row.subscriberId, row.template, row.ref, row.locale, JSON.stringify(row.data), row.state ?? 'pending', row.sentAt ? 1 : 0, T0, row.lastError ?? null, T0, row.sentAt ?? null],
      });
    }
    before.announcement = await deliveriesByKeyPrefix(database, 'maintenance.announcement', 'maintenance:m1:announcement:');
    before.rescheduled2 = await deliveriesByKeyPrefix(database, 'maintenance.rescheduled', 'maintenance:m1:rescheduled:2:');

    await migrateDatabase(database.db);

    const at = new Date(T0 - 86_400_000);
    await database.db.insert(subscribers).values(
      [
        { id: 's1', email: 'ana@cliente.example', locale: 'es' as const, timezone: 'America/Bogota' },
        { id: 's3', email: 'rosa@cliente.example', locale: 'pt-BR' as const, timezone: 'America/Sao_Paulo' },
      ].map((s) => ({ ...s, status: 'confirmed' as const, confirmedAt: at, createdAt: at, updatedAt: at })),
    );
    fake = await startFakeResend();
  });
  afterAll(async () => {
    await fake.close();
    database.close();
    rmSync(earlierFolder, { recursive: true, force: true });
  });

  it('keeps every row with its key, state, attempts and times, now on the e-mail channel with its target', async () => {
    const rows = await database.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.map((r) => r.id)).toEqual(OLD_ROWS.map((r) => r.id));
    for (const [i, row] of rows.entries()) {
      const old = OLD_ROWS[i]!;
      expect(row).toMatchObject({
        idempotencyKey: old.key,
        channel: 'email',
        target: old.recipient,
        subscriberId: old.subscriberId,
        kind: old.template,
        locale: old.locale,
        timeZone: typeof old.data.timeZone === 'string' ? old.data.timeZone : null,
        state: old.state ?? 'pending',
        nextAttemptAt: new Date(T0),
        createdAt: new Date(T0),
        sentAt: old.sentAt ? new Date(old.sentAt) : null,
      });
    }
  });

  it('files each row by the window (with its version) or incident it is about', async () => {
    const rows = await database.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.map((r) => [r.id, r.maintenanceId, r.maintenanceVersion, r.incidentId])).toEqual([
      ['r01', 'm1', 0, null],
      ['r02', 'm1', 0, null],
      ['r03', 'm1', 1, null],
      ['r04', 'm1', 2, null],
      ['r05', 'm1', 2, null],
      ['r06', 'm1', 2, null],
      ['r07', 'm2', 1, null],
      ['r08', null, null, 'i1'],
      ['r09', null, null, null],
      ['r10', 'm1', null, null],
      ['r11', null, null, 'i1'],
      ['r12', null, null, null],
      ['r13', 'm1', 2, null],
    ]);
  });

  it('turns each row’s data into the typed notice today’s producers write, which renders the same', async () => {
    const render = createMailRenderer(mailContext(database));
    const rows = await database.db.select().from(outbox).orderBy(asc(outbox.id));
    for (const old of OLD_ROWS.filter((r) => r.template !== 'maintenance.postponed')) {
      const row = rows.find((r) => r.id === old.id)!;
      const expected = checkNotice(typedNoticeOf(old));
      expect(expected.ok, old.id).toBe(true);
      expect(checkNotice(row.notice), old.id).toEqual(expected);
      // The same notice queued today, to the same reader.
      const key = `fresh:${old.id}`;
      await queueNotice(database.db, typedNoticeOf(old), [{ channel: 'email', target: old.recipient, subscriberId: old.subscriberId, locale: old.locale as 'es', timeZone: row.timeZone, idempotencyKey: key }], new Date(T0));
      const [fresh] = await database.db.select().from(outbox).where(eq(outbox.idempotencyKey, key));
      expect(await render(row), old.id).toEqual(await render(fresh!));
      await database.db.delete(outbox).where(eq(outbox.id, fresh!.id));
    }
    const paused = await render(rows.find((r) => r.id === 'r12')!);
    expect(paused.text).toContain('POST https://status.prueba.example/api/admin/outbox/resume');
    expect(paused.text).toContain('2026-11-20 12:00 UTC');
  });

  it('lets the notice guarantee find the same rows it found by key prefix', async () => {
    const at = new Date(T0 - 86_400_000);
    const base = { title: window.title, status: 'scheduled' as const, startsAt: new Date(window.startsAt), endsAt: new Date(window.endsAt), createdAt: at, updatedAt: at };
    await database.db.insert(maintenances).values([
      { ...base, id: 'm1', version: 2, noticeVersion: 2 },
      { ...base, id: 'm1-announced', version: 0, noticeVersion: 0 },
    ]);
    const [rescheduled] = await database.db.select().from(maintenances).where(eq(maintenances.id, 'm1'));
    expect(before.rescheduled2).toHaveLength(2);
    expect(await measuredDeliveries(database.db, rescheduled!)).toEqual(before.rescheduled2);
    // The same window before its reschedules: the announcement is the notice held to the rule.
    expect(before.announcement).toHaveLength(1);
    expect(await measuredDeliveries(database.db, { ...rescheduled!, noticeVersion: 0 })).toEqual(before.announcement);
  });

  it('marks a row of no known kind, and the dispatcher reports it instead of sending it', async () => {
    const [kept] = await database.db.select().from(outbox).where(eq(outbox.id, 'r13'));
    expect(kept).toMatchObject({ kind: 'maintenance.postponed', state: 'pending', lastError: 'kept from the outbox before typed notices: "maintenance.postponed" is no kind of notice' });

    // The clock stands still during the run: the unrenderable row, put back with a back-off of 0.5–1 s, is not due
    // again within it however slowly the run goes, so it is tried exactly once. It stands before the window starts,
    // when its notices are still worth sending.
    const frozen = new Date(T0 + 3_600_000);
    const ctx = mailContext(database, { now: () => frozen });
    const dispatcher = createMailDispatcher(ctx, {
      channels: emailOnly(createMailRenderer(ctx), resendTransport({ apiKey: fake.apiKey, baseUrl: fake.url })),
      ratePerSecond: 100,
      requestTimeoutMs: 2_000,
      leaseMs: 5_000,
    });
    await dispatcher.runOnce();
    const rows = await database.db.select().from(outbox).orderBy(asc(outbox.id));
    const pendingBefore = OLD_ROWS.filter((r) => !r.state && r.id !== 'r13').map((r) => r.id);
    expect(rows.filter((r) => pendingBefore.includes(r.id)).map((r) => r.state)).toEqual(pendingBefore.map(() => 'sent'));
    expect(rows.find((r) => r.id === 'r13')).toMatchObject({ state: 'pending', attempts: 1, lastError: 'render failed: unknown mail template "maintenance.postponed"' });
    expect(rows.find((r) => r.id === 'r13')!.nextAttemptAt.getTime()).toBeGreaterThan(frozen.getTime());
    expect(fake.deliveries.map((d) => d.ref).sort()).toEqual(pendingBefore);
  });
});
