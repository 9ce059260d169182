import type { CharEscape } from '../chat/text.ts';

/**
 * Slack's mrkdwn: `&`, `<` and `>` are its control characters (links, mentions such as `<!channel>`), so they are
 * written as `&amp;`, `&lt;` and `&gt;`, as Slack asks; nothing else is escaped.
 */
export const mrkdwnChar: CharEscape = (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : char);
