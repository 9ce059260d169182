import { bothTimes } from './time.ts';
import type { MailTemplate } from './template.ts';

/** Double opt-in: `confirmUrl` (the one link that confirms), `expiresAt` (ISO). */
export const subscriptionConfirm: MailTemplate<'subscription.confirm'> = {
  audience: 'requester',
  build: (d, env) => {
    const w = env.words.subscription;
    return {
      subject: w.subject(env.siteName),
      blocks: [
        { kind: 'heading', text: w.heading },
        { kind: 'paragraph', text: w.lead(env.siteName) },
        { kind: 'actions', links: [{ label: w.confirm, url: d.confirmUrl }] },
        { kind: 'note', text: w.expires(bothTimes(d.expiresAt, env.locale, env.timeZone).replace('\n', ' · ')) },
        { kind: 'note', text: w.notYou },
      ],
    };
  },
};
