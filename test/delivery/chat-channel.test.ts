import { describe, expect, it } from 'vitest';
import { httpChannelModules } from '../../worker/delivery/channels.ts';
import type { RenderContext } from '../../worker/delivery/http/channel.ts';
import { testConfig } from '../helpers/config.ts';
import { noticeOf } from './fixtures.ts';

const config = testConfig();
const modules = httpChannelModules(config);
const MANAGE = 'https://status.prueba.example/api/subscriptions/channels/manage?token=m1';

const context = (overrides: Partial<RenderContext> = {}): RenderContext => ({
  channel: 'slack',
  subscriptionId: 's1',
  locale: 'en',
  timeZone: 'Asia/Tokyo',
  messageId: 'msg_1',
  sentAt: new Date('2026-11-20T12:00:00Z'),
  signingSecret: null,
  manageUrl: MANAGE,
  ...overrides,
});

const bodyOf = (channel: 'slack' | 'teams' | 'discord' | 'google_chat', ctx: Partial<RenderContext>, notice = noticeOf('maintenance.announcement')) =>
  JSON.parse(modules[channel].render(notice, context({ channel, ...ctx })).body) as unknown;

describe('chat channels in the delivery registry', () => {
  it('post their own format, not a plain text line', () => {
    expect(bodyOf('slack', {})).toMatchObject({ blocks: expect.any(Array) });
    expect(bodyOf('teams', {})).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
    expect(bodyOf('discord', {})).toMatchObject({ embeds: [expect.any(Object)], allowed_mentions: { parse: [] } });
    expect(bodyOf('google_chat', {})).toMatchObject({ cardsV2: [expect.any(Object)] });
  });

  it('write in the subscription’s language and time zone, with its manage link', () => {
    // 13:00 UTC is 22:00 in Tokyo.
    const english = JSON.stringify(bodyOf('slack', { locale: 'en', timeZone: 'Asia/Tokyo' }));
    expect(english).toMatch(/Scheduled maintenance/i);
    expect(english).toContain('22:00');
    expect(english).toContain(MANAGE);
    const portuguese = JSON.stringify(bodyOf('slack', { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' }));
    expect(portuguese).toMatch(/manutenção/i);
    expect(portuguese).toContain('10:00');
  });

  it('fall back to the page’s language and zone for values the worker cannot use', () => {
    const fallback = JSON.stringify(bodyOf('discord', { locale: 'xx', timeZone: 'Not/AZone' }));
    const spanish = JSON.stringify(bodyOf('discord', { locale: 'es', timeZone: config.site.timezone }));
    expect(fallback).toBe(spanish);
  });
});
