import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { rendered } from '../../db/statement.ts';
import { channelSubscriptionComponents, channelSubscriptions, subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { messageLocale, type Locale } from '../config/schema.ts';
import type { AdminAlertKind, Channel, NoticeKind } from '../core/notices.ts';
import type { NoticeDelivery } from '../mail/outbox.ts';
import { TEAM_ID_PREFIX } from '../subscribers/team-channels.ts';

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

/**
 * The same choice, for confirmed webhook and chat subscriptions (the same filters, on their own tables), and for the
 * config's team channels the notices their `events` name (a public subscription has none: it gets every notice).
 */
const channelRecipientPage = (also: SQL) =>
  rendered<{ after: string; components: string; severity?: number; kind: string }>(sql`
    select ${channelSubscriptions.id} as id, ${channelSubscriptions.channel} as channel, ${channelSubscriptions.url} as target,
           ${channelSubscriptions.locale} as locale, ${channelSubscriptions.timezone} as timezone
    from ${channelSubscriptions}
    where ${channelSubscriptions.status} = 'confirmed' and ${channelSubscriptions.id} > ${sql.placeholder('after')} and ${also}
      and (${channelSubscriptions.events} is null or exists (select 1 from json_each(${channelSubscriptions.events}) where value = ${sql.placeholder('kind')}))
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

type Page = ReturnType<typeof channelRecipientPage>;
type RecipientRow = { id: string; channel?: Channel; target?: string; email?: string; locale: string; timezone: string };

/** E-mail subscribers first, then webhook and chat subscriptions, each in id order. */
async function* pages(db: DbOrTx, page: { email: Page; channels: Page }, values: { components: readonly string[]; severity?: number; kind: NoticeKind }): AsyncGenerator<Recipient[]> {
  const components = JSON.stringify(values.components);
  for (const source of [page.email, page.channels]) {
    let after = '';
    for (;;) {
      const rows = await db.all<RecipientRow>(source({ after, components, severity: values.severity, kind: values.kind }));
      if (rows.length === 0) break;
      yield rows.map((r) => ({ subscriberId: r.id, channel: r.channel ?? 'email', target: r.target ?? r.email!, locale: messageLocale(r.locale), timeZone: r.timezone }));
      if (rows.length < RECIPIENT_PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** Confirmed subscribers (every channel) of any of the window's components who get this notice, page by page. */
export function maintenanceRecipientPages(db: DbOrTx, componentIds: readonly string[], kind: NoticeKind): AsyncGenerator<Recipient[]> {
  return pages(db, maintenancePages, { components: componentIds, kind });
}

/** Confirmed subscribers of the incident's components who want this incident notice at this severity, page by page. */
export function incidentRecipientPages(db: DbOrTx, componentIds: readonly string[], severity: number, kind: NoticeKind): AsyncGenerator<Recipient[]> {
  return pages(db, incidentPages, { components: componentIds, severity, kind });
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

/**
 * The config's team channels (confirmed, ids `team_…`) whose `events` name this alert. A public subscription never
 * gets an admin alert, whatever it stores.
 */
const teamChannelsFor = rendered<{ kind: string }>(sql`
  select ${channelSubscriptions.id} as id, ${channelSubscriptions.channel} as channel, ${channelSubscriptions.url} as target,
         ${channelSubscriptions.locale} as locale, ${channelSubscriptions.timezone} as timezone
  from ${channelSubscriptions}
  where ${channelSubscriptions.status} = 'confirmed' and substr(${channelSubscriptions.id}, 1, length(${TEAM_ID_PREFIX})) = ${TEAM_ID_PREFIX}
    and exists (select 1 from json_each(${channelSubscriptions.events}) where value = ${sql.placeholder('kind')})
  order by ${channelSubscriptions.id}`);

/**
 * An admin alert's copies: an e-mail to each admin (`toAdmins`), and a message to each team channel whose `events`
 * name it, in the channel's language and zone, so admins hear of it on a path that does not depend on the mail
 * provider. `keyFor` is given an admin's address or a team channel's id.
 */
export async function adminAlertDeliveries(
  db: DbOrTx,
  kind: AdminAlertKind,
  admins: readonly { email: string; locale: Locale }[],
  keyFor: (recipient: string) => string,
  timeZone?: string,
): Promise<NoticeDelivery[]> {
  const teams = await db.all<RecipientRow & { channel: Channel; target: string }>(teamChannelsFor({ kind }));
  return [
    ...toAdmins(admins, keyFor, timeZone),
    ...teams.map((team) => toSubscriber({ subscriberId: team.id, channel: team.channel, target: team.target, locale: messageLocale(team.locale), timeZone: team.timezone }, keyFor(team.id))),
  ];
}
