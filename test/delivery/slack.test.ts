import { describe, expect, it } from 'vitest';
import { renderSlackMessage, SLACK_LIMITS, type SlackBlock } from '../../worker/delivery/slack/message.ts';
import { summarizeNotice } from '../../worker/delivery/chat/summary.ts';
import { slackLayout } from '../../worker/delivery/slack/message.ts';
import { hasLoneSurrogate, HOSTILE, KINDS, LOCALES, LONG, noticeOf, settingsFor, strings } from './fixtures.ts';

const render = (...args: Parameters<typeof noticeOf>) => JSON.parse(JSON.stringify(renderSlackMessage(noticeOf(...args), settingsFor('en'))));
const mrkdwnTexts = (blocks: SlackBlock[]) => strings(blocks.map((b) => (b.type === 'header' || b.type === 'actions' ? null : b)));

describe('Slack messages', () => {
  it('give every kind, in every language, a text fallback, a header, sections, context and a button to the page, within Slack’s limits', () => {
    for (const locale of LOCALES) {
      for (const kind of KINDS) {
        const body = JSON.parse(JSON.stringify(renderSlackMessage(noticeOf(kind), settingsFor(locale))));
        const where = `${kind} ${locale}`;
        expect(Object.keys(body).sort(), where).toEqual(['blocks', 'text']);
        expect(body.text.length, where).toBeGreaterThan(0);
        expect(body.blocks.length, where).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
        expect(body.blocks[0].type, where).toBe('header');
        expect(body.blocks[0].text.type).toBe('plain_text');
        expect(body.blocks[0].text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
        expect(body.blocks.at(-1).type, where).toBe('context');
        for (const block of body.blocks as SlackBlock[]) {
          if (block.type === 'section') {
            if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
            expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
            for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
          }
          if (block.type === 'actions') for (const b of block.elements) expect(b.url).toMatch(/^https:\/\//);
        }
        const summary = summarizeNotice(noticeOf(kind), settingsFor(locale));
        expect(body.blocks.some((b: SlackBlock) => b.type === 'actions'), where).toBe(summary.primary !== null || summary.links.length > 0);
      }
    }
  });

  it('escape &, < and > in every mrkdwn text, so hostile text forms no mention or link', () => {
    const body = render('incident.opened', { title: HOSTILE, message: HOSTILE, components: [HOSTILE] });
    for (const text of [body.text, ...mrkdwnTexts(body.blocks)]) {
      expect(text).not.toMatch(/<[!@#]|<https?:|<users/);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const quote = body.blocks.find((b: SlackBlock) => b.type === 'section' && b.text?.text.startsWith('>'));
    expect(quote.text.text).toContain('&lt;!channel&gt; &lt;@U123&gt;');
    expect(quote.text.text.split('\n').every((line: string) => line.startsWith('>'))).toBe(true);
    // The header is plain text: shown as typed, on one line.
    expect(body.blocks[0].text.text).toBe(`Incident: ${HOSTILE.replace(/\s+/g, ' ')}`.slice(0, 149) + '…');
  });

  it('cut long texts at the limits, never inside an escape or a character', () => {
    const body = render('incident.updated', { title: LONG, message: LONG, components: [LONG] });
    for (const block of body.blocks as SlackBlock[]) {
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (block.type === 'section') for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    for (const text of strings(body)) {
      expect(hasLoneSurrogate(text)).toBe(false);
      expect(text).not.toMatch(/&(amp|lt|gt)?…|&[a-z]{0,2}$/);
    }
    expect(body.text.endsWith('…')).toBe(true);
  });

  it('keep to 50 blocks whatever the summary holds', () => {
    const summary = summarizeNotice(noticeOf('maintenance.announcement'), settingsFor('es'));
    const body = slackLayout({ ...summary, details: Array.from({ length: 80 }, (_, i) => `Detalle ${i}`) });
    expect(body.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(body.blocks.at(-1)!.type).toBe('context');
  });

  it('pin one full message (an incident update in Spanish)', () => {
    expect(JSON.stringify(renderSlackMessage(noticeOf('incident.updated'), settingsFor('es')), null, 2)).toMatchSnapshot();
  });
});
