/**
 * What a Resend webhook event means for subscribers. Only permanent failures suppress: a hard bounce
 * (the mailbox does not exist) or a complaint (the person marked us as spam). Soft bounces and every
 * other event change nothing.
 */
export type WebhookDecision = { action: 'suppress'; recipients: string[]; reason: string } | { action: 'ignore'; why: string };

interface EventShape {
  type?: unknown;
  data?: { to?: unknown; bounce?: { type?: unknown; subType?: unknown; message?: unknown } };
}

const recipientsOf = (data: EventShape['data']): string[] =>
  (Array.isArray(data?.to) ? data.to : typeof data?.to === 'string' ? [data.to] : []).filter((to): to is string => typeof to === 'string');

/** Strips a display name: `Ana <ana@example.com>` → `ana@example.com`. */
const bareAddress = (value: string) => /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;

export function decideWebhook(event: unknown): WebhookDecision {
  const e = (event ?? {}) as EventShape;
  const recipients = recipientsOf(e.data).map(bareAddress);
  if (e.type === 'email.complained') {
    return recipients.length ? { action: 'suppress', recipients, reason: 'complaint: marked as spam' } : { action: 'ignore', why: 'complaint without recipients' };
  }
  if (e.type === 'email.bounced') {
    const bounce = e.data?.bounce ?? {};
    const kind = typeof bounce.type === 'string' ? bounce.type : '';
    // Resend passes on Amazon SES's classes: Permanent, Transient, Undetermined. Only Permanent is a hard bounce.
    if (kind.toLowerCase() !== 'permanent') return { action: 'ignore', why: `not a hard bounce (${kind || 'no type'})` };
    if (!recipients.length) return { action: 'ignore', why: 'bounce without recipients' };
    const detail = [bounce.subType, bounce.message].filter((v): v is string => typeof v === 'string' && v !== '').join(': ');
    return { action: 'suppress', recipients, reason: `hard bounce${detail ? `: ${detail}` : ''}` };
  }
  return { action: 'ignore', why: `event ${typeof e.type === 'string' ? e.type : '(no type)'} needs nothing` };
}
