/**
 * WCAG 2 contrast, used at build time so configured colours (severity colours, the brand accent) are only ever
 * shown where text on or in them stays readable (AA: 4.5:1 for text).
 */
export const AA_TEXT = 4.5;

function channels(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const digits = m[1]!.length === 3 ? [...m[1]!].map((d) => d + d).join('') : m[1]!;
  const n = parseInt(digits, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const toHex = (rgb: number[]) => `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;

/** Relative luminance (WCAG 2). */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio between two colours, 1 … 21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The colour itself when `text` on it reaches `ratio`, else the colour mixed toward black (for light text) or white
 * (for dark text) in small steps until it does: the hue is kept, only the shade moves.
 */
export function backgroundFor(color: string, text = '#ffffff', ratio = AA_TEXT): string {
  // Asked for again for every badge of a page (thousands of open incidents on a large one): found once.
  const key = `${color} ${text} ${ratio}`;
  let found = foundBackgrounds.get(key);
  if (found === undefined) foundBackgrounds.set(key, (found = findBackground(color, text, ratio)));
  return found;
}
const foundBackgrounds = new Map<string, string>();

function findBackground(color: string, text: string, ratio: number): string {
  const towards = luminance(text) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  const rgb = channels(color);
  for (let step = 0; step <= 40; step++) {
    const mixed = toHex(rgb.map((c, i) => c + (towards[i]! - c) * (step / 40)));
    if (contrast(mixed, text) >= ratio) return mixed;
  }
  return towards[0] === 0 ? '#000000' : '#ffffff';
}

/** The colour when it reaches `ratio` against every one of `backgrounds`, else undefined (use the default). */
export function usableOn(color: string | null | undefined, backgrounds: string[], ratio = AA_TEXT): string | undefined {
  if (!color || !/^#[0-9a-f]{6}$/i.test(color)) return undefined;
  return backgrounds.every((bg) => contrast(color, bg) >= ratio) ? color : undefined;
}
