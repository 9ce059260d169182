import { z } from 'zod';
import { bothTimes } from './time.ts';
import { defineTemplate, isoInstant } from './template.ts';

/** Double opt-in. Data: `confirmUrl` (the one link that confirms), `expiresAt` (ISO). */
export const subscriptionConfirm = defineTemplate({
  audience: 'requester',
  schema: z.object({ confirmUrl: z.string().min(1), expiresAt: isoInstant }),
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
});
