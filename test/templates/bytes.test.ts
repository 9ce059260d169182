/**
 * Every mail's exact bytes (subject, headers, HTML, text) in every language, pinned by digest: a change to how
 * notices are stored or handed to the templates must not change a byte of what readers get. The words and
 * structure are checked readably in render.test.ts; after a deliberate change to a template or its words,
 * `npx vitest run test/templates/bytes.test.ts -u` records the new digests.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribers, workerState } from '../../db/schema/index.ts';
import { LOCALES } from '../../worker/config/schema.ts';
import { createMailRenderer } from '../../worker/mail/render.ts';
import { SIGNING_SECRET_KEY } from '../../worker/subscribers/links.ts';
import { testApp } from '../helpers/app.ts';
import { incident, maintenance, queuedRow, SAMPLES } from './samples.ts';

const SUBSCRIBER_ID = 'sub000000001';

/** The samples, and variants that take the templates' other branches. */
const CASES: [name: string, template: string, data: Record<string, unknown>][] = [
  ...Object.entries(SAMPLES).map(([template, data]): [string, string, Record<string, unknown>] => [template, template, data]),
  ['maintenance.announcement upstream', 'maintenance.announcement', { ...maintenance, components: [], upstream: { name: 'Google Workspace', url: 'https://www.google.com/appsstatus' } }],
  ['maintenance.cancelled without reason', 'maintenance.cancelled', { ...maintenance, reason: null }],
  ['maintenance.rescheduled without previous times', 'maintenance.rescheduled', maintenance],
  ['incident.opened upstream, no message', 'incident.opened', { ...incident, message: '', upstream: { name: 'Microsoft 365', url: null } }],
  ['admin.late_notice once started', 'admin.late_notice', { ...SAMPLES['admin.late_notice'], deadline: null, suggestedStart: null }],
  ['admin.sla_warning breached', 'admin.sla_warning', { ...SAMPLES['admin.sla_warning'], target: 'resolution', breached: true }],
  ['admin.mail_paused until midnight', 'admin.mail_paused', { reason: 'quota', code: 'daily_quota_exceeded', message: null, pausedAt: '2026-11-20T15:00:00.000Z', until: '2026-11-21T00:00:00.000Z', resumePath: null }],
];

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

describe('mail bytes', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let render: ReturnType<typeof createMailRenderer>;

  beforeAll(async () => {
    t = await testApp();
    // A fixed secret and subscriber, so the signed links are the same on every run.
    await t.database.db.insert(workerState).values({ key: SIGNING_SECRET_KEY, value: 'fixed-secret-for-pinned-bytes', updatedAt: new Date(0) });
    const at = new Date('2026-01-01T00:00:00Z');
    await t.database.db
      .insert(subscribers)
      .values({ id: SUBSCRIBER_ID, email: 'ana@cliente.example', locale: 'es', timezone: 'Asia/Kolkata', status: 'confirmed', confirmedAt: at, createdAt: at, updatedAt: at });
    render = createMailRenderer(t.ctx);
  });
  afterAll(() => t.close());

  it('are what they were, for every template, variant and language', async () => {
    const digests: Record<string, string> = {};
    for (const [name, template, data] of CASES) {
      for (const locale of LOCALES) {
        const mail = await render(queuedRow(template, data, { locale, target: 'ana@cliente.example', subscriberId: template.startsWith('admin.') ? null : SUBSCRIBER_ID }));
        digests[`${name} · ${locale}`] = digest(JSON.stringify([mail.subject, mail.headers, mail.html, mail.text]));
      }
    }
    expect(digests).toMatchSnapshot();
  });
});
