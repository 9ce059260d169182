import { z } from 'zod';
import { formatDuration } from '../../maintenances/notice-rule.ts';
import { bothTimes } from './time.ts';
import { defineTemplate, isoInstant, pick } from './template.ts';

/**
 * A window's notice reached (or will reach) someone later than the rule allows. Data: `maintenanceId`,
 * `title`, `startsAt`, `endsAt`, `deadline` (start − min_notice), `recipients`, `notified`, `lateCount`,
 * `suggestedStart` (ISO, or null once the window started).
 */
export const adminLateNotice = defineTemplate({
  audience: 'admin',
  schema: z.object({
    maintenanceId: z.string().min(1),
    title: z.string().min(1),
    startsAt: isoInstant,
    endsAt: isoInstant.optional(),
    deadline: isoInstant.nullish(),
    recipients: z.number().int().min(0),
    notified: z.number().int().min(0).default(0),
    lateCount: z.number().int().min(0),
    suggestedStart: isoInstant.nullish(),
  }),
  build: (d, env) => {
    const notice = formatDuration(env.minNotice);
    const t = (iso: string) => bothTimes(iso, env.locale, env.timeZone);
    const items = [
      { label: pick(env.locale, { es: 'Inicio', en: 'Start' }), value: t(d.startsAt) },
      ...(d.deadline ? [{ label: pick(env.locale, { es: 'Plazo para avisar', en: 'Notice deadline' }), value: t(d.deadline) }] : []),
      { label: pick(env.locale, { es: 'Destinatarios', en: 'Recipients' }), value: String(d.recipients) },
      { label: pick(env.locale, { es: 'Aceptados por el proveedor', en: 'Accepted by the provider' }), value: String(d.notified) },
      { label: pick(env.locale, { es: 'Tarde o sin enviar', en: 'Late or unsent' }), value: String(d.lateCount) },
    ];
    const patch = `PATCH ${env.url(`/api/admin/maintenances/${d.maintenanceId}`)}\n{ "starts_at": "${d.suggestedStart ?? ''}", "ends_at": "…" }`;
    return {
      subject: pick(env.locale, { es: `Aviso tardío de mantenimiento: ${d.title}`, en: `Late maintenance notice: ${d.title}` }),
      blocks: [
        { kind: 'heading', text: pick(env.locale, { es: `Aviso tardío: ${d.title}`, en: `Late notice: ${d.title}` }) },
        {
          kind: 'paragraph',
          text: pick(env.locale, {
            es: `El aviso de este mantenimiento no llegó a todos los suscriptores con ${notice} de anticipación (el proveedor de correo lo aceptó tarde o aún no lo acepta).`,
            en: `This maintenance was not announced to every subscriber ${notice} ahead (the mail provider accepted it late, or has not yet).`,
          }),
        },
        { kind: 'facts', items },
        ...(d.suggestedStart
          ? [
              {
                kind: 'paragraph' as const,
                text: pick(env.locale, {
                  es: `Para cumplir el compromiso puede reprogramarlo. El inicio más cercano que lo cumple es:\n${t(d.suggestedStart)}`,
                  en: `To keep the promise you can reschedule it. The earliest start that keeps it is:\n${t(d.suggestedStart)}`,
                }),
              },
              { kind: 'quote' as const, text: patch },
            ]
          : []),
        { kind: 'actions', links: [{ label: pick(env.locale, { es: 'Ver en la página de estado', en: 'View on the status page' }), url: env.pageUrl(`/maintenances/${d.maintenanceId}/`) }] },
      ],
    };
  },
});

/**
 * An incident's SLA target is about to lapse, or lapsed. Data: `incidentId`, `title`, `severity`,
 * `target` (response | resolution), `dueAt`, `breached` (already missed; default false).
 */
