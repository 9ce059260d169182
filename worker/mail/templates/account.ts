import { bothTimes } from './time.ts';
import type { MailTemplate } from './template.ts';

/** A one-time link to set an admin account's password: `purpose` says whether it was asked for or is an invitation. */
export const accountPasswordLink: MailTemplate<'account.password_link'> = {
  audience: 'admin',
  build: (d, env) => {
    const w = env.words.account[d.purpose];
    return {
      subject: w.subject(env.siteName),
      blocks: [
        { kind: 'heading', text: w.heading(d.name) },
        { kind: 'paragraph', text: w.lead(env.siteName) },
        { kind: 'actions', links: [{ label: w.action, url: d.url }] },
        { kind: 'note', text: env.words.account.expires(bothTimes(d.expiresAt, env.locale, env.timeZone).replace('\n', ' · ')) },
        { kind: 'note', text: w.notYou },
      ],
    };
  },
};
