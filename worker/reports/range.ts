import { INSTANT_FORMAT_HINT, readInstant } from '../lib/instant.ts';
import { zoneOffsetAt } from '../sla/zone.ts';

/** A report range: [from, to). */
export interface ReportRange {
  from: Date;
  to: Date;
  label: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** The instant local midnight starts `date` (YYYY-MM-DD) in `timeZone`. */
export function localMidnight(date: string, timeZone: string): Date {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const asUtc = Date.UTC(y, m - 1, d);
  const probe = new Date(asUtc);
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    throw new RangeError(`"${date}" is not a real date`);
  }
  // Two rounds settle the offset even when midnight falls next to a DST change.
  let guess = asUtc - zoneOffsetAt(timeZone, asUtc);
  guess = asUtc - zoneOffsetAt(timeZone, guess);
  return new Date(guess);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Reads `?month=YYYY-MM` or `?from=…&to=…`. Dates (YYYY-MM-DD) are local days in the provider's time zone,
 * `to` inclusive; instants (ISO-8601 with an offset) are taken as they are, `to` exclusive.
 * Throws RangeError with a message naming the parameter.
 */
export function parseReportRange(query: { month?: string; from?: string; to?: string }, timeZone: string): ReportRange {
  if (query.month) {
    const match = MONTH.exec(query.month);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new RangeError(`month: "${query.month}" is not a month (YYYY-MM)`);
    const [y, m] = [Number(match[1]), Number(match[2])];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
    return { from: localMidnight(`${query.month}-01`, timeZone), to: localMidnight(next, timeZone), label: query.month };
  }
  if (!query.from || !query.to) throw new RangeError('give month=YYYY-MM, or both from and to');
  const from = parseBound('from', query.from, timeZone, false);
  const to = parseBound('to', query.to, timeZone, true);
  if (to.getTime() <= from.getTime()) throw new RangeError('to must be after from');
  if (to.getTime() - from.getTime() > 3 * 366 * 86_400_000) throw new RangeError('the range may span at most three years');
  return { from, to, label: `${query.from}..${query.to}` };
}

function parseBound(name: string, value: string, timeZone: string, endOfDay: boolean): Date {
  if (DATE.test(value)) {
    try {
      const start = localMidnight(value, timeZone);
      if (!endOfDay) return start;
      const next = new Date(start.getTime() + 36 * 3_600_000).toISOString().slice(0, 10);
      return localMidnight(next, timeZone);
    } catch (error) {
      throw new RangeError(`${name}: ${(error as Error).message}`);
    }
  }
  if (value.includes('T')) {
    const reading = readInstant(value);
    if (reading.ok) return reading.date;
    if (reading.problem !== INSTANT_FORMAT_HINT) throw new RangeError(`${name}: ${reading.problem}`);
  }
  throw new RangeError(`${name}: "${value}" is neither a date (YYYY-MM-DD) nor an ISO-8601 instant with an offset`);
}
