import { describe, expect, it } from 'vitest';
import { summarizeNotice } from '../../worker/delivery/chat/summary.ts';
import { renderTeamsMessage, TEAMS_LIMITS, type TeamsElement } from '../../worker/delivery/teams/message.ts';
import { hasLoneSurrogate, HOSTILE, KINDS, LOCALES, LONG, noticeOf, settingsFor, strings } from './fixtures.ts';

const body = (...args: Parameters<typeof noticeOf>) => JSON.parse(JSON.stringify(renderTeamsMessage(noticeOf(...args), settingsFor('en'))));
const textBlocks = (elements: TeamsElement[]): string[] =>
  elements.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : e.type === 'Container' ? textBlocks(e.items) : e.facts.flatMap((f) => [f.title, f.value])));

describe('Teams messages', () => {
  it('carry, for every kind in every language, one Adaptive Card 1.4 with a title, a FactSet and Action.OpenUrl buttons', () => {
    for (const locale of LOCALES) {
      for (const kind of KINDS) {
        const where = `${kind} ${locale}`;
        const message = JSON.parse(JSON.stringify(renderTeamsMessage(noticeOf(kind), settingsFor(locale))));
        expect(message.type, where).toBe('message');
        expect(message.attachments, where).toHaveLength(1);
        const [attachment] = message.attachments;
        expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
        const card = attachment.content;
        expect(card.type).toBe('AdaptiveCard');
        expect(card.version).toBe('1.4');
        expect(card.body[0]).toMatchObject({ type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true });
        const summary = summarizeNotice(noticeOf(kind), settingsFor(locale));
        expect(card.body.some((e: TeamsElement) => e.type === 'FactSet'), where).toBe(summary.facts.length > 0);
        for (const action of card.actions) {
          expect(action.type).toBe('Action.OpenUrl');
          expect(action.url).toMatch(/^https:\/\//);
        }
        expect(card.actions.length, where).toBe(Math.min(TEAMS_LIMITS.actions, (summary.primary ? 1 : 0) + summary.links.length));
        // Teams refuses cards over about 28 KB.
        expect(JSON.stringify(message).length).toBeLessThan(28_000);
      }
    }
  });

  it('escape Markdown in every text: no link, emphasis, list, heading or date function survives from hostile text', () => {
    const card = body('incident.opened', { title: HOSTILE, message: HOSTILE, components: [HOSTILE] }).attachments[0].content;
    for (const text of textBlocks(card.body)) {
      expect(text).not.toMatch(/(?<!\\)\[click(?<!\\)\]/);
      expect(text).not.toMatch(/(?<!\\)\*\*/);
      expect(text).not.toMatch(/(?<!\\)\{\{/);
      expect(text).not.toMatch(/(^|\n)(#|-|1\.) /);
    }
    const message = card.body.find((e: TeamsElement) => e.type === 'Container').items[0].text;
    expect(message).toContain('\\[click\\](https://evil.example)');
    expect(message).toContain('\\{\\{DATE(2017-02-14T06:08:00Z, SHORT)\\}\\}');
    // Line breaks become blank lines, the way a TextBlock shows them.
    expect(message).toContain('\n\n\\# heading\n\n\\- item\n\n1\\. item');
  });

  it('cut long texts to their limits without splitting an escape or a character', () => {
    const card = body('maintenance.announcement', { title: LONG, message: LONG, components: [LONG] }).attachments[0].content;
    expect(card.body[0].text.length).toBeLessThanOrEqual(TEAMS_LIMITS.title);
    for (const text of textBlocks(card.body)) {
      expect(text.length).toBeLessThanOrEqual(TEAMS_LIMITS.text);
      expect(hasLoneSurrogate(text)).toBe(false);
      expect(text).not.toMatch(/(?<!\\)\\…/);
    }
    expect(strings(card).every((s) => !hasLoneSurrogate(s))).toBe(true);
  });

  it('pin one full message (a maintenance reminder in Portuguese)', () => {
    expect(JSON.stringify(renderTeamsMessage(noticeOf('maintenance.reminder'), settingsFor('pt-BR')), null, 2)).toMatchSnapshot();
  });
});
