/**
 * Text helpers every chat layout shares: untrusted text is cleaned of control characters, escaped one character at
 * a time for its format, and cut to a format's limit without splitting an escape, a surrogate pair or a line's
 * markup in two.
 */

/**
 * How a format writes one character of plain text, knowing its line before it (for line-start markup): the text
 * before it while that is blanks and digits, else that text up to its first other character.
 */
export type CharEscape = (char: string, lineBefore: string) => string;

/** Plain text needs no escaping (plain_text fields, titles shown as typed). */
export const asPlain: CharEscape = (char) => char;

/** Control characters other than line breaks and tabs have no business in a message; CRLF becomes LF. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** One line: line breaks and runs of blanks become one space (headers and titles hold one line). */
export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}

/** The text's characters escaped for a format: `[escaped, …]`, one entry per code point. */
function escapedChars(text: string, escape: CharEscape): string[] {
  const out: string[] = [];
  let line = '';
  for (const char of cleanText(text)) {
    out.push(escape(char, line));
    // Line-start markup only ever looks at blanks and digits before it: past them, any one character stands for the rest.
    line = char === '\n' ? '' : /^[\s\d]*$/.test(line) ? line + char : line;
  }
  return out;
}

export function escapeWith(text: string, escape: CharEscape): string {
  return escapedChars(text, escape).join('');
}

const ELLIPSIS = '…';

/**
 * The text escaped for its format, at most `max` characters (UTF-16 units, as the chat services count): when it is
 * longer, whole escaped characters are kept while they fit and an ellipsis ends it.
 */
export function fitText(text: string, max: number, escape: CharEscape = asPlain): string {
  const chars = escapedChars(text, escape);
  const whole = chars.join('');
  if (whole.length <= max) return whole;
  let out = '';
  for (const char of chars) {
    if (out.length + char.length + ELLIPSIS.length > max) break;
    out += char;
  }
  return out.trimEnd() + ELLIPSIS;
}

/** Only web links become links or buttons; anything else (javascript:, data:…) is left out. */
export function isWebUrl(url: string | null | undefined): url is string {
  return typeof url === 'string' && /^https?:\/\/[^\s<>"'`]+$/i.test(url);
}
