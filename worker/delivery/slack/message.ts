/**
 * A notice as a Slack incoming-webhook message: a `text` fallback (notifications, clients without blocks) and Block
 * Kit blocks: a header, a section with the lead and the facts as fields, the message quoted, context lines and
 * buttons to the incident's or window's page. Slack's limits are kept by cutting text, never by failing.
 */
import type { Notice } from '../../notices/notice.ts';
import type { ChatSettings } from '../chat/settings.ts';
import { summarizeNotice, type ChatSummary } from '../chat/summary.ts';
import { fitText, oneLine, type CharEscape } from '../chat/text.ts';
import { mrkdwnChar } from './escape.ts';

/** Slack's documented limits (Block Kit reference). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  /** The top-level text: Slack advises keeping it under 4,000 characters. */
  text: 4000,
} as const;

type TextObject = { type: 'plain_text'; text: string } | { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: { type: 'button'; text: { type: 'plain_text'; text: string }; url: string; action_id: string; style?: 'primary' }[] };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const mrkdwn = (text: string, max: number): TextObject => ({ type: 'mrkdwn', text: fitText(text, max, mrkdwnChar) });
const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: fitText(oneLine(text), max) });
/** Vigía's label in bold, then the value escaped: the label is Vigía's, the value may not be. */
const field = (label: string, value: string) => ({ type: 'mrkdwn' as const, text: `*${fitText(label, 100, mrkdwnChar)}*\n${fitText(value, SLACK_LIMITS.fieldText - 110, mrkdwnChar)}` });
/** A quote in mrkdwn: every line starts with `>`, the marks counted in its length. */
const quoteChar: CharEscape = (char, lineBefore) => (char === '\n' ? '\n>' : mrkdwnChar(char, lineBefore));
const quote = (text: string) => `>${fitText(text, SLACK_LIMITS.sectionText - 1, quoteChar)}`;

export function slackLayout(summary: ChatSummary): SlackMessage {
  const blocks: SlackBlock[] = [{ type: 'header', text: plain(summary.title, SLACK_LIMITS.headerText) }];
  blocks.push({ type: 'section', text: mrkdwn(summary.lead, SLACK_LIMITS.sectionText) });
  for (let i = 0; i < summary.facts.length; i += SLACK_LIMITS.fields) {
    blocks.push({ type: 'section', fields: summary.facts.slice(i, i + SLACK_LIMITS.fields).map((f) => field(f.label, f.value)) });
  }
  for (const detail of summary.details) blocks.push({ type: 'section', text: mrkdwn(detail, SLACK_LIMITS.sectionText) });
  if (summary.message) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: quote(summary.message) } });

  const links = [...(summary.primary ? [summary.primary] : []), ...summary.links].filter((l) => l.url.length <= SLACK_LIMITS.buttonUrl);
  if (links.length) {
    blocks.push({
      type: 'actions',
      elements: links.slice(0, SLACK_LIMITS.actionElements).map((l, i) => ({
        type: 'button',
        text: plain(l.label, SLACK_LIMITS.buttonText),
        url: l.url,
        action_id: `vigia-link-${i}`,
        ...(i === 0 && summary.primary ? { style: 'primary' as const } : {}),
      })),
    });
  }
  if (summary.notes.length) blocks.push({ type: 'context', elements: summary.notes.slice(0, SLACK_LIMITS.contextElements).map((n) => mrkdwn(n, SLACK_LIMITS.sectionText)) });

  // Past 50 blocks (never with today's notices), the first 49 are kept and the context closes the message.
  const kept = blocks.length > SLACK_LIMITS.blocks ? [...blocks.slice(0, SLACK_LIMITS.blocks - 1), blocks.at(-1)!] : blocks;
  return { text: fitText(oneLine(summary.subject), SLACK_LIMITS.text, mrkdwnChar), blocks: kept };
}

/** The JSON body to post to a Slack incoming webhook. */
export function renderSlackMessage(notice: Notice, settings: ChatSettings): SlackMessage {
  return slackLayout(summarizeNotice(notice, settings));
}
