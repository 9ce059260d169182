/**
 * The delivery channels: for each channel a notice can go out on (CHANNELS), the module that delivers it. The
 * type asks for a module for every declared channel, so a channel cannot be declared without one.
 *
 * Two kinds of module:
 * - e-mail: rendered per kind of notice and sent in batches through the mail provider (`worker/mail/`);
 * - HTTP: a renderer (notice → JSON body, plus any signature headers) on top of the shared HTTP delivery
 *   (`worker/delivery/http/`): one POST per target to the subscription's URL. A chat channel is its renderer alone
 *   (`worker/delivery/chat/renderers.ts`): adding one is a folder under `worker/delivery/` and one entry below.
 */
import type { Config } from '../config/load.ts';
import type { AppContext } from '../context.ts';
import type { Channel, HttpChannel } from '../core/notices.ts';
import { recipientProblem } from '../mail/address.ts';
import { createMailRenderer } from '../mail/render.ts';
import { transportFromEnv, type MailTransport } from '../mail/transport.ts';
import type { MailRenderer } from '../mail/types.ts';
import { chatChannel } from './chat/channel.ts';
import type { HttpChannelModule } from './http/channel.ts';
import { webhookChannel } from './webhook/channel.ts';

export interface EmailChannelModule {
  kind: 'email';
  /** Why a target can never receive anything on this channel (the row fails at once), or null. */
  targetProblem(target: string): string | null;
  /** Turns a queued row into the message to send (at send time; the message is stored with its batch). */
  render: MailRenderer;
  /** Sends one stored batch. */
  send: MailTransport;
}

export type ChannelModule = EmailChannelModule | HttpChannelModule;

export type ChannelRegistry = { readonly email: EmailChannelModule } & { readonly [C in HttpChannel]: HttpChannelModule };
/** What the mail dispatcher needs: the e-mail channel. */
export type MailChannels = Pick<ChannelRegistry, 'email'>;

/** E-mail: templates per kind of notice, sent through Resend (or written as `.eml` files in development). */
export function emailChannel(render: MailRenderer, send: MailTransport): EmailChannelModule {
  return { kind: 'email', targetProblem: recipientProblem, render, send };
}

/** The channels that POST to a URL. Chat messages take the page's name, links and severity names from the config. */
export function httpChannelModules(config: Config): { readonly [C in HttpChannel]: HttpChannelModule } {
  return {
    webhook: webhookChannel,
    slack: chatChannel('slack', config),
    teams: chatChannel('teams', config),
    discord: chatChannel('discord', config),
    google_chat: chatChannel('google_chat', config),
  };
}

/** The channels as the environment sets them up. `dataDir`: VIGIA_DATA_DIR, resolved (development mail goes under it). */
export function deliveryChannels(ctx: AppContext, options: { dataDir: string }): ChannelRegistry {
  return { email: emailChannel(createMailRenderer(ctx), transportFromEnv(ctx.env, options.dataDir, ctx.now)), ...httpChannelModules(ctx.config) };
}

/** The module of a row's channel; undefined for a channel this version does not deliver on. */
export function channelModule(registry: Partial<Record<Channel, ChannelModule>>, channel: string): ChannelModule | undefined {
  return Object.hasOwn(registry, channel) ? registry[channel as Channel] : undefined;
}
