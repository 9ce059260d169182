import type { SlaReport, TargetStats } from './report.ts';

/** Columns of {@link toCsv}, in order. */
export const CSV_COLUMNS = [
  'section',
  'id',
  'name',
  'incidents',
  'counted',
  'carried_over',
  'response_clock',
  'response_met',
  'response_breached',
  'response_pending',
  'response_within_target',
  'response_aim_met',
  'response_aim_missed',
  'response_median_ms',
  'response_p90_ms',
  'resolution_clock',
  'resolution_met',
  'resolution_breached',
  'resolution_pending',
  'resolution_within_target',
  'resolution_aim_met',
  'resolution_aim_missed',
  'resolution_median_ms',
  'resolution_p90_ms',
  'measured_ms',
  'maintenance_ms',
  'outage_ms',
  'availability',
] as const;

type Cell = string | number | null;

function share(value: number | null): Cell {
  return value === null ? null : Number(value.toFixed(6));
}

/**
 * Quotes a cell per RFC 4180. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
 * first) gets a leading apostrophe, since component names come from people.
 */
function cell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function targetCells(stats: TargetStats): Cell[] {
  return [
    stats.clock,
    stats.met,
    stats.breached,
    stats.pending,
    share(stats.within_target_share),
    stats.aim_met,
    stats.aim_missed,
    stats.median_ms,
    stats.p90_ms,
  ];
}

/**
 * A target the policy does not state has an empty clock and no met or missed. `*_aim_*` count against a range's lower
 * bound (for a target that is not a range they repeat met and breached).
 *
 * The report as one CSV table (RFC 4180, CRLF line ends, header row {@link CSV_COLUMNS}): first one
 * `severity` row per level (`id` = level, `name` in `lang`, target columns filled), then one
 * `component` row per component (availability columns filled). Columns that do not apply to a row
 * are empty. Shares are fractions 0–1 with six decimals; durations are ms. The timeline is not
 * included.
 */
export function toCsv(report: SlaReport, lang: 'es' | 'en' = 'en'): string {
  const rows: Cell[][] = [[...CSV_COLUMNS]];
  for (const s of report.severities) {
    rows.push(['severity', s.level, s.name[lang], s.count, s.counted, s.carried_over, ...targetCells(s.response), ...targetCells(s.resolution), null, null, null, null]);
  }
  const noTargets: Cell[] = Array<Cell>(18).fill(null);
  for (const c of report.components) {
    rows.push([
      'component',
      c.component_id,
      c.name,
      null,
      null,
      null,
      ...noTargets,
      c.measured_ms,
      c.maintenance_ms,
      c.outage_ms,
      share(c.availability),
    ]);
  }
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
