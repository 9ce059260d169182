import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';

const NOW = new Date('2026-11-20T15:00:00Z');
const H = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

/** RFC 5545 reading: unfold continuation lines, then NAME[;params]:value per line. */
function parseIcs(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  const props = lines.map((line) => {
    const colon = line.indexOf(':');
    const [name, ...params] = line.slice(0, colon).split(';');
    return { name: name!, params, value: line.slice(colon + 1) };
  });
  const events = props.filter((p) => p.name === 'BEGIN' && p.value === 'VEVENT').length;
  const get = (name: string) => props.filter((p) => p.name === name).map((p) => p.value);
  return { props, events, get, one: (name: string) => get(name)[0] };
}

describe('GET /maintenances/<id>.ics', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
  });
  afterEach(() => t.close());

  const schedule = async (title = 'Cambio de disco') => {
    const res = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title, message: 'Habrá cortes breves.', starts_at: '2026-11-21T08:00:00-05:00', ends_at: '2026-11-21T10:30:00-05:00' },
    });
    return ((await res.json()) as { maintenance: { id: string } }).maintenance.id;
  };

  it('serves the window in UTC with a stable UID and SEQUENCE 0', async () => {
    const id = await schedule();
    const res = await t.request(`/maintenances/${id}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = parseIcs(await res.text());
    expect(ics.events).toBe(1);
    expect(ics.one('METHOD')).toBe('PUBLISH');
    expect(ics.one('DTSTART')).toBe('20261121T130000Z');
    expect(ics.one('DTEND')).toBe('20261121T153000Z');
    expect(ics.one('UID')).toBe(`maintenance-${id}@status.prueba.example`);
    expect(ics.one('SEQUENCE')).toBe('0');
    expect(ics.one('STATUS')).toBe('CONFIRMED');
    expect(ics.one('SUMMARY')).toBe('Prueba Hosting: Cambio de disco');
    expect(ics.one('URL')).toBe(`https://status.prueba.example/maintenances/${id}/`);
    expect(ics.one('DTSTAMP')).toBe('20261120T150000Z');
  });

  it('keeps the UID and bumps SEQUENCE on each reschedule', async () => {
    const id = await schedule();
    const before = parseIcs(await (await t.request(`/maintenances/${id}.ics`)).text());
    await t.request(`/api/admin/maintenances/${id}`, { method: 'PATCH', json: { starts_at: at(30 * H), ends_at: at(31 * H) } });
    await t.request(`/api/admin/maintenances/${id}`, { method: 'PATCH', json: { ends_at: at(32 * H) } });
    const after = parseIcs(await (await t.request(`/maintenances/${id}.ics`)).text());
    expect(after.one('UID')).toBe(before.one('UID'));
    expect(after.one('SEQUENCE')).toBe('2');
    expect(after.one('DTSTART')).toBe('20261121T210000Z');
    expect(after.one('DTEND')).toBe('20261121T230000Z');
  });

  it('a cancelled window is METHOD:CANCEL with STATUS:CANCELLED and a higher SEQUENCE', async () => {
    const id = await schedule();
    await t.request(`/api/admin/maintenances/${id}/cancel`, { method: 'POST', json: { reason: 'Pospuesto' } });
    const ics = parseIcs(await (await t.request(`/maintenances/${id}.ics`)).text());
    expect(ics.one('METHOD')).toBe('CANCEL');
    expect(ics.one('STATUS')).toBe('CANCELLED');
    expect(ics.one('SEQUENCE')).toBe('1');
  });

  it('a hostile title cannot add properties or events to the file', async () => {
    const id = await schedule('Corte\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:19990101T000000Z; y, más');
    const ics = parseIcs(await (await t.request(`/maintenances/${id}.ics`)).text());
    expect(ics.events).toBe(1);
    expect(ics.get('DTSTART')).toEqual(['20261121T130000Z']);
    expect(ics.one('SUMMARY')).toContain('\\nEND:VEVENT\\nBEGIN:VEVENT');
  });

  it('answers 404 for an unknown window', async () => {
    const res = await t.request('/maintenances/doesnotexist.ics');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
