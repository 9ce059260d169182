/**
 * The background job that sends the outbox: every few seconds, everything due goes out. A run that is
 * still sending when the next tick comes is not doubled (every() skips the tick).
 */
import type { AppContext } from '../context.ts';
import type { MailChannels } from '../delivery/channels.ts';
import { dispatchEvery, type Job } from '../jobs/every.ts';
import { createMailDispatcher, type DispatcherOptions } from './dispatcher.ts';

export interface MailJobDeps {
  /** The delivery channels (`deliveryChannels()`). */
  channels: MailChannels;
  /** VIGIA_DATA_DIR, resolved; development mail goes to `<dataDir>/mail`. */
  dataDir: string;
  /** Overrides for the dispatcher's knobs (tests). */
  options?: Partial<Omit<DispatcherOptions, 'channels'>>;
}

export function mailDispatchJob(app: AppContext, deps: MailJobDeps): Job {
  const leaseMs = app.env.VIGIA_MAIL_LEASE_MS;
  const dispatcher = createMailDispatcher(app, { ...(leaseMs === undefined ? {} : { leaseMs }), ...deps.options, channels: deps.channels });
  const transport = deps.channels.email.send;
  app.logger.info(
    { transport: transport.name, owner: dispatcher.owner, ratePerSecond: deps.options?.ratePerSecond ?? app.config.mail.rate_limit_per_second },
    transport.name === 'resend' ? 'mail goes out through Resend' : `no RESEND_API_KEY: mail is written as .eml files under ${deps.dataDir}/mail`,
  );
  return dispatchEvery('mail-dispatch', dispatcher, app.logger, app.health);
}
