import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calendarDocuments } from '../../worker/publish/documents/calendar.ts';
import { testApp } from '../helpers/app.ts';
import { admin, body, publish, type TestApp } from './support.ts';

const NOW = '2026-11-20T15:00:00Z';

/** Parsed with ical.js, a real RFC 5545 parser. */
function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((v) => ({
    uid: String(v.getFirstPropertyValue('uid')),
    sequence: Number(v.getFirstPropertyValue('sequence')),
    status: String(v.getFirstPropertyValue('status')),
    summary: String(v.getFirstPropertyValue('summary')),
    start: (v.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    end: (v.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString(),
    url: String(v.getFirstPropertyValue('url')),
  }));
  return { calendar, events };
}

describe('/maintenances.ics, the subscribable calendar of windows', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
  });
  afterEach(() => t.close());

  const windowFile = async (id: string) => parseCalendar(await (await t.request(`/maintenances/${id}.ics`)).text()).events[0]!;

  it('holds every upcoming and recent window, with the UIDs of their own .ics files', async () => {
    const api = admin(t);
    const upcoming = await api.schedule({ title: 'Cambio de disco', starts_at: '2026-11-22T08:00:00-05:00', ends_at: '2026-11-22T10:00:00-05:00', component_ids: ['hosting'] });
    const later = await api.schedule({ title: 'Actualización, "PBX" & más; sin cortes', starts_at: '2026-11-25T20:00:00-05:00', ends_at: '2026-11-25T22:00:00-05:00' });
    // A window that already happened (ended yesterday) is still in the feed.
    t.clock.set('2026-11-10T12:00:00Z');
    const past = await api.schedule({ title: 'Ventana pasada', starts_at: '2026-11-19T08:00:00-05:00', ends_at: '2026-11-19T09:00:00-05:00' });
    t.clock.set(NOW);

    const document = (await publish(t, calendarDocuments)).get('/maintenances.ics')!;
    expect(document.contentType).toBe('text/calendar; charset=utf-8');
    expect(document.headers?.['content-disposition']).toBe('inline; filename="maintenances.ics"');
    const { calendar, events } = parseCalendar(String(document.body));
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Prueba Hosting: mantenimientos');
    expect(events.map((e) => e.summary)).toEqual([
      'Prueba Hosting: Ventana pasada',
      'Prueba Hosting: Cambio de disco',
      'Prueba Hosting: Actualización, "PBX" & más; sin cortes',
    ]);
    for (const id of [past, upcoming, later]) {
      const own = await windowFile(id);
      const inFeed = events.find((e) => e.uid === own.uid);
      expect(inFeed, `window ${id} in the feed`).toBeDefined();
      expect(inFeed).toEqual(own);
    }
    expect(events[1]).toMatchObject({ start: '2026-11-22T13:00:00.000Z', end: '2026-11-22T15:00:00.000Z', sequence: 0, status: 'CONFIRMED' });
    expect(events[1]!.url).toBe(`https://status.prueba.example/maintenances/${upcoming}/`);
  });

  it('a reschedule keeps the UID and raises SEQUENCE; a cancelled window stays with STATUS:CANCELLED', async () => {
    const api = admin(t);
    const moved = await api.schedule({ title: 'Cambio de disco', starts_at: '2026-11-22T08:00:00-05:00', ends_at: '2026-11-22T10:00:00-05:00' });
    const dropped = await api.schedule({ title: 'Migración', starts_at: '2026-11-23T08:00:00-05:00', ends_at: '2026-11-23T09:00:00-05:00' });
    const before = parseCalendar(body(await publish(t, calendarDocuments), '/maintenances.ics')).events;

    await api.reschedule(moved, { starts_at: '2026-11-24T08:00:00-05:00', ends_at: '2026-11-24T11:00:00-05:00' });
    await api.cancel(dropped, 'Pospuesta');
    const after = parseCalendar(body(await publish(t, calendarDocuments), '/maintenances.ics')).events;

    expect(after.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort());
    const movedEvent = after.find((e) => e.uid === before.find((b) => b.summary.endsWith('Cambio de disco'))!.uid)!;
    expect(movedEvent).toMatchObject({ sequence: 1, status: 'CONFIRMED', start: '2026-11-24T13:00:00.000Z', end: '2026-11-24T16:00:00.000Z' });
    const droppedEvent = after.find((e) => e.summary.endsWith('Migración'))!;
    expect(droppedEvent).toMatchObject({ sequence: 1, status: 'CANCELLED' });
    expect(droppedEvent.uid).toBe((await windowFile(dropped)).uid);
  });

  it('publishes each window\'s own file too, the same bytes the route gives', async () => {
    const id = await admin(t).schedule({ title: 'Cambio de disco', starts_at: '2026-11-22T08:00:00-05:00', ends_at: '2026-11-22T10:00:00-05:00' });
    const own = (await publish(t, calendarDocuments)).get(`/maintenances/${id}.ics`)!;
    expect(own.headers?.['content-disposition']).toBe(`attachment; filename="maintenance-${id}.ics"`);
    const served = await t.request(`/maintenances/${id}.ics`);
    expect(served.headers.get('etag')).toBeTruthy();
    expect(await served.text()).toBe(String(own.body));
    expect(parseCalendar(String(own.body)).events).toHaveLength(1);
  });

  it('with no windows it is still a valid, empty calendar; and it does not change with the hour it is built', async () => {
    const empty = body(await publish(t, calendarDocuments), '/maintenances.ics');
    expect(parseCalendar(empty).events).toEqual([]);
    await admin(t).schedule({ title: 'Cambio de disco', starts_at: '2026-11-22T08:00:00-05:00', ends_at: '2026-11-22T10:00:00-05:00' });
    const first = body(await publish(t, calendarDocuments), '/maintenances.ics');
    t.clock.advance(2 * 3_600_000);
    expect(body(await publish(t, calendarDocuments), '/maintenances.ics')).toBe(first);
  });
});
