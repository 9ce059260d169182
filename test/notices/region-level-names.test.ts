import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../worker/config/load.ts';
import { summarizeNotice } from '../../worker/delivery/chat/summary.ts';
import { chatSettings } from '../../worker/delivery/chat/settings.ts';
import { createMailRenderer } from '../../worker/mail/render.ts';
import { parseNotice, type NoticeInput } from '../../worker/notices/notice.ts';
import { testApp } from '../helpers/app.ts';
import { insertSubscriber, outboxRows } from './fixtures.ts';

/**
 * The e-commerce example: Brazil has levels of its own (its level 3 is "Normal"), Latin America follows the policy's
 * (level 3 "Medio"). A notice names the level as the incident's region does.
 */
describe('level names of a region with levels of its own', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  afterEach(() => t.close());

  it('e-mails and chat messages name the region\'s level', async () => {
    const config = loadConfigFile(join(import.meta.dirname, '../../examples/policies/ecommerce-regiones.yaml'));
    t = await testApp({ config, now: '2026-11-18T15:00:00Z' });
    await insertSubscriber(t.database.db, { email: 'todo@cliente.example', incidentNotices: true, minSeverity: 9 });
    const open = async (component: string) => {
      const res = await t.request('/api/admin/incidents', { method: 'POST', json: { title: `Lento: ${component}`, severity: 3, message: 'Revisando.', components: [component] } });
      expect(res.status).toBe(201);
    };
    await open('tiendas-br');
    await open('tiendas-latam');

    const rows = await outboxRows(t.database.db, { kind: 'incident.opened' });
    const render = createMailRenderer(t.ctx);
    const subjects = await Promise.all(rows.map(async (row) => (await render({ notice: row.notice, target: row.target, locale: 'es', subscriberId: row.subscriberId })).subject));
    expect(subjects.sort()).toEqual([expect.stringContaining('[Medio] Incidente: Lento: tiendas-latam'), expect.stringContaining('[Normal] Incidente: Lento: tiendas-br')]);

    const brazil = parseNotice(rows.find((r) => (r.notice as { title: string }).title.endsWith('tiendas-br'))!.notice as NoticeInput);
    expect(brazil).toMatchObject({ calendarId: 'brasil' });
    const chat = summarizeNotice(brazil, chatSettings(config, { locale: 'en', timeZone: 'UTC' }));
    expect(chat.subject).toContain('[Normal]');

    // The admins' warning of a target about to lapse names it so too.
    const warning = { kind: 'admin.sla_warning', incidentId: 'i1', title: 'Lento', severity: 3, target: 'response', dueAt: '2026-11-18T18:00:00.000Z', calendarId: 'brasil' };
    expect((await render({ notice: warning, target: 'ops@example.com', locale: 'es' })).text).toContain('Normal (3)');
    expect((await render({ notice: { ...warning, calendarId: 'latam' }, target: 'ops@example.com', locale: 'es' })).text).toContain('Medio (3)');
  });
});
