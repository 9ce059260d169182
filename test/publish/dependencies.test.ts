import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../worker/lib/logger.ts';
import { PublishedData } from '../../worker/publish/published-data.ts';
import { Publisher, type PublishedEntry } from '../../worker/publish/publisher.ts';
import { testApp } from '../helpers/app.ts';
import { admin, type TestApp } from './support.ts';

const NOW = '2026-11-20T15:00:00Z';
const MIN = 60_000;

/**
 * A write must reach every document that shows it, and only those are built again: the others keep their entry (the
 * same bytes, encodings, ETag and Last-Modified).
 */
describe('what a write builds again', () => {
  let t: TestApp;
  let before: Map<string, PublishedEntry>;
  const paths = () => [...t.publisher.paths()];
  const text = (path: string) => t.publisher.get(path)!.representation.body.identity.toString();
  /** Every document, as served now. */
  const snapshot = () => new Map(paths().map((p) => [p, t.publisher.get(p)!]));
  const changedSince = (earlier: Map<string, PublishedEntry>) => paths().filter((p) => t.publisher.get(p) !== earlier.get(p)).sort();
  const feeds = (component: string) => ['', '/en'].flatMap((prefix) => [`${prefix}/components/${component}/feed.rss`, `${prefix}/components/${component}/feed.atom`]);
  const pageFeeds = ['/feed.rss', '/feed.atom', '/en/feed.rss', '/en/feed.atom'];

  beforeEach(async () => {
    t = await testApp({ now: NOW });
    const api = admin(t);
    await api.openIncident({ title: 'Lentitud en el correo', severity: 3, message: 'Demoras de entrega.', components: ['correo'] });
    await api.schedule({ title: 'Cambio de disco', message: 'Cortes breves.', starts_at: '2026-11-22T08:00:00-05:00', ends_at: '2026-11-22T10:00:00-05:00', component_ids: ['hosting'] });
    // Past the instant it was written: the history and the bars show what has started.
    t.clock.advance(MIN);
    await t.publisher.rebuildNow();
    before = snapshot();
  });
  afterEach(() => t.close());

  it('an incident on one component: its feeds, the page feeds and the v2 documents, not the calendar or the other feeds', async () => {
    t.clock.advance(5 * MIN);
    await admin(t).openIncident({ title: 'Caída de la telefonía', severity: 1, message: 'Sin tono.', components: ['telefonia'] });
    await t.publisher.rebuildNow();
    const changed = changedSince(before);
    for (const path of [...feeds('telefonia'), ...pageFeeds, '/api/v2/summary.json', '/api/v2/incidents/unresolved.json']) {
      expect(changed, path).toContain(path);
      expect(text(path), path).toContain('telefon');
    }
    for (const path of [...feeds('telefonia'), ...pageFeeds]) expect(text(path), path).toContain('Caída de la telefonía');
    for (const path of [...feeds('hosting'), ...feeds('correo'), '/maintenances.ics']) expect(changed, path).not.toContain(path);
  });

  it('an update of an incident: the feeds of its component and of the page, with the update in them', async () => {
    const [incident] = JSON.parse(text('/api/v2/incidents/unresolved.json')).incidents;
    t.clock.advance(5 * MIN);
    await admin(t).update(incident.id, { status: 'identified', message: 'Cola de envío atascada.' });
    await t.publisher.rebuildNow();
    const changed = changedSince(before);
    for (const path of [...feeds('correo'), ...pageFeeds]) {
      expect(changed, path).toContain(path);
      expect(text(path), path).toContain('Cola de envío atascada.');
    }
    for (const path of [...feeds('hosting'), ...feeds('telefonia'), '/maintenances.ics']) expect(changed, path).not.toContain(path);
  });

  it('a window: the calendars and the feeds of its component and of the page, not the other feeds', async () => {
    t.clock.advance(5 * MIN);
    const id = await admin(t).schedule({ title: 'Migración de centrales', starts_at: '2026-11-23T08:00:00-05:00', ends_at: '2026-11-23T09:00:00-05:00', component_ids: ['telefonia'] });
    await t.publisher.rebuildNow();
    const changed = changedSince(before);
    for (const path of ['/maintenances.ics', `/maintenances/${id}.ics`, ...feeds('telefonia'), ...pageFeeds]) expect(changed, path).toContain(path);
    expect(text('/maintenances.ics')).toContain('Migración de centrales');
    expect(text(feeds('telefonia')[0]!)).toContain('Migración de centrales');
    for (const path of [...feeds('hosting'), ...feeds('correo')]) expect(changed, path).not.toContain(path);
  });

  it('nothing, when nothing is written', async () => {
    t.clock.advance(1_000);
    await t.publisher.rebuildNow();
    expect(changedSince(before)).toEqual([]);
  });
});

