import type { Locale } from '../../config/schema.ts';
import type { NoticeKind } from '../../core/notices.ts';
import type { WorkerStrings } from '../../i18n/index.ts';
import type { NoticeOf } from '../../notices/notice.ts';
import type { MailBody } from './blocks.ts';

/** The words of the mails in one language (`worker/i18n/<locale>.ts`). */
export type MailStrings = WorkerStrings['mail'];

/** Who a template speaks to, which decides its footer and headers. */
export type Audience =
  /** A confirmed subscriber: manage and one-click unsubscribe links, List-Unsubscribe headers. */
  | 'subscriber'
  /** Someone asking to subscribe: no list headers (there is no subscription yet). */
  | 'requester'
  /** The page's admins (config.admins). */
  | 'admin';

/** What a template may use besides its data. */
export interface TemplateEnv {
  locale: Locale;
  /** The mails' words in the reader's language. */
  words: MailStrings;
  /** The reader's time zone (checked), for every time shown next to UTC. */
  timeZone: string;
  siteName: string;
  /** A page of the status site in the reader's language, absolute. */
  pageUrl(path: string): string;
  /** Any path on the site's origin, absolute (API, calendar files). */
  url(path: string): string;
  /** A level's name in the reader's language; with the incident's calendar, as its region names it. */
  severityName(level: number, calendarId?: string | null): string;
  /** The notice rule, ms. */
  minNotice: number;
}

/** The e-mail for one kind of notice: who it speaks to, and its body made from the (checked) notice. */
export interface MailTemplate<K extends NoticeKind = NoticeKind> {
  audience: Audience;
  build(notice: NoticeOf<K>, env: TemplateEnv): Omit<MailBody, 'footer'>;
}

/** "Hosting web, Correo" or "todos los servicios". */
export function componentList(names: readonly string[], words: MailStrings): string {
  return names.length ? names.join(', ') : words.allServices;
}
