import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSlaReport, DEFAULT_SEVERITY_POLICIES } from '../../worker/sla/index.ts';
import { addDays, buildUptime, buildUptimeInTurns, incidentDayState, localDate, type UptimeIncidentInput, type UptimeWindowInput } from '../../worker/status/uptime.ts';
import { seededRandom } from '../helpers/prng.ts';
import { bogota, HOUR, MINUTE } from '../sla/fixtures.ts';

const at = (iso: string) => new Date(iso);
const inc = (id: string, severity: number, from: string, to: string | null, components: string[], extra: Partial<UptimeIncidentInput> = {}): UptimeIncidentInput => ({
  id,
  severity,
  startedAt: at(from),
  resolvedAt: to ? at(to) : null,
  countsForSla: true,
  components: components.map((componentId) => ({ componentId, status: 'operational' })),
  ...extra,
});
const win = (id: string, from: string, to: string, componentIds: string[]): UptimeWindowInput => ({ id, startsAt: at(from), endsAt: at(to), componentIds });

describe('local days', () => {
  it('reads the calendar date in the zone and steps across month ends', () => {
    expect(localDate(at('2026-11-21T03:00:00Z').getTime(), 'America/Bogota')).toBe('2026-11-20');
    expect(localDate(at('2026-11-21T05:00:00Z').getTime(), 'America/Bogota')).toBe('2026-11-21');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('an incident never shows milder than its severity, and a worse recorded state wins', () => {
    expect(incidentDayState(1, 'operational')).toBe('major_outage');
    expect(incidentDayState(3, 'major_outage')).toBe('major_outage');
    expect(incidentDayState(4, 'operational')).toBe('operational');
    expect(incidentDayState(2, 'nonsense')).toBe('partial_outage');
  });
});

describe('uptime in Bogotá (UTC−5, no DST)', () => {
  // Now is Friday 20 Nov 2026, 12:00 local. The 90 days run from 23 Aug to 20 Nov; the last 30 from 22 Oct.
  const now = at('2026-11-20T17:00:00Z');
  const uptime = buildUptime({
    timeZone: 'America/Bogota',
    now,
    components: [
      { id: 'a', name: 'A', group: 'G', createdAt: at('2026-08-01T00:00:00Z') },
      { id: 'b', name: 'B', group: 'G', createdAt: at('2026-11-18T12:00:00Z') },
      { id: 'c', name: 'C', group: null, createdAt: at('2026-01-01T00:00:00Z') },
    ],
    incidents: [
      inc('i1', 1, '2026-11-10T15:00:00Z', '2026-11-10T17:00:00Z', ['a']), // 2 h, 10:00–12:00 local
      inc('i2', 3, '2026-11-12T04:00:00Z', '2026-11-12T06:00:00Z', ['a']), // 11 Nov 23:00 → 12 Nov 01:00 local, severity 3: not an outage
      inc('i3', 2, '2026-11-17T07:00:00Z', '2026-11-17T09:00:00Z', ['a']), // half inside window w2
      inc('i4', 1, '2026-11-19T10:00:00Z', '2026-11-19T10:30:00Z', ['b']),
      inc('i5', 1, '2026-11-05T15:00:00Z', '2026-11-05T20:00:00Z', ['a'], { countsForSla: false }), // shown, not counted
      inc('i6', 2, '2026-11-20T16:00:00Z', null, ['b']), // still open: 1 h so far
      inc('old', 1, '2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z', ['a']), // before the 90 days
    ],
    windows: [
      win('w1', '2026-11-15T06:00:00Z', '2026-11-15T08:00:00Z', ['a']), // 15 Nov 01:00–03:00 local
      win('w2', '2026-11-17T06:00:00Z', '2026-11-17T08:00:00Z', ['a']),
      win('future', '2026-11-25T06:00:00Z', '2026-11-25T08:00:00Z', ['a', 'c']),
    ],
  });
  const day = (row: string, date: string) => {
    const r = [...uptime.components, ...uptime.groups].find((x) => x.id === row)!;
    return r.days[uptime.dates.indexOf(date)]!;
  };

  it('has 90 local days ending today', () => {
    expect(uptime.dates).toHaveLength(90);
    expect(uptime.dates[0]).toBe('2026-08-23');
    expect(uptime.dates[89]).toBe('2026-11-20');
  });

  it('colours each day by its worst state and lists its incidents and windows', () => {
    expect(day('a', '2026-11-10')).toEqual({ state: 'major_outage', incidents: ['i1'], windows: [] });
    expect(day('a', '2026-11-11')).toEqual({ state: 'degraded_performance', incidents: ['i2'], windows: [] });
    expect(day('a', '2026-11-12')).toEqual({ state: 'degraded_performance', incidents: ['i2'], windows: [] });
    expect(day('a', '2026-11-15')).toEqual({ state: 'under_maintenance', incidents: [], windows: ['w1'] });
    expect(day('a', '2026-11-17')).toEqual({ state: 'partial_outage', incidents: ['i3'], windows: ['w2'] });
    expect(day('a', '2026-11-05')).toEqual({ state: 'major_outage', incidents: ['i5'], windows: [] });
    expect(day('a', '2026-11-13')).toEqual({ state: 'operational', incidents: [], windows: [] });
    expect(day('c', '2026-11-20')).toEqual({ state: 'operational', incidents: [], windows: [] });
  });

  it('shows no data before a component existed, and its first day as a day with data', () => {
    expect(day('b', '2026-11-17').state).toBe('no_data');
    expect(day('b', '2026-11-18').state).toBe('operational');
    expect(day('b', '2026-11-19')).toEqual({ state: 'major_outage', incidents: ['i4'], windows: [] });
    expect(day('b', '2026-11-20')).toEqual({ state: 'partial_outage', incidents: ['i6'], windows: [] });
    expect(uptime.components.find((c) => c.id === 'b')!.since).toEqual(at('2026-11-18T12:00:00Z'));
  });

  it('computes availability as the SLA report does: severity 1–2 counted incidents, maintenance left out', () => {
    const a = uptime.components.find((c) => c.id === 'a')!;
    // 30 days: 22 Oct 05:00Z → 20 Nov 17:00Z = 708 h; 4 h of maintenance; outage 2 h (i1) + 1 h (i3 outside w2).
    expect(a.uptime[0]).toEqual({ days: 30, from: at('2026-10-22T05:00:00Z'), availability: 0.995738, outage_ms: 3 * HOUR, maintenance_ms: 4 * HOUR, provider_unknown_ms: 0 });
    expect(701 / 704).toBeCloseTo(0.9957386, 6);
    // 90 days: 23 Aug 05:00Z → 20 Nov 17:00Z = 2,148 h: (2,144 − 3) / 2,144.
    expect(a.uptime[1]).toEqual({ days: 90, from: at('2026-08-23T05:00:00Z'), availability: 0.9986, outage_ms: 3 * HOUR, maintenance_ms: 4 * HOUR, provider_unknown_ms: 0 });
    // B is measured from its creation: 53 h, of which 30 min (i4) + 1 h (i6, open) out.
    const b = uptime.components.find((c) => c.id === 'b')!;
    expect(b.uptime[0]).toMatchObject({ from: at('2026-11-18T12:00:00Z'), availability: 0.971698, outage_ms: 1.5 * HOUR, maintenance_ms: 0 });
    expect(uptime.components.find((c) => c.id === 'c')!.uptime.map((u) => u.availability)).toEqual([1, 1]);
  });

  it('rolls a group up: worst member state per day, every member event once, the mean of member availabilities', () => {
    const g = uptime.groups.find((x) => x.name === 'G')!;
    expect(g.id).toBe('group-g');
    expect(g.members).toEqual(['a', 'b']);
    expect(day('group-g', '2026-11-10')).toEqual({ state: 'major_outage', incidents: ['i1'], windows: [] });
    expect(day('group-g', '2026-11-15')).toEqual({ state: 'under_maintenance', incidents: [], windows: ['w1'] });
    expect(day('group-g', '2026-11-20')).toEqual({ state: 'partial_outage', incidents: ['i6'], windows: [] });
    expect(g.uptime[0]!.availability).toBe(0.983718); // (0.995738 + 0.971698) / 2
    expect(uptime.groups).toHaveLength(1); // C has no group
  });
});

describe('days when a provider could not be read (Bogotá)', () => {
  // Now is Friday 20 Nov 2026, 12:00 local (17:00Z); the last 30 days start 22 Oct 05:00Z (708 h), the 90 on 23 Aug (2,148 h).
  const now = at('2026-11-20T17:00:00Z');
  const unknown = (from: string, to: string | null, componentIds: string[]) => ({ componentIds, startsAt: at(from), endsAt: to ? at(to) : null });
  const uptime = buildUptime({
    timeZone: 'America/Bogota',
    now,
    components: [
      { id: 'p', name: 'P', group: 'H', createdAt: at('2026-08-01T00:00:00Z') },
      { id: 'q', name: 'Q', group: 'H', createdAt: at('2026-08-01T00:00:00Z') },
      { id: 'r', name: 'R', group: null, createdAt: at('2026-11-18T12:00:00Z') },
    ],
    incidents: [
      inc('i1', 1, '2026-11-08T16:00:00Z', '2026-11-08T17:00:00Z', ['p']), // 1 h counted outage inside u2
      inc('i2', 3, '2026-11-15T12:30:00Z', '2026-11-15T13:30:00Z', ['q']), // degraded, not an outage
      inc('i3', 2, '2026-11-19T10:00:00Z', '2026-11-19T11:00:00Z', ['r']),
    ],
    windows: [win('w1', '2026-11-12T07:00:00Z', '2026-11-12T08:00:00Z', ['p'])], // 1 h inside u3
    unknownPeriods: [
      unknown('2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z', ['p']), // before the 90 days
      unknown('2026-11-03T10:00:00Z', '2026-11-04T07:00:00Z', ['p']), // u1: 05:00 on 3 Nov → 02:00 on 4 Nov local, 21 h
      unknown('2026-11-08T15:00:00Z', '2026-11-08T19:00:00Z', ['p']), // u2: 4 h, 1 h of it a counted outage
      unknown('2026-11-12T05:00:00Z', '2026-11-12T09:00:00Z', ['p']), // u3: 4 h, 1 h of it maintenance
      unknown('2026-11-20T14:00:00Z', null, ['p']), // u4: still going, 3 h so far
      unknown('2026-11-15T12:00:00Z', '2026-11-15T13:00:00Z', ['q']), // u6: 1 h, under a degraded incident
      unknown('2026-11-16T12:00:00Z', '2026-11-19T05:00:00Z', ['r', 'gone']), // u7: from before R existed to midnight of 19 Nov
    ],
  });
  const row = (id: string) => [...uptime.components, ...uptime.groups].find((x) => x.id === id)!;
  const states = (id: string, from: string, to: string) => uptime.dates.filter((d) => d >= from && d <= to).map((d) => row(id).days[uptime.dates.indexOf(d)]!.state);

  it('greys the days a period touches, unless something worse is known that day', () => {
    expect(states('p', '2026-11-02', '2026-11-05')).toEqual(['operational', 'provider_unknown', 'provider_unknown', 'operational']);
    expect(states('p', '2026-11-08', '2026-11-08')).toEqual(['major_outage']);
    expect(states('p', '2026-11-12', '2026-11-12')).toEqual(['under_maintenance']);
    expect(states('p', '2026-11-19', '2026-11-20')).toEqual(['operational', 'provider_unknown']);
    expect(states('q', '2026-11-15', '2026-11-15')).toEqual(['degraded_performance']);
    // Before R's data starts there is no data, unknown or not.
    expect(states('r', '2026-11-16', '2026-11-20')).toEqual(['no_data', 'no_data', 'provider_unknown', 'partial_outage', 'operational']);
    expect(row('p').days.filter((d) => d.state === 'provider_unknown')).toHaveLength(3);
    // A period carries no event of its own.
    expect(row('p').days[uptime.dates.indexOf('2026-11-03')]).toEqual({ state: 'provider_unknown', incidents: [], windows: [] });
  });

  it('rolls up into a group like any state, below maintenance and outages', () => {
    expect(states('group-h', '2026-11-03', '2026-11-04')).toEqual(['provider_unknown', 'provider_unknown']);
    expect(states('group-h', '2026-11-15', '2026-11-15')).toEqual(['degraded_performance']);
  });

  it('counts that time neither as up nor as down, except where a counted outage or maintenance covers it', () => {
    // P, 30 days: 708 h − 1 h maintenance − 30 h unread (21 + 3 + 3 + 3) = 677 h measured, 1 h of outage.
    expect(row('p').uptime[0]).toEqual({ days: 30, from: at('2026-10-22T05:00:00Z'), availability: 0.998522, outage_ms: HOUR, maintenance_ms: HOUR, provider_unknown_ms: 30 * HOUR });
    expect(676 / 677).toBeCloseTo(0.9985229, 6);
    // 90 days: 2,148 − 1 − 30 = 2,117 h: 2,116 / 2,117.
    expect(row('p').uptime[1]).toMatchObject({ availability: 0.999527, provider_unknown_ms: 30 * HOUR });
    // Q: a degraded incident is no outage, so its hour stays unread: 707 h measured, none down.
    expect(row('q').uptime[0]).toMatchObject({ availability: 1, outage_ms: 0, provider_unknown_ms: HOUR });
    // R, measured from its creation (53 h): 17 h unread, 1 h down → 35 / 36.
    expect(row('r').uptime[0]).toMatchObject({ from: at('2026-11-18T12:00:00Z'), availability: 0.972222, outage_ms: HOUR, provider_unknown_ms: 17 * HOUR });
    // The group is the mean of its members'.
    expect(row('group-h').uptime[0]).toMatchObject({ availability: 0.999261, provider_unknown_ms: null });
  });

  it('a component whose provider could never be read has nothing to measure', () => {
    const never = buildUptime({
      timeZone: 'America/Bogota',
      now,
      days: 3,
      components: [{ id: 'n', name: 'N', group: null, createdAt: at('2026-11-19T05:00:00Z') }],
      incidents: [],
      windows: [],
      unknownPeriods: [unknown('2026-11-19T05:00:00Z', null, ['n'])],
    });
    expect(never.components[0]!.days.map((d) => d.state)).toEqual(['no_data', 'provider_unknown', 'provider_unknown']);
    expect(never.components[0]!.uptime[0]).toMatchObject({ availability: null, provider_unknown_ms: 36 * HOUR });
  });
});

describe('uptime across daylight-saving changes (America/New_York)', () => {
  it('puts 1 Nov 2026 23:30 EST in the 25-hour day of 1 Nov and measures the real hours', () => {
    const uptime = buildUptime({
      timeZone: 'America/New_York',
      now: at('2026-11-03T17:00:00Z'), // 12:00 EST
      days: 5,
      components: [{ id: 'x', name: 'X', group: null, createdAt: at('2026-01-01T00:00:00Z') }],
      // 04:30Z on 2 Nov is 23:30 EST on 1 Nov; 24 h after the EDT midnight of 1 Nov (04:00Z) it would be 2 Nov.
      incidents: [inc('late', 1, '2026-11-02T04:30:00Z', '2026-11-02T04:50:00Z', ['x'])],
      windows: [],
    });
    expect(uptime.dates).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03']);
    expect(uptime.components[0]!.days.map((d) => d.state)).toEqual(['operational', 'operational', 'major_outage', 'operational', 'operational']);
    // 30 Oct 00:00 EDT (04:00Z) → 3 Nov 12:00 EST (17:00Z) = 109 h, 20 min out: 1 − 1/327.
    expect(uptime.components[0]!.uptime[0]).toMatchObject({ from: at('2026-10-30T04:00:00Z'), availability: 0.996941, outage_ms: 20 * MINUTE });
  });

  it('puts 9 Mar 2026 00:30 EDT in 9 Mar, after the 23-hour day of 8 Mar', () => {
    const uptime = buildUptime({
      timeZone: 'America/New_York',
      now: at('2026-03-10T16:00:00Z'),
      days: 4,
      components: [{ id: 'x', name: 'X', group: null, createdAt: at('2026-01-01T00:00:00Z') }],
      // 04:30Z on 9 Mar is 00:30 EDT on 9 Mar; 24 h after the EST midnight of 8 Mar (05:00Z) it would still be 8 Mar.
      incidents: [inc('early', 3, '2026-03-09T04:30:00Z', '2026-03-09T04:40:00Z', ['x'])],
      windows: [win('m', '2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', ['x'])],
    });
    expect(uptime.dates).toEqual(['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(uptime.components[0]!.days.map((d) => d.state)).toEqual(['operational', 'under_maintenance', 'degraded_performance', 'operational']);
  });
});

describe('uptime figures agree with the SLA report', () => {
  it('for random incidents and windows over the last 30 days', () => {
    const now = at('2026-11-20T17:00:00Z');
    const spanStart = at('2026-10-22T05:00:00Z').getTime();
    const offset = fc.integer({ min: -40 * 24 * 60, max: 30 * 24 * 60 }).map((m) => spanStart + m * MINUTE);
    const incidentArb = fc.record({
      severity: fc.integer({ min: 1, max: 4 }),
      start: offset,
      minutes: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { nil: null }),
      counts: fc.boolean(),
      onA: fc.boolean(),
    });
    const windowArb = fc.record({ start: offset, minutes: fc.integer({ min: 1, max: 24 * 60 }) });
    fc.assert(
      fc.property(fc.array(incidentArb, { maxLength: 12 }), fc.array(windowArb, { maxLength: 6 }), (incs, wins) => {
        const incidents = incs
          .filter((i) => i.start <= now.getTime())
          .map((i, k) => ({
            id: `i${k}`,
            severity: i.severity,
            startedAt: new Date(i.start),
            resolvedAt: i.minutes === null ? null : new Date(Math.min(i.start + i.minutes * MINUTE, now.getTime())),
            countsForSla: i.counts,
            components: [{ componentId: i.onA ? 'a' : 'b', status: 'operational' }],
          }));
        const windows = wins.map((w, k) => ({ id: `w${k}`, startsAt: new Date(w.start), endsAt: new Date(w.start + w.minutes * MINUTE), componentIds: ['a'] }));
        const components = [
          { id: 'a', name: 'A', group: null, createdAt: at('2025-01-01T00:00:00Z') },
          { id: 'b', name: 'B', group: null, createdAt: at('2025-01-01T00:00:00Z') },
        ];
        // Data starts with the component: keep the random events from moving it.
        const uptime = buildUptime({ timeZone: 'America/Bogota', now, components, incidents, windows });
        const report = buildSlaReport({
          from: new Date(spanStart),
          to: at('2026-11-21T05:00:00Z'),
          now,
          incidents: incidents.map((i) => ({ ...i, title: i.id, respondedAt: null, componentIds: i.components.map((c) => c.componentId), calendarId: 'bogota' })),
          policies: DEFAULT_SEVERITY_POLICIES,
          calendars: [bogota()],
          maintenance: windows,
          components,
        });
        for (const row of uptime.components) {
          const expected = report.components.find((c) => c.component_id === row.id)!;
          expect(row.uptime[0]!.outage_ms).toBe(expected.outage_ms);
          expect(row.uptime[0]!.maintenance_ms).toBe(expected.maintenance_ms);
          expect(row.uptime[0]!.availability).toBe(expected.availability === null ? null : Math.floor(expected.availability * 1e6 + 1e-9) / 1e6);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('uptime built in turns', () => {
  it('is the same series as built at once, on a page large enough to pause many times', async () => {
    const random = seededRandom(3);
    const now = at('2026-11-20T17:00:00Z');
    const components = Array.from({ length: 60 }, (_, k) => ({ id: `c${k}`, name: `C${k}`, group: k % 3 ? `G${k % 4}` : null, createdAt: at('2026-06-01T00:00:00Z') }));
    const incidents = Array.from({ length: 1_200 }, (_, k) => {
      const from = now.getTime() - Math.floor(random() * 95 * 86_400_000);
      const to = random() < 0.1 ? null : new Date(from + Math.floor(random() * 8 * HOUR)).toISOString();
      return inc(`i${k}`, 1 + Math.floor(random() * 4), new Date(from).toISOString(), to, [`c${Math.floor(random() * 60)}`]);
    });
    const windows = Array.from({ length: 30 }, (_, k) => {
      const from = now.getTime() + Math.floor((random() - 0.8) * 90 * 86_400_000);
      return win(`w${k}`, new Date(from).toISOString(), new Date(from + 2 * HOUR).toISOString(), [`c${k}`]);
    });
    const input = { timeZone: 'America/Bogota', now, components, incidents, windows };
    expect(await buildUptimeInTurns(input)).toEqual(buildUptime(input));
  });
});
