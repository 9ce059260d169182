/**
 * The delivery channels: for each channel a notice can go out on (CHANNELS), the module that delivers it. The
 * dispatcher picks a row's module here by the row's `channel`. Only e-mail exists today; the type asks for a module
 * for every declared channel, so a channel cannot be declared without one.
 */
import type { AppContext } from '../context.ts';
import type { Channel } from '../core/notices.ts';
import { recipientProblem } from '../mail/address.ts';
import { createMailRenderer } from '../mail/render.ts';
import { transportFromEnv, type MailTransport } from '../mail/transport.ts';
import type { MailRenderer } from '../mail/types.ts';

export interface ChannelModule {
  /** Why a target can never receive anything on this channel (the row fails at once), or null. */
  targetProblem(target: string): string | null;
  /** Turns a queued row into the message to send (at send time; the message is stored with its batch). */
  render: MailRenderer;
  /** Sends one stored batch. */
  send: MailTransport;
}

export type ChannelRegistry = { readonly [C in Channel]: ChannelModule };

/** E-mail: templates per kind of notice, sent through Resend (or written as `.eml` files in development). */
export function emailChannel(render: MailRenderer, send: MailTransport): ChannelModule {
  return { targetProblem: recipientProblem, render, send };
}

/** The channels as the environment sets them up. `dataDir`: VIGIA_DATA_DIR, resolved (development mail goes under it). */
export function deliveryChannels(ctx: AppContext, options: { dataDir: string }): ChannelRegistry {
  return { email: emailChannel(createMailRenderer(ctx), transportFromEnv(ctx.env, options.dataDir, ctx.now)) };
}

/** The module of a row's channel; undefined for a channel this version does not deliver on. */
export function channelModule(registry: ChannelRegistry, channel: string): ChannelModule | undefined {
  return Object.hasOwn(registry, channel) ? registry[channel as Channel] : undefined;
}
