import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statuspageV2Documents } from '../../worker/publish/documents/statuspage-v2.ts';
import { isOpenIncident } from '../../worker/status/derive.ts';
import { loadPublishedState } from '../../worker/status/read-model.ts';
import { v2Context, v2Incident, v2Page, v2Summary } from '../../worker/status/statuspage-v2.ts';
import { testApp } from '../helpers/app.ts';
import { admin, publish, type TestApp } from './support.ts';

describe('the v2 documents, written a slice at a time', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('are byte for byte the JSON of the v2 formatters, with every open incident in summary.json and unresolved.json', async () => {
    const api = admin(t);
    // More open incidents than one slice holds, and a resolved one.
    for (let k = 0; k < 230; k++) {
      const id = await api.openIncident({ title: `Incidente ${k} – Bogotá`, severity: 1 + (k % 4), message: 'Investigamos.', components: [k % 2 ? 'correo' : 'hosting'] });
      if (k === 7) await api.update(id, { status: 'resolved', message: 'Resuelto.' });
    }
    const now = t.clock.now();
    const documents = await publish(t, statuspageV2Documents, now);
    const ctx = v2Context(t.ctx.config, await loadPublishedState(t.ctx.db, now), now);
    const body = (path: string) => documents.get(path)!.body as Buffer;
    expect(Buffer.isBuffer(body('/api/v2/summary.json'))).toBe(true);
    expect(body('/api/v2/summary.json').toString()).toBe(JSON.stringify(v2Summary(ctx)));
    const open = ctx.state.incidents.filter(isOpenIncident).map((i) => v2Incident(ctx, i));
    expect(open).toHaveLength(229);
    expect(body('/api/v2/incidents/unresolved.json').toString()).toBe(JSON.stringify({ page: v2Page(ctx), incidents: open }));
    expect(JSON.parse(body('/api/v2/incidents.json').toString()).incidents).toHaveLength(50);
  });
});
