import type { Config } from '../../config/load.ts';
import type { Locale } from '../../config/schema.ts';
import { levelName } from '../../config/policy.ts';
import { localePath } from '../../../site/lib/i18n.ts';
import type { TemplateEnv } from '../../mail/templates/template.ts';

/**
 * Everything a chat message is made from besides its notice: what an e-mail's template gets (the reader's language
 * and zone, the page's links and names, the notice rule), without the mails' words, plus the manage link.
 */
export interface ChatSettings extends Omit<TemplateEnv, 'words'> {
  /** Where a subscribed channel's preferences are managed; none for admins and people asking to subscribe. */
  manageUrl?: string | null;
}

/** The settings of one reader from the page's config: the same links, names and rule the e-mails use. */
export function chatSettings(config: Config, reader: { locale: Locale; timeZone: string; manageUrl?: string | null }): ChatSettings {
  const { site } = config;
  const base = site.url.replace(/\/+$/, '');
  const { locale } = reader;
  return {
    locale,
    timeZone: reader.timeZone,
    siteName: site.names[locale],
    pageUrl: (path) => `${base}${localePath(site.locales.includes(locale) ? locale : site.default_locale, path, site.default_locale)}`,
    url: (path) => `${base}${path}`,
    severityName: (level, calendarId) => levelName(config.policy, level, calendarId, locale),
    minNotice: config.maintenance.min_notice,
    manageUrl: reader.manageUrl ?? null,
  };
}
