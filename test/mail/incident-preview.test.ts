import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { testApp } from '../helpers/app.ts';

/** The console's preview of an incident e-mail: the real template, nothing queued. */
describe('POST /api/admin/previews/incident', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  const preview = async (json: unknown) => {
    const response = await t.request('/api/admin/previews/incident', { method: 'POST', json });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('renders the e-mail a new incident would send, in the language asked for, and queues nothing', async () => {
    const { status, body } = await preview({ title: 'Lentitud en el correo', severity: 3, message: 'Revisando la entrega.', components: ['correo'] });
    expect(status).toBe(200);
    expect(body.preview.subject).toContain('Lentitud en el correo');
    expect(body.preview.text).toContain('Revisando la entrega.');
    expect(body.preview.text).toContain('Correo corporativo');
    expect(body.preview.html).toMatch(/^<!doctype html>/i);
    const english = await preview({ title: 'Slow e-mail', severity: 3, message: 'Looking into it.', locale: 'en' });
    expect(english.body.preview.text).toContain('Looking into it.');
    expect(english.body.preview.text).not.toBe(body.preview.text);
    expect(await t.database.db.select().from(outbox)).toEqual([]);
  });

  it('refuses a draft without a title, naming it', async () => {
    const { status, body } = await preview({ severity: 3 });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/title/);
  });
});
