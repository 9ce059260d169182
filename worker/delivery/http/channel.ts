/**
 * What an HTTP channel is: how it checks a URL, and how it turns a notice into the request's JSON body (and any
 * headers, such as a webhook's signature). Sending is shared by every HTTP channel (`./dispatcher.ts`).
 */
import type { HttpChannel } from '../../core/notices.ts';
import type { Notice } from '../../notices/notice.ts';

/** What a renderer knows besides the notice: who it is for and how they read times. */
export interface RenderContext {
  channel: HttpChannel;
  subscriptionId: string;
  locale: string;
  timeZone: string;
  /** The delivery's id, the same on every retry (Standard Webhooks' `webhook-id`). */
  messageId: string;
  /** When this attempt is made. */
  sentAt: Date;
  /** The subscription's signing secret (webhooks only). */
  signingSecret: string | null;
  /** Where the subscription's preferences are managed (its signed link). */
  manageUrl: string | null;
}

/** Notice → JSON body. Chat channels are exactly this. */
export type BodyRenderer = (notice: Notice, context: RenderContext) => unknown;

export interface HttpRequestParts {
  /** The exact bytes POSTed (JSON). */
  body: string;
  headers: Record<string, string>;
}

export interface HttpChannelModule {
  kind: 'http';
  /** Why a URL can never receive anything on this channel, or null. */
  targetProblem(url: string): string | null;
  /** The request for one delivery attempt. */
  render(notice: Notice, context: RenderContext): HttpRequestParts;
}

export { channelUrlProblem as urlProblem } from '../../subscribers/channel-url.ts';
import { channelUrlProblem } from '../../subscribers/channel-url.ts';

/** An HTTP channel from its body renderer: the body is POSTed as JSON, unsigned. */
export function httpChannel(renderBody: BodyRenderer): HttpChannelModule {
  return {
    kind: 'http',
    targetProblem: channelUrlProblem,
    render: (notice, context) => ({ body: JSON.stringify(renderBody(notice, context)), headers: {} }),
  };
}
