/** The maintenance form's repetition presets, as RRULEs read from the window's first start. Pure. */

const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const WEEKDAY_WORDS = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];
const ORDINAL_WORDS: Record<number, string> = { 1: 'primer', 2: 'segundo', 3: 'tercer', 4: 'cuarto', [-1]: 'último' };

export type Preset = 'weekly' | 'monthly-nth' | 'monthly-day';

/** A `datetime-local` value's date parts, read as written (no zone). */
function parts(local: string): { weekday: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(local);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return { weekday: date.getUTCDay(), day: date.getUTCDate() };
}

/** Which week of its month a day falls in: 1–4, or −1 for the fifth (the month's last such weekday). */
const ordinal = (day: number) => (day > 28 ? -1 : Math.ceil(day / 7));

/** The rule a preset writes for a first start (`2026-12-06T02:00` → `FREQ=MONTHLY;BYDAY=1SU`); null without a date. */
export function presetRule(preset: Preset, local: string): string | null {
  const p = parts(local);
  if (!p) return null;
  const code = WEEKDAY_CODES[p.weekday];
  if (preset === 'weekly') return `FREQ=WEEKLY;BYDAY=${code}`;
  if (preset === 'monthly-nth') return `FREQ=MONTHLY;BYDAY=${ordinal(p.day)}${code}`;
  return `FREQ=MONTHLY;BYMONTHDAY=${p.day}`;
}

/** The presets' names for a first start: "Cada mes, el primer domingo". */
export function presetWords(preset: Preset, local: string): string | null {
  const p = parts(local);
  if (!p) return null;
  const weekday = WEEKDAY_WORDS[p.weekday];
  if (preset === 'weekly') return `Cada semana, el ${weekday}`;
  if (preset === 'monthly-nth') return `Cada mes, el ${ORDINAL_WORDS[ordinal(p.day)]} ${weekday}`;
  return `Cada mes, el día ${p.day}`;
}
