/** Notices and readers shared by the chat renderers' tests: every kind, from the mails' samples, in every language. */
import { NOTICE_KINDS, type NoticeKind } from '../../worker/core/notices.ts';
import { LOCALES, type Locale } from '../../worker/config/schema.ts';
import { chatSettings, type ChatSettings } from '../../worker/delivery/chat/settings.ts';
import { parseNotice, type Notice, type NoticeInput } from '../../worker/notices/notice.ts';
import { testConfig } from '../helpers/config.ts';
import { SAMPLES } from '../templates/samples.ts';

export { LOCALES, NOTICE_KINDS };

const config = testConfig();

/** A reader of the test page in Bogotá, with a preferences link. */
export function settingsFor(locale: Locale, extra: { timeZone?: string; manageUrl?: string | null } = {}): ChatSettings {
  return chatSettings(config, { locale, timeZone: extra.timeZone ?? 'America/Bogota', manageUrl: extra.manageUrl === undefined ? 'https://status.prueba.example/subscriptions/manage?token=t1' : extra.manageUrl });
}

/** The kind's sample notice, as its producer queues it, with `overrides`. */
export function noticeOf(kind: NoticeKind, overrides: Record<string, unknown> = {}): Notice {
  const sample = SAMPLES[kind];
  if (!sample) throw new Error(`no sample notice of kind "${kind}" in test/templates/samples.ts`);
  const { timeZone: _zone, ...fields } = sample;
  return parseNotice({ kind, ...fields, ...overrides } as NoticeInput);
}

/** Text an admin or a provider could type, trying every format's markup, mentions and links. */
export const HOSTILE =
  '<!channel> <@U123> @everyone @here <users/all> <https://evil.example|click> [click](https://evil.example) **bold** _it_ ~~s~~ `code` ||spoiler|| {{DATE(2017-02-14T06:08:00Z, SHORT)}} <b>x</b> <a href="https://evil.example">a</a> & &amp; "q" \'q\'\n# heading\n- item\n1. item\n> quote';

/** A long text with multi-unit characters and escapable ones, to cut. */
export const LONG = `${'Ñandú 🚧 <&> *x* '.repeat(800)}end`;

/** Every string inside a JSON value. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** A lone surrogate (half a character) means a cut in the middle of one. */
export const hasLoneSurrogate = (text: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

/** Every kind of notice a channel can carry (an account's password link goes by e-mail alone). */
export const KINDS = NOTICE_KINDS.filter((kind) => !kind.startsWith('account.')) as readonly NoticeKind[];
