import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { rendered } from '../../db/statement.ts';
import { channelSubscriptionComponents, channelSubscriptions, subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { messageLocale, type Locale } from '../config/schema.ts';
import type { Channel } from '../core/notices.ts';
import type { NoticeDelivery } from '../mail/outbox.ts';

/** One subscriber of a notice, on the channel they subscribed on: an e-mail address, or a webhook or chat URL. */
export interface Recipient {
  subscriberId: string;
  channel: Channel;
  target: string;
  locale: Locale;
  timeZone: string;
}

/** How many recipients are read (and their messages queued) at a time, so a fan-out to 100,000 stays small in memory. */
export const RECIPIENT_PAGE = 2_000;

/**
 * A page of confirmed subscribers after `after` in id order (keyset paging: each page is one indexed read), matching
 * `also`, who follow the components named (`components`, a JSON array): a subscriber who chose no components follows
 * everything; a notice naming no components concerns everyone. Rendered once (see `db/statement.ts`): an incident
 * notice reads a page on every admin write.
 */
const recipientPage = (also: SQL) =>
  rendered<{ after: string; components: string; severity?: number }>(sql`
    select ${subscribers.id} as id, ${subscribers.email} as email, ${subscribers.locale} as locale, ${subscribers.timezone} as timezone
    from ${subscribers}
    where ${subscribers.status} = 'confirmed' and ${subscribers.id} > ${sql.placeholder('after')} and ${also}
      and (json_array_length(${sql.placeholder('components')}) = 0
        or not exists (select 1 from ${subscriberComponents} where ${subscriberComponents.subscriberId} = ${subscribers.id})
        or exists (select 1 from ${subscriberComponents}
                   where ${subscriberComponents.subscriberId} = ${subscribers.id}
                     and ${subscriberComponents.componentId} in (select value from json_each(${sql.placeholder('components')}))))
    order by ${subscribers.id}
    limit ${RECIPIENT_PAGE}`);

/** The same choice, for confirmed webhook and chat subscriptions (the same filters, on their own tables). */
const channelRecipientPage = (also: SQL) =>
  rendered<{ after: string; components: string; severity?: number }>(sql`
    select ${channelSubscriptions.id} as id, ${channelSubscriptions.channel} as channel, ${channelSubscriptions.url} as target,
           ${channelSubscriptions.locale} as locale, ${channelSubscriptions.timezone} as timezone
    from ${channelSubscriptions}
    where ${channelSubscriptions.status} = 'confirmed' and ${channelSubscriptions.id} > ${sql.placeholder('after')} and ${also}
      and (json_array_length(${sql.placeholder('components')}) = 0
        or not exists (select 1 from ${channelSubscriptionComponents} where ${channelSubscriptionComponents.subscriptionId} = ${channelSubscriptions.id})
        or exists (select 1 from ${channelSubscriptionComponents}
                   where ${channelSubscriptionComponents.subscriptionId} = ${channelSubscriptions.id}
                     and ${channelSubscriptionComponents.componentId} in (select value from json_each(${sql.placeholder('components')}))))
    order by ${channelSubscriptions.id}
    limit ${RECIPIENT_PAGE}`);

const maintenancePages = { email: recipientPage(sql`1`), channels: channelRecipientPage(sql`1`) };
// 1 is the most severe: `min_severity` 2 receives severities 1 and 2.
const incidentPages = {
  email: recipientPage(sql`${subscribers.incidentNotices} = 1 and ${subscribers.minSeverity} >= ${sql.placeholder('severity')}`),
  channels: channelRecipientPage(sql`${channelSubscriptions.incidentNotices} = 1 and ${channelSubscriptions.minSeverity} >= ${sql.placeholder('severity')}`),
};

type Page = ReturnType<typeof recipientPage>;
type RecipientRow = { id: string; channel?: Channel; target?: string; email?: string; locale: string; timezone: string };

/** E-mail subscribers first, then webhook and chat subscriptions, each in id order. */
async function* pages(db: DbOrTx, page: { email: Page; channels: Page }, values: { components: readonly string[]; severity?: number }): AsyncGenerator<Recipient[]> {
  const components = JSON.stringify(values.components);
  for (const source of [page.email, page.channels]) {
    let after = '';
    for (;;) {
      const rows = await db.all<RecipientRow>(source({ after, components, severity: values.severity }));
      if (rows.length === 0) break;
      yield rows.map((r) => ({ subscriberId: r.id, channel: r.channel ?? 'email', target: r.target ?? r.email!, locale: messageLocale(r.locale), timeZone: r.timezone }));
      if (rows.length < RECIPIENT_PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** Confirmed subscribers (every channel) of any of the window's components, page by page. */
export function maintenanceRecipientPages(db: DbOrTx, componentIds: readonly string[]): AsyncGenerator<Recipient[]> {
  return pages(db, maintenancePages, { components: componentIds });
}

/** Confirmed subscribers of the incident's components who want incident notices at this severity, page by page. */
export function incidentRecipientPages(db: DbOrTx, componentIds: readonly string[], severity: number): AsyncGenerator<Recipient[]> {
  return pages(db, incidentPages, { components: componentIds, severity });
}

/** A subscriber's copy of a notice: on their channel, in their language and time zone. */
export const toSubscriber = (recipient: Recipient, idempotencyKey: string): NoticeDelivery => ({
  channel: recipient.channel,
  target: recipient.target,
  subscriberId: recipient.subscriberId,
  locale: recipient.locale,
  timeZone: recipient.timeZone,
  idempotencyKey,
});

/** The page's admins' copies of a notice (config.admins): by e-mail, each under its own key. */
export const toAdmins = (admins: readonly { email: string; locale: Locale }[], keyFor: (email: string) => string, timeZone?: string): NoticeDelivery[] =>
  admins.map((admin) => ({ channel: 'email', target: admin.email, idempotencyKey: keyFor(admin.email), locale: admin.locale, timeZone }));
