import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../worker/sla/report-csv.ts';
import { buildSlaReport, toCsv, type ReportIncident, type SlaReportInput } from '../../worker/sla/report.ts';
import { DEFAULT_SEVERITY_POLICIES } from '../../worker/sla/targets.ts';
import { allDay, bogota, HOUR, MINUTE } from './fixtures.ts';

const at = (local: string) => new Date(`${local}-05:00`); // Bogotá local time

let counter = 0;
function incident(fields: Partial<ReportIncident> & Pick<ReportIncident, 'severity' | 'startedAt'>): ReportIncident {
  counter++;
  return {
    id: `inc-${counter}`,
    title: `Incident ${counter}`,
    respondedAt: null,
    resolvedAt: null,
    componentIds: [],
    countsForSla: true,
    calendarId: 'bogota',
    ...fields,
  };
}

const A = incident({ severity: 1, startedAt: at('2026-11-20T16:00'), respondedAt: at('2026-11-20T16:30'), resolvedAt: at('2026-11-20T19:00'), componentIds: ['web'] });
const B = incident({ severity: 1, startedAt: at('2026-11-23T10:00'), respondedAt: at('2026-11-23T12:00'), resolvedAt: at('2026-11-23T16:00'), componentIds: ['web', 'mail'] });
const C = incident({ severity: 2, startedAt: at('2026-11-21T11:00'), respondedAt: at('2026-11-23T08:30'), resolvedAt: at('2026-11-23T12:00'), componentIds: ['api'] });
const D = incident({ severity: 2, startedAt: at('2026-11-10T09:00'), resolvedAt: at('2026-11-10T10:00'), componentIds: ['api'], countsForSla: false });
const E = incident({ severity: 3, startedAt: at('2026-11-25T09:00'), componentIds: ['web'] });
const F = incident({ severity: 1, startedAt: at('2026-10-31T22:00'), resolvedAt: at('2026-11-01T02:00'), componentIds: ['web'] });
const G = incident({ severity: 2, startedAt: at('2026-11-28T10:00'), respondedAt: at('2026-11-28T10:30'), componentIds: ['mail'] });
const H = incident({ severity: 4, startedAt: at('2026-11-12T09:00'), respondedAt: at('2026-11-12T09:10'), resolvedAt: at('2026-11-12T09:20'), componentIds: ['legacy'] });
const I = incident({ severity: 4, startedAt: at('2026-12-01T00:00'), componentIds: ['web'] });

const november: SlaReportInput = {
  from: at('2026-11-01T00:00'),
  to: at('2026-12-01T00:00'),
  now: at('2026-12-01T00:00'),
  incidents: [I, H, G, F, E, D, C, B, A],
  policies: DEFAULT_SEVERITY_POLICIES,
  calendars: [bogota()],
  maintenance: [
    { componentIds: ['mail'], startsAt: at('2026-11-23T15:00'), endsAt: at('2026-11-23T17:00') },
    { componentIds: ['mail', 'nowhere'], startsAt: at('2026-11-30T22:00'), endsAt: at('2026-12-01T02:00') },
  ],
  components: [
    { id: 'web', name: 'Portal, "clientes"', calendarId: 'bogota' },
    { id: 'mail', name: 'Correo' },
    { id: 'api', name: 'API' },
    { id: 'status', name: '=HYPERLINK("x")' },
  ],
};

