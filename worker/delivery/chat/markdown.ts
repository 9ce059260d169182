import type { CharEscape } from './text.ts';

/**
 * Backslash escapes for the Markdown dialects of Teams' Adaptive Cards and Discord: emphasis, code, links (their
 * brackets), spoilers and mentions (`<@…>`, `<at>`) anywhere, and headings, quotes and lists at the start of a line,
 * are written as literal characters. `{` and `}` too: Adaptive Cards read `{{DATE(…)}}` as a function.
 */
const ANYWHERE = new Set(['\\', '*', '_', '~', '`', '|', '[', ']', '<', '{', '}']);
const LINE_START = new Set(['#', '-', '+', '=', '>']);

export const markdownChar: CharEscape = (char, lineBefore) => {
  if (ANYWHERE.has(char)) return `\\${char}`;
  const atStart = lineBefore.trim() === '';
  if (atStart && LINE_START.has(char)) return `\\${char}`;
  // "1. item" and "1) item" start numbered lists.
  if ((char === '.' || char === ')') && /^\s*\d+$/.test(lineBefore)) return `\\${char}`;
  return char;
};
