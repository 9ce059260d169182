import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { atomFeed, rssFeed, wholeFeeds } from '../../worker/feeds/xml.ts';
import { feedDocuments } from '../../worker/publish/documents/feeds.ts';
import { parseConfigText } from '../../worker/config/load.ts';
import { testApp } from '../helpers/app.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { admin, body, publish, type TestApp } from './support.ts';

const NOW = '2026-11-20T15:00:00Z';
const SITE = 'https://status.prueba.example';
const MIN = 60_000;

/**
 * The feed parser decodes entities inside HTML descriptions too, so the exact HTML a reader receives is read
 * with a plain XML parser (one level of decoding, as any XML reader does).
 */
const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'item' || name === 'entry' });
const rssHtml = (text: string, link: string): string =>
  (xml.parse(text).rss.channel.item as { link: string; description: string }[]).find((i) => i.link === link)!.description;
const atomHtml = (text: string, id: string): string =>
  (xml.parse(text).feed.entry as { id: string; content: { '#text': string } }[]).find((e) => e.id.endsWith(id))!.content['#text'];

describe('RSS and Atom feeds', () => {
  let t: TestApp;
  let ids: { outage: string; slow: string; window: string; cancelled: string };

  beforeEach(async () => {
    t = await testApp({ now: NOW });
    const api = admin(t);
    const outage = await api.openIncident({
      title: 'Caída <b>total</b> & "más"',
      severity: 1,
      message: 'Investigamos.\nNo responde <script>alert(1)</script>.',
      components: ['hosting'],
    });
    t.clock.advance(10 * MIN);
    await api.update(outage, { status: 'identified', message: 'Disco dañado en el nodo 3.' });
    t.clock.advance(20 * MIN);
    await api.update(outage, { status: 'resolved', message: 'Servicio restablecido.' });
    t.clock.advance(5 * MIN);
    const slow = await api.openIncident({ title: 'Lentitud en el correo', severity: 3, message: 'Demoras de entrega.', components: ['correo'] });
    const window = await api.schedule({
      title: 'Cambio de disco',
      message: 'Habrá cortes breves.',
      starts_at: '2026-11-22T08:00:00-05:00',
      ends_at: '2026-11-22T10:00:00-05:00',
      component_ids: ['hosting'],
    });
    const cancelled = await api.schedule({ title: 'Migración', starts_at: '2026-11-23T08:00:00-05:00', ends_at: '2026-11-23T09:00:00-05:00', component_ids: ['telefonia'] });
    await api.cancel(cancelled, 'Pospuesta');
    ids = { outage, slow, window, cancelled };
  });
  afterEach(() => t.close());

  it('publishes whole-page and per-component feeds in every locale, with feed content types', async () => {
    const docs = await publish(t, feedDocuments);
    for (const base of ['/', '/components/hosting/', '/components/correo/', '/components/telefonia/']) {
      for (const prefix of ['', '/en']) {
        expect(docs.get(`${prefix}${base}feed.rss`)?.contentType).toBe('application/rss+xml; charset=utf-8');
        expect(docs.get(`${prefix}${base}feed.atom`)?.contentType).toBe('application/atom+xml; charset=utf-8');
      }
    }
    expect(docs.size).toBe(4 * 2 * 2);
  });

  it('the RSS feed parses, with one item per incident and window, stable guids, links, dates and escaped text', async () => {
    const text = body(await publish(t, feedDocuments), '/feed.rss');
    const feed = parseFeed(text);
    expect(feed.meta.type).toBe('rss');
    expect(feed.title).toBe('Prueba Hosting: incidentes y mantenimientos');
    expect(feed.language).toBe('es');
    expect(feed.self).toBe(`${SITE}/feed.rss`);
    expect(feed.items).toHaveLength(4);
    const outage = feed.items.find((i) => i.url === `${SITE}/incidents/${ids.outage}/`)!;
    // The builder escaped the markup in the title; the parser gives the exact text back.
    expect(outage.title).toBe('Caída <b>total</b> & "más" (Resuelto)');
    expect(outage.id).toBe(`tag:status.prueba.example,2026-11-20:incident/${ids.outage}`);
    // The date of its latest news (the resolution, 30 minutes after it was opened).
    expect(outage.published?.toISOString()).toBe('2026-11-20T15:30:00.000Z');
    expect(outage.categories.map((c) => c.term)).toEqual(['Incidente', 'Severidad 1 (Crítico)', 'Hosting web']);
    // The timeline is HTML whose texts are escaped: a body's markup is shown, never run.
    const html = rssHtml(text, outage.url!);
    expect(html).toContain('No responde &lt;script&gt;alert(1)&lt;/script&gt;.');
    expect(html).not.toContain('<script>');
    expect(html.indexOf('Servicio restablecido.')).toBeLessThan(html.indexOf('Disco dañado'));
    expect(html).toContain('Investigamos.<br>No responde');
    const window = feed.items.find((i) => i.url === `${SITE}/maintenances/${ids.window}/`)!;
    expect(window.title).toBe('Mantenimiento: Cambio de disco (Programado)');
    expect(window.description).toContain('dom, 22 nov 2026, 08:00');
    const cancelled = feed.items.find((i) => i.url === `${SITE}/maintenances/${ids.cancelled}/`)!;
    expect(cancelled.title).toBe('Mantenimiento: Migración (Cancelado)');
    expect(cancelled.description).toContain('Pospuesta');
    // Newest news first.
    const dates = feed.items.map((i) => i.published!.getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it('the Atom feed parses, with the same ids, first-posted and last-updated dates, and html content', async () => {
    const docs = await publish(t, feedDocuments);
    const atom = parseFeed(body(docs, '/feed.atom'));
    const rss = parseFeed(body(docs, '/feed.rss'));
    expect(atom.meta.type).toBe('atom');
    expect(atom.self).toBe(`${SITE}/feed.atom`);
    expect(atom.url).toBe(`${SITE}/`);
    expect(atom.items.map((i) => i.id).sort()).toEqual(rss.items.map((i) => i.id).sort());
    const outage = atom.items.find((i) => i.id?.endsWith(`incident/${ids.outage}`))!;
    expect(outage.published?.toISOString()).toBe('2026-11-20T15:00:00.000Z');
    expect(outage.updated?.toISOString()).toBe('2026-11-20T15:30:00.000Z');
    expect(outage.content).toContain('Disco dañado en el nodo 3.');
    expect(atomHtml(body(docs, '/feed.atom'), `incident/${ids.outage}`)).toContain('No responde &lt;script&gt;alert(1)&lt;/script&gt;.');
    expect(atom.updated?.toISOString()).toBe(atom.items[0]!.updated!.toISOString());
  });

  it('a component feed holds only what touches that component', async () => {
    const docs = await publish(t, feedDocuments);
    const hosting = parseFeed(body(docs, '/components/hosting/feed.rss'));
    expect(hosting.title).toBe('Prueba Hosting: Hosting web: incidentes y mantenimientos');
    expect(hosting.items.map((i) => i.url).sort()).toEqual([`${SITE}/incidents/${ids.outage}/`, `${SITE}/maintenances/${ids.window}/`].sort());
    const correo = parseFeed(body(docs, '/components/correo/feed.atom'));
    expect(correo.items.map((i) => i.url)).toEqual([`${SITE}/incidents/${ids.slow}/`]);
    expect(correo.url).toBe(`${SITE}/components/correo/`);
  });

  it('the English feeds link to the English pages and use English words', async () => {
    const feed = parseFeed(body(await publish(t, feedDocuments), '/en/feed.rss'));
    expect(feed.language).toBe('en');
    const outage = feed.items.find((i) => i.url === `${SITE}/en/incidents/${ids.outage}/`)!;
    expect(outage.title).toBe('Caída <b>total</b> & "más" (Resolved)');
    expect(outage.categories.map((c) => c.term)).toContain('Severity 1 (Critical)');
  });

  it('a Brazilian Portuguese page has its feeds under /pt-br/, in Portuguese', async () => {
    const pt = await testApp({ now: NOW, config: parseConfigText(TEST_CONFIG_YAML.replace('locales: [es, en]', 'locales: [es, en, pt-BR]'), 'pt.yaml') });
    try {
      const id = await admin(pt).openIncident({ title: 'Lentidão', severity: 2, message: 'Investigando.', components: ['hosting'] });
      const docs = await publish(pt, feedDocuments);
      const feed = parseFeed(body(docs, '/pt-br/feed.rss'));
      expect(feed.language).toBe('pt-BR');
      expect(feed.title).toBe('Prueba Hosting: incidentes e manutenções');
      const item = feed.items.find((i) => i.url === `${SITE}/pt-br/incidents/${id}/`)!;
      expect(item.title).toBe('Lentidão (Investigando)');
      // The config gives no Portuguese severity names: Spanish, as the site shows them.
      expect(item.categories.map((c) => c.term)).toContain('Severidade 2 (Alto)');
      expect(docs.has('/pt-br/components/hosting/feed.atom')).toBe(true);
    } finally {
      await pt.close();
    }
  });

  it('ids stay the same as an incident changes, and bodies depend on the data, not on the hour they are built', async () => {
    const first = await publish(t, feedDocuments);
    t.clock.advance(3 * 3_600_000);
    const later = await publish(t, feedDocuments);
    expect(body(later, '/feed.rss')).toBe(body(first, '/feed.rss'));
    expect(body(later, '/feed.atom')).toBe(body(first, '/feed.atom'));
    await admin(t).update(ids.slow, { status: 'monitoring', message: 'Aplicamos un cambio.' });
    const changed = await publish(t, feedDocuments);
    expect(body(changed, '/feed.rss')).not.toBe(body(first, '/feed.rss'));
    const before = parseFeed(body(first, '/feed.rss')).items.map((i) => i.id).sort();
    const after = parseFeed(body(changed, '/feed.rss'));
    expect(after.items.map((i) => i.id).sort()).toEqual(before);
    // The incident with news is now first.
    expect(after.items[0]!.url).toBe(`${SITE}/incidents/${ids.slow}/`);
    expect(after.items[0]!.title).toBe('Lentitud en el correo (En observación)');
  });

  it('characters XML cannot carry are dropped, so the feed still parses', async () => {
    await admin(t).openIncident({ title: 'Fallo\u0001 raro\u001f', severity: 4, message: 'Texto con \u0008control.', components: ['telefonia'] });
    const docs = await publish(t, feedDocuments);
    for (const path of ['/feed.rss', '/feed.atom']) {
      const feed = parseFeed(body(docs, path));
      expect(feed.items.map((i) => i.title)).toContain('Fallo raro (Investigando)');
    }
  });

  it('are served from the published snapshot with validators, like every public document', async () => {
    const res = await t.request('/components/hosting/feed.atom');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const etag = res.headers.get('etag')!;
    expect(parseFeed(await res.text()).items).toHaveLength(2);
    expect((await t.request('/components/hosting/feed.atom', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await t.request('/en/feed.rss')).headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
  });

  it('a page with nothing to tell still has valid, dated feeds', async () => {
    const fresh = await testApp({ now: NOW });
    try {
      const docs = await publish(fresh, feedDocuments);
      const rss = parseFeed(body(docs, '/feed.rss'));
      const atom = parseFeed(body(docs, '/feed.atom'));
      expect(rss.items).toEqual([]);
      expect(atom.items).toEqual([]);
      expect(atom.updated?.toISOString()).toBe(NOW.replace('Z', '.000Z'));
    } finally {
      await fresh.close();
    }
  });
});

describe('feeds put together from their entries', () => {
  it('are the very text the builder writes for the whole feed at once, whatever the entries and their characters', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Ñ', 'ó', ' ', '&', '<', '>', '"', "'", '\n', '\u0007', '😀', ']]>', '·') });
    const date = fc.integer({ min: 0, max: 4_000_000_000_000 }).map((ms) => new Date(ms));
    const entry = fc.record({
      id: text,
      kind: fc.constantFrom('incident' as const, 'maintenance' as const),
      title: text,
      link: text,
      published: date,
      updated: date,
      html: text,
      categories: fc.array(text, { maxLength: 3 }),
    });
    const meta = fc.record({ title: text, description: text, link: text, self: text, author: text, language: fc.constantFrom('es', 'en', 'pt-BR'), updated: date });
    fc.assert(
      fc.property(meta, fc.array(entry, { maxLength: 5 }), (m, entries) => {
        // Twice: the second time from the texts kept for the entries.
        for (let k = 0; k < 2; k++) {
          expect(rssFeed(m, entries)).toBe(wholeFeeds.rss(m, entries));
          expect(atomFeed(m, entries)).toBe(wholeFeeds.atom(m, entries));
        }
      }),
    );
  });
});