describe('buildSlaReport on a hand-worked month', () => {
  const report = buildSlaReport(november);
  const severity = (level: number) => report.severities.find((s) => s.level === level)!;

  it('counts incidents that started in the range, and only those counting for SLA in the figures', () => {
    expect(report.severities.map((s) => [s.level, s.count, s.counted])).toEqual([
      [1, 2, 2],
      [2, 3, 2],
      [3, 1, 1],
      [4, 1, 1],
    ]);
  });

  it('counts an incident still open from before the range as carried over, not in the range’s target figures', () => {
    // F started on 31 October and was open when November began; its targets were judged in October.
    expect(report.severities.map((s) => [s.level, s.carried_over])).toEqual([
      [1, 1],
      [2, 0],
      [3, 0],
      [4, 0],
    ]);
    const december = buildSlaReport({ ...november, from: at('2026-12-01T00:00'), to: at('2027-01-01T00:00'), now: at('2026-12-02T00:00') });
    // In December, every incident open on 1 December is carried over (E, G); I started in the range.
    expect(december.severities.map((s) => [s.level, s.count, s.carried_over])).toEqual([
      [1, 0, 0],
      [2, 0, 1],
      [3, 0, 1],
      [4, 1, 0],
    ]);
    expect(december.timeline.map((t) => [t.id, t.started_before_range])).toEqual([
      [E.id, true],
      [G.id, true],
      [I.id, false],
    ]);
    expect(december.severities.find((s) => s.level === 2)!.resolution).toMatchObject({ met: 0, breached: 0, pending: 0 });
  });

  it('shares, median and p90 of critical incidents on the always clock', () => {
    expect(severity(1).response).toEqual({ clock: 'always', met: 1, breached: 1, pending: 0, within_target_share: 0.5, aim_met: 1, aim_missed: 1, aim_share: 0.5, ranged: false, median_ms: 30 * MINUTE, p90_ms: 2 * HOUR });
    expect(severity(1).resolution).toEqual({ clock: 'always', met: 1, breached: 1, pending: 0, within_target_share: 0.5, aim_met: 1, aim_missed: 1, aim_share: 0.5, ranged: false, median_ms: 3 * HOUR, p90_ms: 6 * HOUR });
  });

  it('times on the business clock, and an open incident past due as breached', () => {
    // A target that is not a range has its aim at the commitment: the aim's figures repeat the commitment's.
    // C: Sat 11:00 → Mon 08:30 is 1.5 open hours; resolved Mon 12:00 after 5. G responded in 30 min, still open past its due.
    expect(severity(2).response).toEqual({ clock: 'business', met: 2, breached: 0, pending: 0, within_target_share: 1, aim_met: 2, aim_missed: 0, aim_share: 1, ranged: false, median_ms: 30 * MINUTE, p90_ms: 90 * MINUTE });
    expect(severity(2).resolution).toEqual({ clock: 'business', met: 1, breached: 1, pending: 0, within_target_share: 0.5, aim_met: 1, aim_missed: 1, aim_share: 0.5, ranged: false, median_ms: 5 * HOUR, p90_ms: 5 * HOUR });
    expect(severity(3).response).toMatchObject({ met: 0, breached: 1, within_target_share: 0, median_ms: null, p90_ms: null });
    expect(severity(4).resolution).toMatchObject({ met: 1, breached: 0, within_target_share: 1, median_ms: 20 * MINUTE });
  });

  it('availability per component, with maintenance left out of both sides', () => {
    const byId = Object.fromEntries(report.components.map((c) => [c.component_id, c]));
    const month = 30 * 24 * HOUR;
    // web: 2 h of F inside the range, 3 h of A, 6 h of B; E is severity 3 and does not count.
    expect(byId.web).toEqual({ component_id: 'web', name: 'Portal, "clientes"', measured_ms: month, maintenance_ms: 0, outage_ms: 11 * HOUR, availability: (720 - 11) / 720 });
    // mail: B 10:00–16:00 less maintenance from 15:00 = 5 h; G from Sat 10:00 to the end = 62 h less 2 h of maintenance.
    expect(byId.mail).toEqual({ component_id: 'mail', name: 'Correo', measured_ms: month, maintenance_ms: 4 * HOUR, outage_ms: 65 * HOUR, availability: (716 - 65) / 716 });
    // api: C from Sat 11:00 to Mon 12:00; D does not count for SLA.
    expect(byId.api!.outage_ms).toBe(49 * HOUR);
    expect(byId.status!.availability).toBe(1);
    expect(report.components.map((c) => c.component_id)).toEqual(['web', 'mail', 'api', 'status']);
  });

  it('lists the timeline oldest first with due instants and breaches', () => {
    expect(report.timeline.map((t) => t.id)).toEqual([F, D, H, A, C, B, E, G].map((i) => i.id));
    expect(report.timeline.filter((t) => t.started_before_range).map((t) => t.id)).toEqual([F.id]);
    const b = report.timeline.find((t) => t.id === B.id)!;
    expect(b).toMatchObject({ severity: 1, color: '#c0262d', response_breached: true, resolution_breached: true, component_ids: ['web', 'mail'], counts_for_sla: true });
    expect(b.response_due_at!.toISOString()).toBe(at('2026-11-23T11:00').toISOString());
  });
});

describe('buildSlaReport edge cases', () => {
  it('measures availability only up to now, with open incidents open until now', () => {
    const now = at('2026-11-23T13:00');
    const report = buildSlaReport({ ...november, now });
    const web = report.components.find((c) => c.component_id === 'web')!;
    expect(web.measured_ms).toBe(now.getTime() - november.from.getTime());
    // B is resolved later than now, but the future does not count: 10:00–13:00.
    expect(web.outage_ms).toBe(2 * HOUR + 3 * HOUR + 3 * HOUR);
    // E has not started yet at this now; it is still listed, as its start is in the range, and it is pending.
    expect(report.severities.find((s) => s.level === 3)!.response).toMatchObject({ pending: 1, breached: 0, within_target_share: null });
  });

  it('gives null availability when maintenance covers everything, and an empty report for an empty range', () => {
    const covered = buildSlaReport({
      ...november,
      maintenance: [{ componentIds: ['api'], startsAt: at('2026-10-01T00:00'), endsAt: at('2027-01-01T00:00') }],
    });
    expect(covered.components.find((c) => c.component_id === 'api')).toMatchObject({ availability: null, outage_ms: 0 });
    const empty = buildSlaReport({ ...november, to: november.from });
    expect(empty.timeline).toEqual([]);
    expect(empty.components.every((c) => c.measured_ms === 0 && c.availability === null)).toBe(true);
  });

  it('treats other severities as outages when asked', () => {
    const report = buildSlaReport({ ...november, outageLevels: [3] });
    // E is open from Wed 25 09:00 to the end of the month: 5 days and 15 h.
    expect(report.components.find((c) => c.component_id === 'web')!.outage_ms).toBe((5 * 24 + 15) * HOUR);
  });

  it('rejects incidents with a severity or calendar that is not configured, and a reversed range', () => {
    expect(() => buildSlaReport({ ...november, incidents: [{ ...A, severity: 7 }] })).toThrow(`incident ${A.id} refers to severity 7, which is not configured`);
    expect(() => buildSlaReport({ ...november, incidents: [{ ...A, calendarId: 'lima' }] })).toThrow(/calendar "lima", which is not configured/);
    expect(() => buildSlaReport({ ...november, from: november.to, to: november.from })).toThrow(/ends before it starts/);
  });
});

