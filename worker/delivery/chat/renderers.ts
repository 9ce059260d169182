/**
 * The chat renderers by channel name: each turns a (checked) notice and its reader's settings into the JSON body its
 * webhook takes. Pure: the sending, retries and rate limits are the delivery's.
 */
import type { Notice } from '../../notices/notice.ts';
import { renderDiscordMessage } from '../discord/message.ts';
import { renderGoogleChatMessage } from '../google-chat/message.ts';
import { renderSlackMessage } from '../slack/message.ts';
import { renderTeamsMessage } from '../teams/message.ts';
import type { ChatSettings } from './settings.ts';

export type ChatRenderer = (notice: Notice, settings: ChatSettings) => object;

export const CHAT_RENDERERS = {
  slack: renderSlackMessage,
  teams: renderTeamsMessage,
  discord: renderDiscordMessage,
  google_chat: renderGoogleChatMessage,
} as const satisfies Record<string, ChatRenderer>;

export type ChatService = keyof typeof CHAT_RENDERERS;
