import { describe, expect, it } from 'vitest';
import { summarizeNotice } from '../../worker/delivery/chat/summary.ts';
import { discordLayout, DISCORD_LIMITS, renderDiscordMessage, type DiscordEmbed } from '../../worker/delivery/discord/message.ts';
import { hasLoneSurrogate, HOSTILE, KINDS, LOCALES, LONG, noticeOf, settingsFor, strings } from './fixtures.ts';

const embedOf = (...args: Parameters<typeof noticeOf>): DiscordEmbed => JSON.parse(JSON.stringify(renderDiscordMessage(noticeOf(...args), settingsFor('en')))).embeds[0];
const total = (e: DiscordEmbed) => e.title.length + e.description.length + e.footer.text.length + e.author.name.length + e.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);

describe('Discord messages', () => {
  it('carry, for every kind in every language, one embed within Discord’s limits, and parse no mentions', () => {
    for (const locale of LOCALES) {
      for (const kind of KINDS) {
        const where = `${kind} ${locale}`;
        const message = JSON.parse(JSON.stringify(renderDiscordMessage(noticeOf(kind), settingsFor(locale))));
        expect(message.allowed_mentions, where).toEqual({ parse: [] });
        expect(message.embeds).toHaveLength(1);
        const embed = message.embeds[0] as DiscordEmbed;
        expect(embed.title.length, where).toBeGreaterThan(0);
        expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
        expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
        expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
        expect(total(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
        expect(Number.isInteger(embed.color) && embed.color >= 0 && embed.color <= 0xffffff).toBe(true);
        if (embed.timestamp) expect(new Date(embed.timestamp).toISOString()).toBe(embed.timestamp);
        expect(embed.url, where).toBe(summarizeNotice(noticeOf(kind), settingsFor(locale)).primary?.url);
      }
    }
  });

  it('colour incidents by severity and windows by state', () => {
    const colours = [1, 2, 3, 4].map((severity) => embedOf('incident.opened', { severity }).color);
    expect(new Set(colours).size).toBe(4);
    expect(embedOf('incident.resolved').color).toBe(0x1a7f37);
    expect(embedOf('maintenance.started').color).toBe(0x0b5cad);
  });

  it('escape Markdown in every text: hostile text forms no masked link, emphasis, spoiler, heading or mention', () => {
    const embed = embedOf('incident.opened', { title: HOSTILE, message: HOSTILE, components: [HOSTILE] });
    for (const text of [embed.title, embed.description, ...embed.fields.map((f) => f.value)]) {
      expect(text).not.toMatch(/(?<!\\)\[click(?<!\\)\]/);
      expect(text).not.toMatch(/(?<!\\)\|\|/);
      expect(text).not.toMatch(/(?<!\\)\*\*/);
      expect(text).not.toMatch(/(?<!\\)<@/);
      expect(text).not.toMatch(/(^|\n)(#|-|1\.) /);
    }
    expect(embed.description).toContain('\n\n> \\<!channel> \\<@U123> @everyone');
    // Every line of the message stays inside the quote.
    const quote = embed.description.slice(embed.description.indexOf('\n\n> ') + 2).split('\n\n')[0]!;
    expect(quote.split('\n').every((line) => line.startsWith('> '))).toBe(true);
  });

  it('write links as masked links whose address cannot end early', () => {
    const embed = embedOf('incident.opened', { upstream: { name: 'P', url: 'https://status.p.example/a_(b)' } });
    expect(embed.description).toContain('[View on the status page](https://status.prueba.example/en/incidents/i1/) · [Provider\'s notice](https://status.p.example/a_%28b%29)');
  });

  it('cut long texts to the limits and the embed to 6,000 characters, never inside an escape or a character', () => {
    const embed = embedOf('maintenance.announcement', { title: LONG, message: LONG, components: [LONG, LONG] });
    expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(total(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    for (const text of strings(embed)) {
      expect(hasLoneSurrogate(text)).toBe(false);
      expect(text).not.toMatch(/(?<!\\)\\…/);
    }
    const many = discordLayout({ ...summarizeNotice(noticeOf('incident.opened'), settingsFor('es')), facts: Array.from({ length: 40 }, (_, i) => ({ label: `L${i}`, value: LONG })) });
    expect(many.embeds[0].fields.length).toBe(DISCORD_LIMITS.fields);
    expect(total(many.embeds[0])).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  });

  it('pin one full message (a window announcement in English)', () => {
    expect(JSON.stringify(renderDiscordMessage(noticeOf('maintenance.announcement'), settingsFor('en')), null, 2)).toMatchSnapshot();
  });
});
