import { eq } from 'drizzle-orm';
import { subscribers } from '../../db/schema/index.ts';
import { localizedText, messageLocale, type Locale } from '../config/schema.ts';
import { isLocale, workerStrings } from '../i18n/index.ts';
import { localePath } from '../../site/lib/i18n.ts';
import type { AppContext } from '../context.ts';
import { formatKeyPath } from '../config/errors.ts';
import { loadSigningSecret, subscriberLinks } from '../subscribers/links.ts';
import { cleanSubject, renderHtml, renderText, type Block } from './templates/blocks.ts';
import { TEMPLATES } from './templates/index.ts';
import type { TemplateEnv } from './templates/template.ts';
import { isTimeZone } from './templates/time.ts';

/** The parts of an outbox row a mail is made from. */
export interface RenderableRow {
  template: string;
  locale: string;
  data: Record<string, unknown>;
  recipient: string;
  subscriberId?: string | null;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

/** A row that cannot become a mail (unknown template, data missing a field…), said plainly. */
export class MailRenderError extends Error {
  override name = 'MailRenderError';
}

/** Outbox data written by other modules may use snake_case keys; templates read camelCase. */
function camelKeys(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data ?? {})) {
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(camel in out) || camel === key) out[camel] = value;
  }
  return out;
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
    const template = TEMPLATES[row.template];
    if (!template) throw new MailRenderError(`unknown mail template "${row.template}"`);
    // A row in a language the worker no longer speaks is written in the page's default language.
    const locale: Locale = isLocale(row.locale) ? row.locale : messageLocale(site.default_locale);
    const words = workerStrings(locale).mail;
    const data = camelKeys(row.data);
    const parsed = template.schema.safeParse(data);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${formatKeyPath(i.path) || 'data'}: ${i.message}`).join('; ');
      throw new MailRenderError(`template "${row.template}": bad data: ${problems}`);
    }

    const timeZone = isTimeZone(data.timeZone) ? data.timeZone : ((await subscriberZone(ctx, row.subscriberId)) ?? site.timezone);
    const env: TemplateEnv = {
      locale,
      words,
      timeZone,
      siteName: site.names[locale],
      pageUrl: (path) => `${base}${localePath(site.locales.includes(locale) ? locale : site.default_locale, path, site.default_locale)}`,
      url: (path) => `${base}${path}`,
      // The compiled policy holds the config's names, or the shipped default policy's.
      severityName: (level) => {
        const severity = ctx.config.policy.severities.find((s) => s.level === level);
        return severity ? localizedText(severity.name, locale) : String(level);
      },
      minNotice: ctx.config.maintenance.min_notice,
    };
    const built = template.build(parsed.data, env);

    const headers: Record<string, string> = {};
    const footer: Block[] = [{ kind: 'note', text: words.footer[template.audience](site.names[locale], row.recipient) }];
    if (template.audience === 'subscriber') {
      if (!row.subscriberId) throw new MailRenderError(`template "${row.template}" goes to subscribers, but the row names none (no unsubscribe link can be made)`);
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

async function subscriberZone(ctx: AppContext, subscriberId: string | null | undefined): Promise<string | null> {
  if (!subscriberId) return null;
  const row = (await ctx.db.select({ timezone: subscribers.timezone }).from(subscribers).where(eq(subscribers.id, subscriberId)).limit(1))[0];
  return row && isTimeZone(row.timezone) ? row.timezone : null;
}
