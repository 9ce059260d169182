import type { CharEscape } from '../chat/text.ts';

/**
 * Card texts that take Google Chat's HTML subset (textParagraph, decoratedText, section headers): `&`, `<`, `>` and
 * quotes become entities, so no tag or link can be formed; a line break becomes `<br>`.
 */
export const cardHtmlChar: CharEscape = (char) => {
  switch (char) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    case "'":
      return '&#39;';
    case '\n':
      return '<br>';
    default:
      return char;
  }
};

/**
 * The message's `text`: Google Chat's text syntax has no escape, and `<…>` makes links and mentions (`<users/all>`
 * notifies everyone), so angle brackets are written as the look-alike ‹ and ›.
 */
export const chatTextChar: CharEscape = (char) => (char === '<' ? '‹' : char === '>' ? '›' : char);
