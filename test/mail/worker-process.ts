/**
 * A dispatcher in a process of its own, for the crash and two-worker tests: opens the file database
 * named by DATABASE_URL and drains the outbox to RESEND_BASE_URL through the real SDK, then prints a
 * summary line. Run with `node --import tsx test/mail/worker-process.ts`.
 *
 * Env: DATABASE_URL, RESEND_API_KEY, RESEND_BASE_URL, WORKER_OWNER, WORKER_RATE (calls/s),
 * WORKER_LEASE_MS, WORKER_TIMEOUT_MS (request timeout), WORKER_DRAIN_MS.
 */
import { openDatabase, tuneLocalDatabase } from '../../db/client.ts';
import { createMailDispatcher } from '../../worker/mail/dispatcher.ts';
import { resendTransport } from '../../worker/mail/transport.ts';
import { emailOnly, mailContext, plainRenderer } from './support.ts';

const env = process.env;
const url = env.DATABASE_URL ?? '';
const database = openDatabase(url);
await tuneLocalDatabase(database.client, url);
const ctx = mailContext(database, { env: { RESEND_API_KEY: env.RESEND_API_KEY ?? '', RESEND_BASE_URL: env.RESEND_BASE_URL ?? '' } });
const dispatcher = createMailDispatcher(ctx, {
  channels: emailOnly(plainRenderer, resendTransport({ apiKey: env.RESEND_API_KEY ?? '', baseUrl: env.RESEND_BASE_URL ?? '' })),
  owner: env.WORKER_OWNER ?? `worker-${process.pid}`,
  ratePerSecond: Number(env.WORKER_RATE ?? 20),
  leaseMs: Number(env.WORKER_LEASE_MS ?? 2_000),
  requestTimeoutMs: Number(env.WORKER_TIMEOUT_MS ?? 1_000),
  backoff: { baseMs: 50, maxMs: 400 },
  maxAttempts: 50,
});
process.stdout.write(`ready ${dispatcher.owner}\n`);
const summary = await dispatcher.drain({ timeoutMs: Number(env.WORKER_DRAIN_MS ?? 30_000) });
process.stdout.write(`${JSON.stringify({ owner: dispatcher.owner, ...summary })}\n`);
database.close();
