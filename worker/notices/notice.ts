/**
 * Typed notices: every notice Vigía sends, one zod schema per kind. A notice is checked when it is queued (a bad one
 * throws at its producer, naming the kind and the field) and read back with the same schema when it is delivered.
 * A notice says what happened, the same for everyone told; who is told, on which channel, in which language and
 * time zone, is the outbox row's.
 */
import { z } from 'zod';
import { formatKeyPath } from '../config/errors.ts';
import { NOTICE_KINDS, type NoticeKind } from '../core/notices.ts';
import { INCIDENT_STATUSES, SEVERITIES } from '../core/vocabulary.ts';

/** An ISO-8601 instant, as notices carry them. */
export const isoInstant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO-8601 instant' });

/** The provider whose status page reported what the notice is about. */
const upstream = z.object({ name: z.string(), url: z.string().nullish() }).nullish();

/** What every maintenance notice says of its window, frozen when queued. */
const maintenanceFields = {
  maintenanceId: z.string().min(1),
  /** The window's version when the notice was queued (each change of its times, and its cancellation, bumps it). */
  version: z.number().int().min(0),
  title: z.string().min(1),
  message: z.string().default(''),
  startsAt: isoInstant,
  endsAt: isoInstant,
  /** The affected components' names in the page's order; none means every service. */
  components: z.array(z.string()).default([]),
  upstream,
};

/** What every incident notice says of its incident, frozen when queued. */
const incidentFields = {
  incidentId: z.string().min(1),
  /** The update being reported; null before the incident has one. */
  updateId: z.string().min(1).nullable(),
  title: z.string().min(1),
  severity: z.literal(SEVERITIES),
  status: z.enum(INCIDENT_STATUSES).default('investigating'),
  /** The update's text. */
  message: z.string().default(''),
  components: z.array(z.string()).default([]),
  startedAt: isoInstant,
  resolvedAt: isoInstant.nullish(),
  upstream,
  /** The incident's calendar, which names its region: the level is named as the region names it. */
  calendarId: z.string().nullish(),
};

const notice = <K extends NoticeKind, S extends z.ZodRawShape>(kind: K, shape: S) => z.object({ kind: z.literal(kind), ...shape });

/** One schema per kind of notice. */
export const NOTICE_SCHEMAS = {
  'maintenance.announcement': notice('maintenance.announcement', maintenanceFields),
  'maintenance.reminder': notice('maintenance.reminder', { ...maintenanceFields, /** How long before the start. */ offsetMs: z.number().int().positive() }),
  'maintenance.rescheduled': notice('maintenance.rescheduled', { ...maintenanceFields, previousStartsAt: isoInstant.optional(), previousEndsAt: isoInstant.optional() }),
  'maintenance.cancelled': notice('maintenance.cancelled', { ...maintenanceFields, reason: z.string().nullish() }),
  'maintenance.started': notice('maintenance.started', maintenanceFields),
  'maintenance.completed': notice('maintenance.completed', maintenanceFields),
  'incident.opened': notice('incident.opened', incidentFields),
  'incident.updated': notice('incident.updated', incidentFields),
  'incident.resolved': notice('incident.resolved', incidentFields),
  /** Double opt-in: the one link that confirms, and when it stops working. */
  'subscription.confirm': notice('subscription.confirm', { confirmUrl: z.string().min(1), expiresAt: isoInstant }),
  /** A window's notice reached (or will reach) someone later than the rule allows. */
  'admin.late_notice': notice('admin.late_notice', {
    maintenanceId: z.string().min(1),
    title: z.string().min(1),
    startsAt: isoInstant,
    endsAt: isoInstant.optional(),
    /** start − min_notice. */
    deadline: isoInstant.nullish(),
    recipients: z.number().int().min(0),
    notified: z.number().int().min(0).default(0),
    lateCount: z.number().int().min(0),
    /** The earliest start that keeps the rule; null once the window started. */
    suggestedStart: isoInstant.nullish(),
  }),
  /** An incident's SLA target is about to lapse, or lapsed (`breached`). */
  'admin.sla_warning': notice('admin.sla_warning', {
    incidentId: z.string().min(1),
    title: z.string().min(1),
    severity: z.literal(SEVERITIES),
    target: z.enum(['response', 'resolution']),
    dueAt: isoInstant,
    breached: z.boolean().default(false),
    /** The incident's calendar: the level is named as its region names it. */
    calendarId: z.string().nullish(),
  }),
  /** Sending stopped (the provider refused the key, a quota ran out…). */
  'admin.mail_paused': notice('admin.mail_paused', {
    reason: z.string().min(1),
    code: z.string().nullish(),
    message: z.string().nullish(),
    pausedAt: isoInstant.nullish(),
    until: isoInstant.nullish(),
    /** The admin API path that lifts the pause. */
    resumePath: z.string().nullish(),
  }),
  /** The mail provider keeps failing (server errors, lost calls): notices wait and are repeated until it answers. */
  'admin.mail_failing': notice('admin.mail_failing', {
    /** When the failing batch was first tried. */
    since: isoInstant,
    attempts: z.number().int().min(1),
    /** Messages waiting in that batch. */
    waiting: z.number().int().min(0),
    error: z.string().min(1),
  }),
  /** A webhook or chat subscription was switched off after its receiver failed for too long (or answered 410 Gone). */
  'admin.channel_disabled': notice('admin.channel_disabled', {
    subscriptionId: z.string().min(1),
    channel: z.string().min(1),
    /** The receiver's host only: chat webhook URLs carry their secret in the path. */
    host: z.string().min(1),
    reason: z.string().min(1),
    failures: z.number().int().min(0),
    disabledAt: isoInstant,
  }),
  /** A one-time link to set an admin account's password: a reset asked for, or an invitation to a new account. */
  'account.password_link': notice('account.password_link', {
    purpose: z.enum(['reset', 'invitation']),
    name: z.string().min(1),
    url: z.string().min(1),
    expiresAt: isoInstant,
  }),
} satisfies { [K in NoticeKind]: z.ZodType<{ kind: K }> };

