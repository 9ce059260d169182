/**
 * Upstream text is untrusted. Everything an adapter emits goes through here and comes out as plain text: no tags,
 * no script or style content, entities decoded, control and direction-override characters removed, whitespace
 * collapsed and length capped. Whoever renders it must still escape it as text (Astro does by default).
 */
import sanitizeHtml from 'sanitize-html';

export const MAX_TEXT_LENGTH = 10_000;
export const MAX_LINE_LENGTH = 500;

/** Elements whose content is not readable text and is dropped with the tag. */
const DROPPED_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'noframes', 'noembed', 'template', 'title',
  'head', 'svg', 'math', 'object', 'xmp', 'plaintext',
];

/** After these, a line break keeps paragraphs apart once tags are gone. */
const BLOCK_BOUNDARY = /<(?:br\b[^>]*|\/(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote|pre|section|article|dd|dt)\s*)>/gi;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [],
  allowedAttributes: {},
  nonTextTags: DROPPED_WITH_CONTENT,
  parser: { decodeEntities: true },
};

/** sanitize-html decodes every entity and re-escapes only these; plain text wants them back as characters. */
const REESCAPED: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

// C0/C1 controls except tab and newline; zero-width and bidirectional controls that can disguise text.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const HORIZONTAL_SPACE = /[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;

function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let cut = text.slice(0, Math.max(0, maxLength - 1));
  // Do not leave half of a surrogate pair at the end.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** HTML (or text that may contain HTML) → plain text with paragraph breaks kept. Non-strings give ''. */
export function toPlainText(html: unknown, maxLength: number = MAX_TEXT_LENGTH): string {
  if (typeof html !== 'string' || html === '') return '';
  // Bound the work on hostile input: nothing past this point could survive the final cap anyway,
  // except markup, which is what we are stripping.
  const bounded = html.length > maxLength * 20 ? html.slice(0, maxLength * 20) : html;
  const withBreaks = bounded.replace(BLOCK_BOUNDARY, '$&\n');
  const stripped = sanitizeHtml(withBreaks, SANITIZE_OPTIONS);
  const decoded = stripped.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => REESCAPED[entity] ?? entity);
  const text = decoded
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(HORIZONTAL_SPACE, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncate(text, maxLength);
}

/** Like toPlainText, on one line: for titles and names. */
export function toPlainLine(html: unknown, maxLength: number = MAX_LINE_LENGTH): string {
  const text = toPlainText(html, maxLength * 4).replace(/\s+/g, ' ').trim();
  return truncate(text, maxLength);
}

/**
 * Markdown-ish text (Google's update texts) → plain text. Markdown may embed raw HTML, so it is sanitised the same
 * way; autolinks (`<https://…>`) would otherwise be read as tags and lost, so they are unwrapped first.
 */
export function markdownToPlainText(markdown: unknown, maxLength: number = MAX_TEXT_LENGTH): string {
  if (typeof markdown !== 'string') return '';
  const unwrapped = markdown
    .replace(/<(https?:\/\/[^\s<>]+)>/g, '$1')
    // Emphasis markers and heading hashes are noise in plain text; links keep their target.
    .replace(/\*\*([^*\n]+)\*\*|__([^_\n]+)__/g, (_match, stars: string | undefined, underscores: string | undefined) => stars ?? underscores ?? '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, '$1 ($2)');
  // Markdown line breaks are significant; keep them by turning them into <br> before sanitising.
  return toPlainText(unwrapped.replace(/\r?\n/g, '<br>'), maxLength);
}

/** An http(s) URL as a normalised string, or undefined. Anything else (javascript:, data:, garbage) is dropped. */
export function safeHttpUrl(value: unknown, base?: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2048) return undefined;
  try {
    const url = base === undefined ? new URL(value.trim()) : new URL(value.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}
