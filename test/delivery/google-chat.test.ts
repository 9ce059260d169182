import { describe, expect, it } from 'vitest';
import { summarizeNotice } from '../../worker/delivery/chat/summary.ts';
import { GOOGLE_CHAT_LIMITS, renderGoogleChatMessage } from '../../worker/delivery/google-chat/message.ts';
import { hasLoneSurrogate, HOSTILE, KINDS, LOCALES, LONG, noticeOf, settingsFor, strings } from './fixtures.ts';

type Body = ReturnType<typeof renderGoogleChatMessage>;
const bodyOf = (...args: Parameters<typeof noticeOf>): Body => JSON.parse(JSON.stringify(renderGoogleChatMessage(noticeOf(...args), settingsFor('en'))));
/** The texts Google Chat reads as HTML: paragraphs, decorated texts, section headers. */
const htmlTexts = (body: Body) =>
  body.cardsV2[0].card.sections.flatMap((s) => [...(s.header ? [s.header] : []), ...s.widgets.flatMap((w) => ('textParagraph' in w ? [w.textParagraph.text] : 'decoratedText' in w ? [w.decoratedText.text] : []))]);

describe('Google Chat messages', () => {
  it('carry, for every kind in every language, a text fallback and one cardsV2 card with a header, decorated facts and buttons', () => {
    for (const locale of LOCALES) {
      for (const kind of KINDS) {
        const where = `${kind} ${locale}`;
        const body = JSON.parse(JSON.stringify(renderGoogleChatMessage(noticeOf(kind), settingsFor(locale)))) as Body;
        expect(Object.keys(body).sort()).toEqual(['cardsV2', 'text']);
        expect(body.text.length, where).toBeGreaterThan(0);
        expect(body.cardsV2).toHaveLength(1);
        const { cardId, card } = body.cardsV2[0];
        expect(cardId).toBe('vigia-notice');
        expect(card.header.title.length, where).toBeGreaterThan(0);
        expect(card.header.subtitle).toBe(settingsFor(locale).siteName);
        const widgets = card.sections.flatMap((s) => s.widgets);
        const summary = summarizeNotice(noticeOf(kind), settingsFor(locale));
        expect(widgets.filter((w) => 'decoratedText' in w).length, where).toBe(summary.facts.length);
        const buttons = widgets.flatMap((w) => ('buttonList' in w ? w.buttonList.buttons : []));
        expect(buttons.length, where).toBe((summary.primary ? 1 : 0) + summary.links.length);
        for (const b of buttons) expect(b.onClick.openLink.url).toMatch(/^https:\/\//);
        expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(32_000);
      }
    }
  });

  it('escape HTML in card texts and angle brackets in the fallback, so hostile text forms no tag, link or mention', () => {
    const body = bodyOf('incident.opened', { title: HOSTILE, message: HOSTILE, components: [HOSTILE] });
    for (const text of htmlTexts(body)) {
      expect(text.replace(/<br>/g, '')).not.toMatch(/[<>"']/);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    }
    const message = htmlTexts(body).find((t) => t.includes('&lt;b&gt;x&lt;/b&gt;'));
    expect(message).toContain('&lt;a href=&quot;https://evil.example&quot;&gt;a&lt;/a&gt; &amp; &amp;amp;');
    expect(message).toContain('<br># heading<br>- item');
    expect(body.text).not.toMatch(/[<>]/);
    expect(body.text).toContain('‹users/all›');
  });

  it('cut long texts to their limits without splitting an escape or a character', () => {
    const body = bodyOf('maintenance.reminder', { title: LONG, message: LONG, components: [LONG] });
    expect(body.text.length).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.text);
    expect(body.cardsV2[0].card.header.title.length).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.title);
    for (const text of htmlTexts(body)) {
      expect(text.length).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.paragraph);
      expect(text).not.toMatch(/&[a-z#0-9]*…/);
    }
    expect(strings(body).some(hasLoneSurrogate)).toBe(false);
  });

  it('pin one full message (a subscription confirmation in Spanish)', () => {
    expect(JSON.stringify(renderGoogleChatMessage(noticeOf('subscription.confirm'), settingsFor('es', { manageUrl: null })), null, 2)).toMatchSnapshot();
  });
});