describe('availability against a minute-by-minute count', () => {
  it('agrees on random incidents and maintenance windows', () => {
    const from = Date.UTC(2026, 0, 5);
    const minutes = 24 * 60;
    const span = fc.tuple(fc.integer({ min: -120, max: minutes + 120 }), fc.integer({ min: 0, max: 600 }));
    const components = ['a', 'b', 'c'];
    const someComponents = fc.subarray(components, { minLength: 1 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ span, severity: fc.integer({ min: 1, max: 4 }), open: fc.boolean(), counts: fc.boolean(), ids: someComponents }), { maxLength: 12 }),
        fc.array(fc.record({ span, ids: someComponents }), { maxLength: 4 }),
        fc.integer({ min: 0, max: minutes + 60 }),
        (incidents, windows, nowMinute) => {
          const m = (k: number) => new Date(from + k * MINUTE);
          const report = buildSlaReport({
            from: m(0),
            to: m(minutes),
            now: m(nowMinute),
            incidents: incidents.map((x, i) => ({
              id: `i${i}`,
              title: '',
              severity: x.severity,
              startedAt: m(x.span[0]),
              respondedAt: null,
              resolvedAt: x.open ? null : m(x.span[0] + x.span[1]),
              componentIds: x.ids,
              countsForSla: x.counts,
              calendarId: 'all-day-UTC',
            })),
            policies: DEFAULT_SEVERITY_POLICIES,
            calendars: [allDay('UTC')],
            maintenance: windows.map((w) => ({ componentIds: w.ids, startsAt: m(w.span[0]), endsAt: m(w.span[0] + w.span[1]) })),
            components: components.map((id) => ({ id, name: id })),
          }).components;
          const end = Math.min(minutes, nowMinute);
          for (const component of components) {
            let maintenance = 0;
            let outage = 0;
            for (let k = 0; k < end; k++) {
              const inWindow = windows.some((w) => w.ids.includes(component) && w.span[0] <= k && k < w.span[0] + w.span[1]);
              const down = incidents.some(
                (x) => x.counts && x.severity <= 2 && x.ids.includes(component) && x.span[0] <= k && (x.open || k < x.span[0] + x.span[1]),
              );
              if (inWindow) maintenance++;
              else if (down) outage++;
            }
            const row = report.find((c) => c.component_id === component)!;
            expect(row.maintenance_ms).toBe(maintenance * MINUTE);
            expect(row.outage_ms).toBe(outage * MINUTE);
            expect(row.availability).toBe(end - maintenance === 0 ? null : (end - maintenance - outage) / (end - maintenance));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('toCsv', () => {
  const report = buildSlaReport(november);
  const csv = toCsv(report);
  const rows = parse(csv) as string[][];

  it('writes one table: a header, a row per severity, then a row per component, CRLF line ends', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['severity', '1'],
      ['severity', '2'],
      ['severity', '3'],
      ['severity', '4'],
      ['component', 'web'],
      ['component', 'mail'],
      ['component', 'api'],
      ['component', 'status'],
    ]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(rows.length + 1);
  });

  it('fills target columns on severity rows and availability columns on component rows', () => {
    const row = (r: string[]) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]));
    expect(row(rows[1]!)).toMatchObject({
      name: 'Critical',
      incidents: '2',
      counted: '2',
      response_clock: 'always',
      response_met: '1',
      response_within_target: '0.5',
      response_median_ms: String(30 * MINUTE),
      resolution_p90_ms: String(6 * HOUR),
      availability: '',
    });
    expect(row(rows[3]!)).toMatchObject({ response_median_ms: '', response_within_target: '0' });
    expect(row(rows[6]!)).toMatchObject({ name: 'Correo', maintenance_ms: String(4 * HOUR), outage_ms: String(65 * HOUR), availability: String(Number((651 / 716).toFixed(6))), response_clock: '' });
    expect((parse(toCsv(report, 'es')) as string[][])[1]![2]).toBe('Crítico');
  });

  it('quotes commas and quotes, and defuses text a spreadsheet would run as a formula', () => {
    expect(csv).toContain('"Portal, ""clientes"""');
    expect(rows[5]![2]).toBe('Portal, "clientes"');
    expect(rows[8]![2]).toBe(`'=HYPERLINK("x")`);
  });
});