describe('an open incident kept from one rebuild to the next', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
  });
  afterEach(() => t.close());
  const unresolved = () => JSON.parse(t.publisher.get('/api/v2/incidents/unresolved.json')!.representation.body.identity.toString()).incidents as any[];

  it('still shows its components’ statuses as they change, and its targets breached once they pass, with no write of its own', async () => {
    const api = admin(t);
    const slow = await api.openIncident({ title: 'Lentitud del hosting', severity: 3, message: 'Demoras.', components: ['hosting'] });
    await t.publisher.rebuildNow();
    const before = unresolved().find((i) => i.id === slow);
    expect(before.components[0].status).toBe('degraded_performance');
    expect(before.sla.resolution_breached).toBe(false);
    // Another incident puts the component in a worse state: the first one names it so.
    t.clock.advance(MIN);
    await api.openIncident({ title: 'Caída del hosting', severity: 1, message: 'Sin servicio.', components: ['hosting'] });
    await t.publisher.rebuildNow();
    expect(unresolved().find((i) => i.id === slow).components[0].status).toBe('major_outage');
    // Days later, with nothing written, its resolution target (12 business hours) has passed.
    t.clock.advance(5 * 86_400_000);
    await t.publisher.rebuildNow();
    const after = unresolved().find((i) => i.id === slow);
    expect(after.sla.resolution_breached).toBe(true);
    expect({ ...after, sla: before.sla, components: before.components }).toEqual(before);
  });
});

describe('which sources a write runs', () => {
  it('an incident runs the v2 documents and the feeds, not the calendar; a window runs the calendar too', async () => {
    const t = await testApp({ now: NOW, publishOnRead: false });
    const logger = createLogger('silent');
    const rebuilt: string[][] = [];
    logger.debug = ((line: { ran?: string[] }, message: string) => {
      if (message === 'snapshot rebuilt') rebuilt.push(line.ran ?? []);
    }) as typeof logger.debug;
    const publisher = new Publisher({ db: t.ctx.db, config: t.ctx.config, now: t.clock.now, logger, scheduled: false });
    try {
      await publisher.start();
      await admin(t).openIncident({ title: 'Lentitud en el correo', severity: 3, message: 'Demoras.', components: ['correo'] });
      publisher.changed('incident');
      await publisher.rebuildNow();
      expect(rebuilt.at(-1)).toEqual(expect.arrayContaining(['statuspage-v2', 'feeds']));
      expect(rebuilt.at(-1)).not.toContain('calendar');
      await admin(t).schedule({ title: 'Cambio de disco', starts_at: '2026-11-22T08:00:00-05:00', ends_at: '2026-11-22T10:00:00-05:00', component_ids: ['hosting'] });
      publisher.changed('window');
      await publisher.rebuildNow();
      expect(rebuilt.at(-1)).toEqual(expect.arrayContaining(['statuspage-v2', 'feeds', 'calendar']));
    } finally {
      await publisher.stop();
      await t.close();
    }
  });
});

describe('the published data', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
  });
  afterEach(() => t.close());

  it('keeps the object of every item read again unchanged, and counts a revision only for the parts that changed', async () => {
    const api = admin(t);
    const slow = await api.openIncident({ title: 'Lentitud en el correo', severity: 3, message: 'Demoras.', components: ['correo'] });
    const down = await api.openIncident({ title: 'Caída del hosting', severity: 1, message: 'Sin servicio.', components: ['hosting'] });
    const data = new PublishedData({ db: t.ctx.db, maxAgeMs: 600_000 });
    const first = (await data.current(t.clock.now(), true)).state;
    const revisions = { ...data.revisions };
    const byId = (state: typeof first, id: string) => state.incidents.find((i) => i.id === id)!;

    // Read again with nothing written: every object is the same, no revision moves.
    const again = (await data.current(t.clock.now(), true)).state;
    expect(byId(again, slow)).toBe(byId(first, slow));
    expect(again.components[0]).toBe(first.components[0]);
    expect(data.revisions).toEqual(revisions);

    // An update of one incident: a new object for it alone; the incidents' revision moves, the windows' does not.
    t.clock.advance(MIN);
    await api.update(slow, { status: 'identified', message: 'Cola atascada.' });
    const third = (await data.current(t.clock.now(), true)).state;
    expect(byId(third, slow)).not.toBe(byId(first, slow));
    expect(byId(third, slow).updates.map((u) => u.body)).toContain('Cola atascada.');
    expect(byId(third, down)).toBe(byId(first, down));
    expect(data.revisions).toMatchObject({ data: revisions.data + 1, incidents: revisions.incidents + 1, maintenances: revisions.maintenances, components: revisions.components });

    // A window: the windows' revision moves, the incidents keep their objects.
    await api.schedule({ title: 'Cambio de disco', starts_at: '2026-11-22T08:00:00-05:00', ends_at: '2026-11-22T10:00:00-05:00', component_ids: ['hosting'] });
    const fourth = (await data.current(t.clock.now(), true)).state;
    expect(byId(fourth, slow)).toBe(byId(third, slow));
    expect(data.revisions).toMatchObject({ data: revisions.data + 2, incidents: revisions.incidents + 1, maintenances: revisions.maintenances + 1 });
  });
});
