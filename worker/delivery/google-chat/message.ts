/**
 * A notice as a Google Chat webhook message: a `text` fallback (the subject, shown in notifications) and one
 * `cardsV2` card: a header with the title and the site's name, the lead, the facts as decoratedText widgets, the
 * message, buttons that open the incident's or window's page, and small print.
 */
import type { Notice } from '../../notices/notice.ts';
import type { ChatSettings } from '../chat/settings.ts';
import { summarizeNotice, type ChatSummary } from '../chat/summary.ts';
import { fitText, oneLine } from '../chat/text.ts';
import { cardHtmlChar, chatTextChar } from './escape.ts';

/** Kept well under Google Chat's message size (32,000 bytes) and its text limit (4,096 characters). */
export const GOOGLE_CHAT_LIMITS = { text: 4096, title: 200, subtitle: 200, paragraph: 4000, label: 100, value: 1000, buttonText: 100 } as const;

type Widget =
  | { textParagraph: { text: string } }
  | { decoratedText: { topLabel: string; text: string; wrapText: true } }
  | { buttonList: { buttons: { text: string; onClick: { openLink: { url: string } } }[] } };

export interface GoogleChatMessage {
  text: string;
  cardsV2: [{ cardId: string; card: { header: { title: string; subtitle: string }; sections: { header?: string; widgets: Widget[] }[] } }];
}

const html = (text: string, max: number = GOOGLE_CHAT_LIMITS.paragraph) => fitText(text, max, cardHtmlChar);
/** Header titles, top labels and button texts show text as typed. */
const plain = (text: string, max: number) => fitText(oneLine(text), max);

export function googleChatLayout(summary: ChatSummary): GoogleChatMessage {
  const sections: GoogleChatMessage['cardsV2'][0]['card']['sections'] = [{ widgets: [{ textParagraph: { text: html(summary.lead) } }, ...summary.details.map((d) => ({ textParagraph: { text: html(d) } }))] }];
  if (summary.facts.length) {
    sections.push({ widgets: summary.facts.map((f) => ({ decoratedText: { topLabel: plain(f.label, GOOGLE_CHAT_LIMITS.label), text: html(f.value, GOOGLE_CHAT_LIMITS.value), wrapText: true as const } })) });
  }
  if (summary.message) sections.push({ header: html(summary.messageLabel, GOOGLE_CHAT_LIMITS.label), widgets: [{ textParagraph: { text: html(summary.message) } }] });
  const links = [...(summary.primary ? [summary.primary] : []), ...summary.links];
  if (links.length) sections.push({ widgets: [{ buttonList: { buttons: links.map((l) => ({ text: plain(l.label, GOOGLE_CHAT_LIMITS.buttonText), onClick: { openLink: { url: l.url } } })) } }] });
  if (summary.notes.length) sections.push({ widgets: [{ textParagraph: { text: summary.notes.map((n) => html(n)).join('<br>') } }] });

  return {
    text: fitText(oneLine(summary.subject), GOOGLE_CHAT_LIMITS.text, chatTextChar),
    cardsV2: [{ cardId: 'vigia-notice', card: { header: { title: plain(summary.title, GOOGLE_CHAT_LIMITS.title), subtitle: plain(summary.siteName, GOOGLE_CHAT_LIMITS.subtitle) }, sections } }],
  };
}

/** The JSON body to post to a Google Chat webhook. */
export function renderGoogleChatMessage(notice: Notice, settings: ChatSettings): GoogleChatMessage {
  return googleChatLayout(summarizeNotice(notice, settings));
}