type Schemas = typeof NOTICE_SCHEMAS;
/** A notice as stored and delivered: defaults filled in. */
export type NoticeOf<K extends NoticeKind> = z.output<Schemas[K]>;
export type Notice = { [K in NoticeKind]: NoticeOf<K> }[NoticeKind];
/** A notice as its producer writes it: fields with a default may be left out. */
export type NoticeInput = { [K in NoticeKind]: z.input<Schemas[K]> }[NoticeKind];

export const isNoticeKind = (kind: unknown): kind is NoticeKind => typeof kind === 'string' && (NOTICE_KINDS as readonly string[]).includes(kind);

export type NoticeCheck = { ok: true; notice: Notice } | { ok: false; kind: string; problems: string };

/** Checks a notice's kind and every field; unknown fields are left out of the result. */
export function checkNotice(input: unknown): NoticeCheck {
  const kind = (input as { kind?: unknown } | null)?.kind;
  if (!isNoticeKind(kind)) return { ok: false, kind: String(kind), problems: 'kind: not a kind of notice' };
  const parsed = NOTICE_SCHEMAS[kind].safeParse(input);
  if (parsed.success) return { ok: true, notice: parsed.data as Notice };
  return { ok: false, kind, problems: parsed.error.issues.map((i) => `${formatKeyPath(i.path) || 'notice'}: ${i.message}`).join('; ') };
}

/** A notice that breaks its kind's schema, said plainly: `notice "incident.opened": title: …`. */
export class InvalidNoticeError extends Error {
  override name = 'InvalidNoticeError';
  constructor(
    readonly kind: string,
    readonly problems: string,
  ) {
    super(`notice "${kind}": ${problems}`);
  }
}

/** The notice as it will be stored; throws InvalidNoticeError when it breaks its kind's schema. */
export function parseNotice(input: NoticeInput): Notice {
  const checked = checkNotice(input);
  if (!checked.ok) throw new InvalidNoticeError(checked.kind, checked.problems);
  return checked.notice;
}

/** What a notice is about, as the outbox files it: a window (and its version when the notice was queued) or an incident. */
export interface NoticeSubject {
  maintenanceId: string | null;
  maintenanceVersion: number | null;
  incidentId: string | null;
}

export function noticeSubject(notice: Notice): NoticeSubject {
  switch (notice.kind) {
    case 'maintenance.announcement':
    case 'maintenance.reminder':
    case 'maintenance.rescheduled':
    case 'maintenance.cancelled':
    case 'maintenance.started':
    case 'maintenance.completed':
      return { maintenanceId: notice.maintenanceId, maintenanceVersion: notice.version, incidentId: null };
    case 'admin.late_notice':
      return { maintenanceId: notice.maintenanceId, maintenanceVersion: null, incidentId: null };
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved':
    case 'admin.sla_warning':
      return { maintenanceId: null, maintenanceVersion: null, incidentId: notice.incidentId };
    case 'subscription.confirm':
    case 'account.password_link':
    case 'admin.mail_paused':
    case 'admin.mail_failing':
    case 'admin.channel_disabled':
      return { maintenanceId: null, maintenanceVersion: null, incidentId: null };
  }
}