export const adminSlaWarning = defineTemplate({
  audience: 'admin',
  schema: z.object({
    incidentId: z.string().min(1),
    title: z.string().min(1),
    severity: z.number().int().min(1).max(4),
    target: z.enum(['response', 'resolution']),
    dueAt: isoInstant,
    breached: z.boolean().default(false),
  }),
  build: (d, env) => {
    const target = pick(env.locale, { es: { response: 'respuesta', resolution: 'solución' }, en: { response: 'response', resolution: 'resolution' } })[d.target];
    const due = bothTimes(d.dueAt, env.locale, env.timeZone);
    const Target = `${target[0]!.toUpperCase()}${target.slice(1)}`;
    return {
      subject: d.breached
        ? pick(env.locale, { es: `SLA: plazo de ${target} vencido en «${d.title}»`, en: `SLA: ${target} target missed for "${d.title}"` })
        : pick(env.locale, { es: `SLA: vence el plazo de ${target} de «${d.title}»`, en: `SLA: ${target} due for "${d.title}"` }),
      blocks: [
        {
          kind: 'heading',
          text: d.breached
            ? pick(env.locale, { es: `Plazo de ${target} vencido`, en: `${Target} target missed` })
            : pick(env.locale, { es: `Plazo de ${target} por vencer`, en: `${Target} target about to lapse` }),
        },
        {
          kind: 'facts',
          items: [
            { label: pick(env.locale, { es: 'Incidente', en: 'Incident' }), value: d.title },
            { label: pick(env.locale, { es: 'Severidad', en: 'Severity' }), value: `${env.severityName(d.severity)} (${d.severity})` },
            { label: pick(env.locale, { es: 'Vence', en: 'Due' }), value: due },
          ],
        },
        { kind: 'actions', links: [{ label: pick(env.locale, { es: 'Ver el incidente', en: 'View the incident' }), url: env.pageUrl(`/incidents/${d.incidentId}/`) }] },
      ],
    };
  },
});

const PAUSE_REASONS: Record<'es' | 'en', Record<string, string>> = {
  es: { quota: 'cuota del proveedor agotada', provider_refused: 'el proveedor rechaza los envíos' },
  en: { quota: "provider's quota reached", provider_refused: 'the provider refuses to send' },
};

/** Sending stopped (provider refused the key, quota…). Data: `reason`, optional `code`, `message`, `pausedAt`, `until`, `resumePath`. */
export const adminMailPaused = defineTemplate({
  audience: 'admin',
  schema: z.object({
    reason: z.string().min(1),
    code: z.string().nullish(),
    message: z.string().nullish(),
    pausedAt: isoInstant.nullish(),
    until: isoInstant.nullish(),
    resumePath: z.string().nullish(),
  }),
  build: (d, env) => {
    const t = (iso: string) => bothTimes(iso, env.locale, env.timeZone);
    const reason = PAUSE_REASONS[env.locale][d.reason] ?? d.reason;
    const items = [
      { label: pick(env.locale, { es: 'Motivo', en: 'Reason' }), value: [reason, d.code, d.message].filter(Boolean).join(' · ') },
      ...(d.pausedAt ? [{ label: pick(env.locale, { es: 'Desde', en: 'Since' }), value: t(d.pausedAt) }] : []),
      {
        label: pick(env.locale, { es: 'Hasta', en: 'Until' }),
        value: d.until ? t(d.until) : pick(env.locale, { es: 'que un administrador lo reanude', en: 'an admin resumes it' }),
      },
    ];
    return {
      subject: pick(env.locale, { es: `Envío de correo en pausa: ${reason}`, en: `Mail sending paused: ${reason}` }),
      blocks: [
        { kind: 'heading', text: pick(env.locale, { es: 'El envío de correo está en pausa', en: 'Mail sending is paused' }) },
        {
          kind: 'paragraph',
          text: pick(env.locale, {
            es: 'Los avisos siguen en cola y saldrán al reanudar el envío; mientras tanto los avisos de mantenimiento pueden llegar tarde.',
            en: 'Notices stay queued and go out once sending resumes; meanwhile maintenance notices may go out late.',
          }),
        },
        { kind: 'facts', items },
        ...(d.resumePath ? [{ kind: 'quote' as const, text: `POST ${env.url(d.resumePath)}` }] : []),
      ],
    };
  },
});
