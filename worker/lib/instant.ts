/**
 * The one parser of instants that people type (API bodies, report ranges): ISO 8601 with an explicit offset
 * (`Z` or `±hh:mm`), seconds and fractions optional. Unlike `new Date(text)`, it refuses any value whose fields do
 * not exist as written: `2027-02-30T10:00:00Z` is not quietly read as 2 March, `24:00` is not the next midnight.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;

export const INSTANT_FORMAT_HINT = 'must be an ISO-8601 instant with an offset, e.g. 2026-11-20T16:00:00-05:00';

export type InstantReading = { ok: true; date: Date } | { ok: false; problem: string };

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function readInstant(value: string): InstantReading {
  const m = INSTANT.exec(value);
  if (!m) return { ok: false, problem: INSTANT_FORMAT_HINT };
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  if (month < 1 || month > 12) return { ok: false, problem: `"${shown}" has no month ${m[2]}` };
  if (day < 1 || day > daysIn(year, month)) return { ok: false, problem: `"${shown}" is not a real date: ${m[1]}-${m[2]} has no day ${m[3]}` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, problem: `"${shown}" is not a real time of day` };
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return { ok: false, problem: `"${shown}" has an impossible offset ${m[8]}` };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  // Built field by field: Date.UTC would read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  date.setTime(date.getTime() - offsetMinutes * 60_000);
  if (Number.isNaN(date.getTime())) return { ok: false, problem: `"${shown}" is out of range` };
  return { ok: true, date };
}

/** The instant, or null when `value` is not one (see `readInstant` for why). */
export function parseInstant(value: string): Date | null {
  const reading = readInstant(value);
  return reading.ok ? reading.date : null;
}
