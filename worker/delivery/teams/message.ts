/**
 * A notice as a Microsoft Teams message for a Workflows webhook ("Post to a channel when a webhook request is
 * received"): one Adaptive Card 1.4 with the title, the lead, a FactSet, the message, small print, and
 * Action.OpenUrl buttons. Adaptive Cards read Markdown in TextBlock and Fact texts, so every text is escaped.
 */
import type { Notice } from '../../notices/notice.ts';
import { markdownChar } from '../chat/markdown.ts';
import type { ChatSettings } from '../chat/settings.ts';
import { summarizeNotice, type ChatSummary } from '../chat/summary.ts';
import { fitText, oneLine, type CharEscape } from '../chat/text.ts';
import type { Tone } from '../chat/tone.ts';

/** Teams refuses cards over about 28 KB: each text is kept well under it. */
export const TEAMS_LIMITS = { title: 300, text: 3000, factTitle: 100, factValue: 1000, facts: 20, actions: 6 } as const;

export type TeamsElement =
  | { type: 'TextBlock'; text: string; wrap: true; size?: 'Small' | 'Large'; weight?: 'Bolder'; color?: TeamsColor; isSubtle?: boolean; spacing?: 'Medium' }
  | { type: 'FactSet'; facts: { title: string; value: string }[] }
  | { type: 'Container'; style: 'emphasis'; items: TeamsElement[] };

type TeamsColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';

export interface TeamsMessage {
  type: 'message';
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive';
      contentUrl: null;
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
        type: 'AdaptiveCard';
        version: '1.4';
        fallbackText: string;
        body: TeamsElement[];
        actions: { type: 'Action.OpenUrl'; title: string; url: string }[];
        msteams: { width: 'Full' };
      };
    },
  ];
}

const TONE_COLOR: Record<Tone, TeamsColor> = {
  critical: 'Attention',
  major: 'Attention',
  minor: 'Warning',
  info: 'Default',
  maintenance: 'Accent',
  resolved: 'Good',
  cancelled: 'Default',
  warning: 'Warning',
  danger: 'Attention',
  neutral: 'Accent',
};

/** In a TextBlock a line break needs a blank line; escaped text keeps its lines so. */
const paragraphChar: CharEscape = (char, lineBefore) => (char === '\n' ? '\n\n' : markdownChar(char, lineBefore));
const text = (value: string, max: number = TEAMS_LIMITS.text) => fitText(value, max, paragraphChar);

export function teamsLayout(summary: ChatSummary): TeamsMessage {
  const body: TeamsElement[] = [
    { type: 'TextBlock', text: text(oneLine(summary.title), TEAMS_LIMITS.title), wrap: true, size: 'Large', weight: 'Bolder', color: TONE_COLOR[summary.tone] },
    { type: 'TextBlock', text: text(summary.lead), wrap: true },
  ];
  if (summary.facts.length) {
    body.push({
      type: 'FactSet',
      facts: summary.facts.slice(0, TEAMS_LIMITS.facts).map((f) => ({ title: text(oneLine(f.label), TEAMS_LIMITS.factTitle), value: text(oneLine(f.value), TEAMS_LIMITS.factValue) })),
    });
  }
  for (const detail of summary.details) body.push({ type: 'TextBlock', text: text(detail), wrap: true });
  if (summary.message) body.push({ type: 'Container', style: 'emphasis', items: [{ type: 'TextBlock', text: text(summary.message), wrap: true }] });
  if (summary.notes.length) body.push({ type: 'TextBlock', text: summary.notes.map((n) => text(n)).join('\n\n'), wrap: true, size: 'Small', isSubtle: true, spacing: 'Medium' });

  const links = [...(summary.primary ? [summary.primary] : []), ...summary.links].slice(0, TEAMS_LIMITS.actions);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          // Shown by clients that cannot show the card.
          fallbackText: fitText(oneLine(summary.subject), TEAMS_LIMITS.title),
          body,
          // Button titles are plain text.
          actions: links.map((l) => ({ type: 'Action.OpenUrl', title: fitText(oneLine(l.label), 100), url: l.url })),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

/** The JSON body to post to a Teams Workflows webhook. */
export function renderTeamsMessage(notice: Notice, settings: ChatSettings): TeamsMessage {
  return teamsLayout(summarizeNotice(notice, settings));
}
