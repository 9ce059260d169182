/**
 * Every value set Vigía speaks, declared once. The TypeScript types, the zod schemas (`z.enum(…)`) and the Drizzle
 * column enums are all derived from these lists, so a word added here is known everywhere and a word missing here
 * is refused everywhere. The bottom layer: it imports nothing.
 *
 * Where Vigía keeps a Statuspage value set (its public API is Statuspage's v2 API), the list is Statuspage's, in its
 * order; Vigía's own words are added in a second list built on the first.
 */

/** Whether `value` is one of the words of `set`: the one guard for every value set below. */
export const isOneOf =
  <T extends string | number>(set: readonly T[]) =>
  (value: unknown): value is T =>
    (set as readonly unknown[]).includes(value);

/**
 * Vigía severity level, 1 the most severe. The shipped policy has four (1 critical: total outage, 2 high: partial
 * outage, 3 medium: degraded, 4 low: information); a policy may declare up to nine (e.g. the cells of a priority ×
 * impact matrix). Providers' incidents are always read as 1 to 4.
 */
export const SEVERITIES = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export type Severity = (typeof SEVERITIES)[number];
export const isSeverity = isOneOf(SEVERITIES);
/**
 * A subscription's `min_severity` that asks for every incident: the least severe level any policy can have. Filters
 * compare levels numerically (1 the most severe), so it holds however many levels the policy declares.
 */
export const EVERY_SEVERITY: Severity = 9;

/** Statuspage's component statuses. */
export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];
export const isComponentStatus = isOneOf(COMPONENT_STATUSES);

