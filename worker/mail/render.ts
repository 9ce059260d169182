import { eq } from 'drizzle-orm';
import { subscribers } from '../../db/schema/index.ts';
import { messageLocale, type Locale } from '../config/schema.ts';
import { levelName } from '../config/policy.ts';
import { isLocale } from '../core/vocabulary.ts';
import { workerStrings } from '../i18n/index.ts';
import { localePath } from '../../site/lib/i18n.ts';
import type { AppContext } from '../context.ts';
import type { NoticeKind } from '../core/notices.ts';
import { checkNotice, isNoticeKind, type NoticeOf } from '../notices/notice.ts';
import { loadSigningSecret, subscriberLinks } from '../subscribers/links.ts';
import { cleanSubject, renderHtml, renderText, type Block } from './templates/blocks.ts';
import { TEMPLATES } from './templates/index.ts';
import type { MailTemplate, TemplateEnv } from './templates/template.ts';
import { isTimeZone } from '../lib/time-zone.ts';

/** The parts of an outbox row a mail is made from. */
export interface RenderableRow {
  /** The notice as stored: checked against its kind's schema before it is rendered. */
  notice: unknown;
  /** The e-mail address. */
  target: string;
  locale: string;
  /** The reader's zone when queued; default: the subscriber's stored zone, else the page's. */
  timeZone?: string | null;
  subscriberId?: string | null;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

/** A row that cannot become a mail (unknown kind, a notice missing a field…), said plainly. */
export class MailRenderError extends Error {
  override name = 'MailRenderError';
}

/**
 * Turns outbox rows into mails, at send time. Subscriber mails get signed manage/unsubscribe links
 * and RFC 8058 one-click unsubscribe headers; every time is shown in the reader's zone and in UTC;
 * every interpolated value is escaped in the HTML part.
 */
export function createMailRenderer(ctx: AppContext): (row: RenderableRow) => Promise<RenderedMessage> {
  const { site } = ctx.config;
  const base = site.url.replace(/\/+$/, '');

  return async (row) => {
    const kind = (row.notice as { kind?: unknown } | null)?.kind;
    if (!isNoticeKind(kind)) throw new MailRenderError(`unknown mail template "${String(kind)}"`);
    const template = TEMPLATES[kind];
    const checked = checkNotice(row.notice);
    if (!checked.ok) throw new MailRenderError(`template "${kind}": bad data: ${checked.problems}`);
    // A row in a language the worker no longer speaks is written in the page's default language.
    const locale: Locale = isLocale(row.locale) ? row.locale : messageLocale(site.default_locale);
    const words = workerStrings(locale).mail;

    const timeZone = isTimeZone(row.timeZone) ? row.timeZone : ((await subscriberZone(ctx, row.subscriberId)) ?? site.timezone);
    const env: TemplateEnv = {
      locale,
      words,
      timeZone,
      siteName: site.names[locale],
      pageUrl: (path) => `${base}${localePath(site.locales.includes(locale) ? locale : site.default_locale, path, site.default_locale)}`,
      url: (path) => `${base}${path}`,
      // The compiled policy holds the config's names (a region's own, by the incident's calendar), or the shipped ones.
      severityName: (level, calendarId) => levelName(ctx.config.policy, level, calendarId, locale),
      minNotice: ctx.config.maintenance.min_notice,
    };
    const built = buildMail(checked.notice, env);

    const headers: Record<string, string> = {};
    const footer: Block[] = [{ kind: 'note', text: words.footer[template.audience](site.names[locale], row.target) }];
    if (template.audience === 'subscriber') {
      if (!row.subscriberId) throw new MailRenderError(`template "${kind}" goes to subscribers, but the row names none (no unsubscribe link can be made)`);
      const links = subscriberLinks(await loadSigningSecret(ctx.db), site.url, row.subscriberId);
      footer.push({
        kind: 'actions',
        links: [
          { label: words.managePreferences, url: links.manageUrl },
          { label: words.unsubscribe, url: links.unsubscribeUrl },
        ],
      });
      headers['List-Unsubscribe'] = `<${links.oneClickUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }

    const body = { ...built, subject: cleanSubject(`${site.names[locale]} · ${built.subject}`), footer };
    return { subject: body.subject, html: renderHtml(body, locale, site.names[locale]), text: renderText(body, site.names[locale]), headers };
  };
}

/** The mail's body from its kind's template. */
function buildMail<K extends NoticeKind>(notice: NoticeOf<K>, env: TemplateEnv) {
  return (TEMPLATES[notice.kind as K] as MailTemplate<K>).build(notice, env);
}

async function subscriberZone(ctx: AppContext, subscriberId: string | null | undefined): Promise<string | null> {
  if (!subscriberId) return null;
  const row = (await ctx.db.select({ timezone: subscribers.timezone }).from(subscribers).where(eq(subscribers.id, subscriberId)).limit(1))[0];
  return row && isTimeZone(row.timezone) ? row.timezone : null;
}
