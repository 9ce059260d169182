/**
 * A chat service as an HTTP channel: its renderer lays the notice out as the service's webhook body, in the
 * reader's language and time zone, with the subscription's manage link. Posting is the shared HTTP delivery's.
 */
import type { Config } from '../../config/load.ts';
import { messageLocale } from '../../config/schema.ts';
import { isLocale } from '../../core/vocabulary.ts';
import { isTimeZone } from '../../lib/time-zone.ts';
import { httpChannel, type HttpChannelModule, type RenderContext } from '../http/channel.ts';
import { CHAT_RENDERERS, type ChatService } from './renderers.ts';
import { chatSettings, type ChatSettings } from './settings.ts';

/** The reader's settings for one delivery: a language or zone the worker cannot use falls back to the page's. */
export function deliverySettings(config: Config, context: Pick<RenderContext, 'locale' | 'timeZone' | 'manageUrl'>): ChatSettings {
  return chatSettings(config, {
    locale: isLocale(context.locale) ? context.locale : messageLocale(config.site.default_locale),
    timeZone: isTimeZone(context.timeZone) ? context.timeZone : config.site.timezone,
    manageUrl: context.manageUrl,
  });
}

export function chatChannel(service: ChatService, config: Config): HttpChannelModule {
  const render = CHAT_RENDERERS[service];
  return httpChannel((notice, context) => render(notice, deliverySettings(config, context)));
}
