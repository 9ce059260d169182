/**
 * Wall-clock durations used by the config (poll intervals, notice periods, reminder offsets):
 * `45s`, `10m`, `8h`, `2d`, or combinations such as `1h30m`. Always real elapsed time.
 * SLA targets, which may be counted in business hours, are parsed by worker/sla/duration.ts.
 */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const WHOLE = /^(?:\d+[smhd])+$/;
const PART = /(\d+)([smhd])/g;

export function parseWallDuration(text: string): number {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) {
    throw new Error(`"${text}" is not a duration (write e.g. 45s, 10m, 8h, 2d or 1h30m)`);
  }
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  if (ms <= 0) throw new Error(`"${text}" must be longer than zero`);
  return ms;
}

/** Formats milliseconds back into the shortest exact form (e.g. 30600000 → "8h30m"). */
export function formatWallDuration(ms: number): string {
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('') || '0s';
}