/** Vigía's component state adds `unknown`: an upstream that cannot be read is never shown as operational. */
export const COMPONENT_STATES = [...COMPONENT_STATUSES, 'unknown'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

/*
 * Two orders of the component states, higher worse. They differ only in where `unknown` sits, because they answer
 * different questions:
 *  - one component's state from several reports (a provider's components and incidents, the sources feeding a
 *    component, a day of the uptime bars): a known state, maintenance included, says more than "cannot be read", so
 *    `unknown` ranks just above `operational` (it is never hidden by a green report, and hides nothing else);
 *  - the page's one-word summary across components (the banner, status.json's `state`, badges, the widget): a
 *    planned window is known and announced, a component that cannot be checked is not, so `unknown` ranks above
 *    `under_maintenance`; a known outage still outranks it.
 */

/** One component's state from several reports: `unknown` only above `operational`. Statuspage's statuses keep this order. */
export const COMPONENT_STATE_RANK: Readonly<Record<ComponentState, number>> = {
  operational: 0,
  unknown: 1,
  under_maintenance: 2,
  degraded_performance: 3,
  partial_outage: 4,
  major_outage: 5,
};

/** The page's summary across components: `unknown` above `under_maintenance`, below any outage. */
export const PAGE_STATE_RANK: Readonly<Record<ComponentState, number>> = {
  operational: 0,
  under_maintenance: 1,
  unknown: 2,
  degraded_performance: 3,
  partial_outage: 4,
  major_outage: 5,
};

/** Statuspage's incident statuses. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/** A closed incident's statuses: it leaves the open lists and its SLA clocks stop. */
export const CLOSED_INCIDENT_STATUSES = ['resolved', 'postmortem'] as const satisfies readonly IncidentStatus[];
export const isClosedStatus = (status: string): boolean => (CLOSED_INCIDENT_STATUSES as readonly string[]).includes(status);

/** Statuspage's maintenance statuses: the words a provider's window can have. */
export const UPSTREAM_MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type UpstreamMaintenanceStatus = (typeof UPSTREAM_MAINTENANCE_STATUSES)[number];

/** Vigía's windows add `cancelled`: a window called off stays on record, hidden from the page. */
export const MAINTENANCE_STATUSES = [...UPSTREAM_MAINTENANCE_STATUSES, 'cancelled'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];
/** A window not over yet: scheduled, or under way. */
export const OPEN_MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying'] as const satisfies readonly MaintenanceStatus[];
/** A window under way: the components it names are under maintenance. */
export const UNDER_WAY_MAINTENANCE_STATUSES = ['in_progress', 'verifying'] as const satisfies readonly MaintenanceStatus[];
export const isUnderWay = (status: string): boolean => (UNDER_WAY_MAINTENANCE_STATUSES as readonly string[]).includes(status);

/** Statuspage's page indicator, as Vigía publishes it (and its incidents' `impact`). */
export const INDICATORS = ['none', 'minor', 'major', 'critical'] as const;
export type Indicator = (typeof INDICATORS)[number];

/** A page-wide indicator as a provider states it: Statuspage's words, `maintenance` included, plus `unknown`. */
export const PAGE_INDICATORS = [...INDICATORS, 'maintenance', 'unknown'] as const;
export type PageIndicator = (typeof PAGE_INDICATORS)[number];

/** The kinds of upstream source, one adapter each: five status-page formats and a plain HTTP check. */
export const SOURCE_TYPES = ['statuspage', 'incidentio', 'instatus', 'google', 'feed', 'http'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Which time an SLA target counts: only a business calendar's open time, or all wall time. */
export const SLA_CLOCKS = ['business', 'always'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];
export const isSlaClock = isOneOf(SLA_CLOCKS);

/** Week days as the configuration and the policy write them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A day of the 90-day bars: its worst state, `provider_unknown` when a provider feeding the component could not be
 * read (and nothing worse is known), `no_data` before the data starts.
 */
export const DAY_STATES = ['no_data', 'provider_unknown', ...COMPONENT_STATUSES] as const;
export type DayState = (typeof DAY_STATES)[number];

/**
 * The languages Vigía speaks: the public site, the e-mails and the subscription pages. Adding one is adding it here
 * and its strings files (`site/i18n/`, `worker/i18n/`), which the types then require.
 */
export const LOCALES = ['es', 'en', 'pt-BR'] as const;
export type Locale = (typeof LOCALES)[number];
export const isLocale = isOneOf(LOCALES);

/** One value per language, e.g. a text in every language. */
export const perLocale = <T>(value: (locale: Locale) => T): Record<Locale, T> =>
  Object.fromEntries(LOCALES.map((locale) => [locale, value(locale)])) as Record<Locale, T>;

/*
 * The states the stored rows move through. Each column takes its set from here (`text(…, { enum })`), so a row read
 * back is typed and never cast; SQLite keeps plain text, so no migration follows from a set.
 */

/**
 * An e-mail subscriber: `pending` until the double opt-in link is followed, then `confirmed` (the only ones sent
 * notices); `unsubscribed` by their own hand; `suppressed` after a bounce or complaint (never mailed again).
 */
export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed', 'suppressed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];
export const isSubscriberStatus = isOneOf(SUBSCRIBER_STATUSES);

/**
 * A webhook or chat subscription: `pending` until its receiver proves it listens, then `confirmed` ⇄ `paused`;
 * `disabled` after a sustained run of failed deliveries or a 410 Gone.
 */
export const CHANNEL_SUBSCRIPTION_STATUSES = ['pending', 'confirmed', 'paused', 'disabled'] as const;
export type ChannelSubscriptionStatus = (typeof CHANNEL_SUBSCRIPTION_STATUSES)[number];

/**
 * An outbox row: `pending` → `claimed` (leased while it renders) → `sending` (member of a mail batch; HTTP rows go
 * straight from claimed) → `sent` | `failed`; `cancelled` when its recipient stopped being a confirmed subscriber
 * after it was queued.
 */
export const OUTBOX_STATES = ['pending', 'claimed', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * A stored mail batch (one provider call): `pending` (formed, or waiting for a retry) → `sending` (leased, call in
 * flight) → `sent` | `failed` | `split` (rejected as a whole; its messages went back to be sent one by one).
 */
export const BATCH_STATES = ['pending', 'sending', 'sent', 'failed', 'split'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

/** The notices a maintenance window causes, as its notice plan stores them (`maintenance.<kind>` in the outbox). */
export const MAINTENANCE_NOTICE_KINDS = ['announcement', 'reminder', 'rescheduled', 'cancelled', 'started', 'completed'] as const;
export type MaintenanceNoticeKind = (typeof MAINTENANCE_NOTICE_KINDS)[number];

/**
 * A window's planned notice: `planned` until due, then `queued` (its messages are in the outbox), `skipped` (the
 * window had started or closed, or a later reminder superseded it) or `dropped` (the window was rescheduled).
 */
export const MAINTENANCE_NOTICE_STATES = ['planned', 'queued', 'skipped', 'dropped'] as const;
export type MaintenanceNoticeState = (typeof MAINTENANCE_NOTICE_STATES)[number];

/**
 * What an admin may do, from the least to the most: a viewer reads (and the reports), an editor also changes
 * incidents, maintenances, subscribers and sources, an owner also accounts, API tokens and settings.
 */
export const ADMIN_ROLES = ['viewer', 'editor', 'owner'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
export const isAdminRole = (value: unknown): value is AdminRole => (ADMIN_ROLES as readonly unknown[]).includes(value);
/**
 * The languages the admin console speaks (a subset of `LOCALES`): an account's own choice, which its console and the
 * mail sent to it (invitation, password links) use.
 */
export const ADMIN_LANGUAGES = ['es', 'en'] as const;
export type AdminLanguage = (typeof ADMIN_LANGUAGES)[number];
export const isAdminLanguage = (value: unknown): value is AdminLanguage => (ADMIN_LANGUAGES as readonly unknown[]).includes(value);
/** Whether `held` allows what `needed` does. */
export const roleAllows = (held: AdminRole, needed: AdminRole) => ADMIN_ROLES.indexOf(held) >= ADMIN_ROLES.indexOf(needed);
