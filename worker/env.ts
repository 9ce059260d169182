import { z } from 'zod';
import { addressListProblems } from './lib/address-set.ts';

/** Deployment settings and secrets, read from the environment (and a `.env` file, see main.ts). */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4321),
  HOST: z.string().default('0.0.0.0'),
  VIGIA_CONFIG: z.string().default('vigia.config.yaml'),
  DATABASE_URL: z.string().default('file:./data/vigia.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  // Trimmed first: the token in the Authorization header is trimmed too, so spaces could never match.
  ADMIN_TOKEN: z.string().trim().min(16, 'must be at least 16 characters, not counting spaces around it').optional(),
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: z.string().optional(),
  /** Signing secret of the Resend webhook (`whsec_…`); without it /api/webhooks/resend answers 503. */
  RESEND_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be the webhook signing secret Resend shows, "whsec_" then base64')
    .optional(),
  MAIL_FROM: z.string().default('Vigía <status@example.com>'),
  PUBLIC_URL: z.string().optional(),
  /** Folder for built sites and development mail; defaults next to a file database. */
  VIGIA_DATA_DIR: z.string().default('./data'),
  /** Set to 0 to serve only the API (for example when the site is deployed to a CDN). */
  VIGIA_BUILD_SITE: z.enum(['0', '1']).default('1'),
  /** Set to 0 to run no background jobs (polling, mail) in this process. */
  VIGIA_JOBS: z.enum(['0', '1']).default('1'),
  /**
   * How long a worker holds the outbox messages it claimed and the batches it sends (ms) before another worker may
   * take them over: how long the mail of a worker that died waits. Default 2 minutes; its provider calls then time out
   * at half of it (30 s at most).
   */
  VIGIA_MAIL_LEASE_MS: z.coerce.number().int().min(2_000).max(3_600_000).optional(),
  /** Set to 1 to let sources, detection, webhook and chat deliveries reach private, loopback and link-local addresses (development, tests). */
  VIGIA_ALLOW_PRIVATE_NETWORKS: z.enum(['0', '1']).default('0'),
  /** Hosts and CIDRs that those connections may reach even when private, comma-separated (`hooks.internal,10.2.0.0/16`). */
  VIGIA_EGRESS_ALLOW: z.string().default(''),
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed, comma-separated addresses and CIDRs (`127.0.0.1,10.0.0.0/8`);
   * none by default, so the socket's peer is the client. See client-ip.ts.
   */
  TRUSTED_PROXIES: z.string().default('').superRefine((value, ctx) => {
    for (const problem of addressListProblems(value)) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Subscription-confirmation mails queued per hour at most, all clients together, so no flood spends the mail quota. */
  CONFIRMATION_MAILS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `environment: ${i.path.join('.')}: ${i.message}`);
    throw new Error(lines.join('\n'));
  }
  return result.data;
}
