import type { Config } from '../../config/load.ts';
import { localizedText, type Locale } from '../../config/schema.ts';
import { localePath } from '../../../site/lib/i18n.ts';

/** Everything a chat message is made from besides its notice: the reader's language and zone, the page's links. */
export interface ChatSettings {
  locale: Locale;
  /** The reader's time zone, checked by the caller: every time is shown in it and in UTC. */
  timeZone: string;
  siteName: string;
  /** A page of the status site in the reader's language, absolute. */
  pageUrl(path: string): string;
  /** Any path on the site's origin, absolute (API, calendar files). */
  url(path: string): string;
  /** The name of a severity level in the reader's language. */
  severityName(level: number): string;
  /** The notice rule, ms (admin late-notice alerts quote it). */
  minNotice: number;
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
    severityName: (level) => {
      const severity = config.policy.severities.find((s) => s.level === level);
      return severity ? localizedText(severity.name, locale) : String(level);
    },
    minNotice: config.maintenance.min_notice,
    manageUrl: reader.manageUrl ?? null,
  };
}
