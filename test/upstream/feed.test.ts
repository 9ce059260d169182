import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guessEntryStatus, parseFeed } from '../../worker/upstream/adapters/feed.ts';
import { UpstreamFormatError } from '../../worker/upstream/errors.ts';
import { pollSource as pollAnywhere, type KeptCache, type PollOptions, type PollOutcome, type UpstreamSource } from '../../worker/upstream/poll.ts';
import type { UpstreamSnapshot } from '../../worker/upstream/types.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { NOW, fixture } from './support.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: these polls opt into private addresses. */
const pollSource = (source: UpstreamSource, previous: KeptCache | undefined, options: PollOptions): Promise<PollOutcome> =>
  pollAnywhere(source, previous, { ...options, fetch: { egress: LOCAL_NETWORK, ...options.fetch } });

const ctx = { now: NOW };

describe('feed adapter on real feeds served over HTTP', () => {
  let server: UpstreamServer;
  let atom: UpstreamSnapshot;
  let rss: UpstreamSnapshot;

  beforeAll(async () => {
    server = await startUpstreamServer();
    server.route('/history.atom', { body: fixture('statuspage-history.atom'), headers: { 'Content-Type': 'application/atom+xml' } });
    server.route('/feed.rss', { body: fixture('provider-with-script.rss'), headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' } });
    const atomOutcome = await pollSource({ type: 'feed', url: `${server.url}/history.atom` }, undefined, { now: NOW });
    const rssOutcome = await pollSource({ type: 'feed', url: `${server.url}/feed.rss` }, undefined, { now: NOW });
    if (atomOutcome.kind !== 'snapshot' || rssOutcome.kind !== 'snapshot') throw new Error('poll failed');
    atom = atomOutcome.snapshot;
    rss = rssOutcome.snapshot;
  });
  afterAll(async () => {
    await server.close();
  });

  it('takes Statuspage JSON ids from the entry links, not the tag: ids', () => {
    expect(atom.incidents.map((i) => i.upstreamId)).toEqual(['k7w2q9d1x4vb', 'p0c5n8e3r6ts']);
  });

  it('reads the newest update label as the status and leaves entries older than the window out', () => {
    expect(atom.incidents.map((i) => [i.status, i.resolvedAt?.toISOString() ?? null])).toEqual([
      ['identified', null],
      ['resolved', '2026-11-14T21:47:55.000Z'],
    ]);
    expect(atom.incidents[0]).toMatchObject({ startedAt: new Date('2026-11-17T14:12:44Z'), severity: null, impactRaw: null });
  });

  it('turns entry HTML into plain text with decoded entities', () => {
    const body = atom.incidents[1]?.updates[0]?.body ?? '';
    expect(body).toContain('Resolved - Analytics data is current again.');
    expect(body).toContain('Performance dashboards & exports');
    expect(body).not.toMatch(/<|&amp;/);
  });

  it('strips script tags from titles and content of a hostile feed', () => {
    const [delayed, webmail] = rss.incidents;
    expect(delayed?.title).toBe('Retrasos en la entrega de correo');
    const everything = JSON.stringify(rss);
    expect(everything).not.toMatch(/script|onerror|iframe|document\.cookie|display:none|malicioso/i);
    expect(webmail?.updates[0]?.body).toBe('Investigando - Estamos revisando reportes de errores al abrir el webmail.');
  });

  it('understands Spanish status labels and RFC 822 dates', () => {
    expect(rss.incidents.map((i) => [i.upstreamId, i.status, i.startedAt.toISOString()])).toEqual([
      ['r8d3w5k1q7zt', 'resolved', '2026-11-17T14:55:00.000Z'],
      ['h2n6v9c4m0xa', 'investigating', '2026-11-17T15:40:00.000Z'],
    ]);
  });

  it('reads items with maintenanceEndDate as maintenances', () => {
    expect(rss.maintenances).toEqual([
      {
        upstreamId: 't5y1u8i3o6pe',
        title: 'Mantenimiento programado de servidores IMAP',
        status: 'scheduled',
        startsAt: new Date('2026-11-21T08:00:00.000Z'),
        endsAt: new Date('2026-11-21T10:00:00.000Z'),
        url: 'https://estado.correo-proveedor.example/incidents/t5y1u8i3o6pe',
        body: 'Programado - Reinicio de servidores IMAP; las conexiones se restablecen solas.',
        componentUpstreamIds: [],
      },
    ]);
  });
});

describe('feed status heuristic', () => {
  it('prefers the first strong label, then a title prefix, then a resolution phrase', () => {
    expect(guessEntryStatus('X', '<p><strong>Monitoring</strong> - watching</p><p><strong>Investigating</strong></p>')).toBe('monitoring');
    expect(guessEntryStatus('[Resuelto] Correo lento', '<p>Detalles</p>')).toBe('resolved');
    expect(guessEntryStatus('RESOLVED: Gmail delays', '')).toBe('resolved');
    expect(guessEntryStatus('Gmail delays', '<p>The issue has been resolved for all users.</p>')).toBe('resolved');
    expect(guessEntryStatus('Gmail delays', '<p>We are looking into it.</p>')).toBe('investigating');
  });
});

describe('feed adapter on hostile or odd payloads', () => {
  it('rejects HTML, JSON and non-XML text with clear errors', () => {
    expect(() => parseFeed('<!DOCTYPE html><html><body>x</body></html>', ctx)).toThrow('expected an RSS or Atom feed at feed, got an HTML page');
    expect(() => parseFeed('{"a":1}', ctx)).toThrow('expected an RSS or Atom feed at feed, got JSON');
    expect(() => parseFeed(42, ctx)).toThrow(UpstreamFormatError);
  });

  it('rejects XML that is not a feed, and broken XML', () => {
    expect(() => parseFeed('<?xml version="1.0"?><note><to>x</to></note>', ctx)).toThrow('expected an <rss> or <feed> root element at feed');
    expect(() => parseFeed('<rss><channel><item><title>x</title></channel></rss>', ctx)).toThrow(UpstreamFormatError);
  });

  it('drops entries without a date or title and reports them', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title>No date</title></entry>
      <entry><updated>2026-11-17T10:00:00Z</updated></entry>
      <entry><title>Fine</title><updated>2026-11-17T10:00:00Z</updated><id>urn:x:1</id></entry>
    </feed>`;
    const snapshot = parseFeed(xml, ctx);
    expect(snapshot.incidents.map((i) => i.upstreamId)).toEqual(['urn:x:1']);
    expect(snapshot.problems.map((p) => p.message)).toEqual(['no readable date', 'no title']);
  });

  it('survives an entity-expansion bomb with a format error', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><rss><channel><item><title>&lol4;&lol4;&lol4;&lol4;</title><pubDate>Tue, 17 Nov 2026 08:55:00 -0600</pubDate></item></channel></rss>`;
    let outcome: unknown;
    try {
      outcome = parseFeed(bomb, ctx);
    } catch (error) {
      outcome = error;
    }
    // Either refused as a format error, or parsed with the expansion bounded; never a crash or a huge title.
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(UpstreamFormatError);
    else expect(JSON.stringify(outcome).length).toBeLessThan(20_000);
  });
});

describe('feed adapter leniency', () => {
  it('tolerates a stray ampersand, as sloppy real feeds have', () => {
    const xml = '<rss><channel><item><title>Voice & video degraded</title><pubDate>Tue, 17 Nov 2026 08:55:00 -0600</pubDate><guid>g1</guid></item></channel></rss>';
    expect(parseFeed(xml, ctx).incidents.map((i) => i.title)).toEqual(['Voice & video degraded']);
  });
});
