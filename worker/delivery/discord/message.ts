/**
 * A notice as a Discord webhook message: one embed (title linking to the incident's or window's page, the lead, the
 * message and the links as its description, the facts as fields, small print in the footer, a colour by severity
 * or state, the instant it is about) and `allowed_mentions` that parse nothing, so no text can ping anyone.
 * Discord reads Markdown in titles, descriptions and field values: every text is escaped.
 */
import type { Notice } from '../../notices/notice.ts';
import { markdownChar } from '../chat/markdown.ts';
import type { ChatSettings } from '../chat/settings.ts';
import { summarizeNotice, type ChatSummary } from '../chat/summary.ts';
import { fitText, oneLine, type CharEscape } from '../chat/text.ts';
import { TONE_COLOR } from '../chat/tone.ts';

/** Discord's documented embed limits. */
export const DISCORD_LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, authorName: 256, total: 6000 } as const;

export interface DiscordEmbed {
  title: string;
  description: string;
  url?: string;
  color: number;
  timestamp?: string;
  author: { name: string };
  fields: { name: string; value: string; inline: boolean }[];
  footer: { text: string };
}

export interface DiscordMessage {
  embeds: [DiscordEmbed];
  allowed_mentions: { parse: [] };
}

const md = (text: string, max: number) => fitText(text, max, markdownChar);
/** A masked link: the label escaped, the address with its parentheses encoded so it cannot close the link early. */
const maskedLink = (label: string, url: string) => `[${md(oneLine(label), 200)}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
/** Dates and counts are short enough to sit side by side. */
const INLINE_UNDER = 60;

/** A quote: each line of the message starts with "> ", the marks counted in its length. */
const quoteChar: CharEscape = (char, lineBefore) => (char === '\n' ? '\n> ' : markdownChar(char, lineBefore));
/** The facts share at most this much of the 6,000 characters an embed may hold, and the links this much. */
const FIELDS_SHARE = 3000;
const LINKS_MAX = 1000;

/** The parts joined while they fit in `max` characters; a part that does not fit is left out whole. */
function joinWithin(parts: string[], separator: string, max: number): string {
  let out = '';
  for (const part of parts) {
    const next = out ? `${out}${separator}${part}` : part;
    if (next.length <= max) out = next;
  }
  return out;
}

export function discordLayout(summary: ChatSummary): DiscordMessage {
  const valueMax = Math.min(DISCORD_LIMITS.fieldValue, Math.floor(FIELDS_SHARE / Math.max(1, summary.facts.length)));
  const fields = summary.facts.map((f) => ({ name: md(oneLine(f.label), DISCORD_LIMITS.fieldName), value: md(f.value, valueMax), inline: f.value.length < INLINE_UNDER }));
  const kept = fields.slice(0, DISCORD_LIMITS.fields);
  const title = md(oneLine(summary.title), DISCORD_LIMITS.title);
  const footer = fitText(summary.notes.join(' · '), DISCORD_LIMITS.footer); // footers show text as typed
  const author = fitText(oneLine(summary.siteName), DISCORD_LIMITS.authorName);
  const used = title.length + footer.length + author.length + kept.reduce((n, f) => n + f.name.length + f.value.length, 0);
  // The description takes what the 6,000 characters of an embed leave, up to its own limit.
  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.total - used);
  const linkLine = joinWithin([...(summary.primary ? [summary.primary] : []), ...summary.links].map((l) => maskedLink(l.label, l.url)), ' · ', LINKS_MAX);
  const linkRoom = linkLine ? linkLine.length + 2 : 0;
  let description = md([summary.lead, ...summary.details].join('\n\n'), room - linkRoom);
  const quoteRoom = room - description.length - linkRoom - '\n\n> '.length;
  if (summary.message && quoteRoom > 0) description += `\n\n> ${fitText(summary.message, quoteRoom, quoteChar)}`;
  if (linkLine) description += `\n\n${linkLine}`;

  return {
    embeds: [
      {
        title,
        description,
        ...(summary.primary ? { url: summary.primary.url } : {}),
        color: parseInt(TONE_COLOR[summary.tone].slice(1), 16),
        ...(summary.at ? { timestamp: new Date(summary.at).toISOString() } : {}),
        author: { name: author },
        fields: kept,
        footer: { text: footer },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** The JSON body to post to a Discord webhook. */
export function renderDiscordMessage(notice: Notice, settings: ChatSettings): DiscordMessage {
  return discordLayout(summarizeNotice(notice, settings));
}
