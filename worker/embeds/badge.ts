/** A shields-style SVG status badge ("status | operational"). Pure. */
import type { ComponentState } from '../core/vocabulary.ts';
import { STATE_COLOR } from './colors.ts';

const LABEL_COLOR = '#444444'; // white on it: 9.7:1
const HEIGHT = 20;
const PADDING = 6;

const escapeXml = (text: string) =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * Approximate width of a text in 11 px Verdana/DejaVu Sans. The text is also given `textLength`, so the
 * renderer fits it to exactly this width whatever font it has: it can never overflow its box.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')) {
    if (/[ijlI.,:;'!|]/.test(ch)) width += 3.6;
    else if (ch === ' ') width += 3.9;
    else if (/[frt()\-]/.test(ch)) width += 4.8;
    else if (/[mwMW]/.test(ch)) width += 10.2;
    else if (/[A-Z]/.test(ch)) width += 7.6;
    else width += 6.9;
  }
  return Math.ceil(width);
}

export interface Badge {
  label: string;
  value: string;
  state: ComponentState;
  /** The accessible name and tooltip, e.g. "Acme status: operational". */
  title: string;
}

export function badgeSvg({ label, value, state, title }: Badge): string {
  const labelText = textWidth(label);
  const valueText = textWidth(value);
  const labelWidth = labelText + 2 * PADDING;
  const valueWidth = valueText + 2 * PADDING;
  const width = labelWidth + valueWidth;
  const text = (x: number, length: number, content: string) =>
    `<text x="${x}" y="14" textLength="${length}" lengthAdjust="spacingAndGlyphs">${escapeXml(content)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<clipPath id="r"><rect width="${width}" height="${HEIGHT}" rx="3"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${labelWidth}" height="${HEIGHT}" fill="${LABEL_COLOR}"/><rect x="${labelWidth}" width="${valueWidth}" height="${HEIGHT}" fill="${STATE_COLOR[state]}"/></g>`,
    `<g fill="#fff" font-family="Verdana,'DejaVu Sans',Geneva,sans-serif" font-size="11" text-anchor="middle">`,
    text(labelWidth / 2, labelText, label),
    text(labelWidth + valueWidth / 2, valueText, value),
    `</g></svg>`,
    '',
  ].join('\n');
}
