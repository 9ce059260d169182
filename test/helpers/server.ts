import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../worker/config/load.ts';
import { startVigia, type RunningVigia } from '../../worker/server.ts';

export interface TempVigia {
  vigia: RunningVigia;
  /** The temporary folder holding the database, site builds and development mail. */
  dir: string;
  /** Stops the server and deletes the folder. */
  close(): Promise<void>;
}

/**
 * The real product on a free port of 127.0.0.1 with a fresh file database in a temporary folder.
 * Jobs are off unless `env.VIGIA_JOBS` says otherwise; logs are silent.
 */
export async function startTempVigia(options: { env?: Record<string, string>; config?: Config; now?: () => Date } = {}): Promise<TempVigia> {
  const dir = mkdtempSync(join(tmpdir(), 'vigia-test-'));
  const vigia = await startVigia({
    config: options.config,
    now: options.now,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'vigia.db')}`,
      VIGIA_DATA_DIR: dir,
      VIGIA_JOBS: '0',
      LOG_LEVEL: 'silent',
      ...options.env,
    },
  });
  return {
    vigia,
    dir,
    close: async () => {
      await vigia.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real product with its jobs on, mailing through the `resend` SDK to a fake Resend API, without the site and with
 * the upstream watch stopped: the set-up of the mail stories.
 */
export async function startMailingVigia(
  fake: { apiKey: string; url: string },
  options: { config?: Config; now?: () => Date; adminToken: string; env?: Record<string, string> },
): Promise<TempVigia> {
  const started = await startTempVigia({
    config: options.config,
    now: options.now,
    env: {
      VIGIA_BUILD_SITE: '0',
      VIGIA_JOBS: '1',
      ADMIN_TOKEN: options.adminToken,
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: fake.url,
      MAIL_FROM: 'Prueba <status@prueba.example>',
      ...options.env,
    },
  });
  await started.vigia.upstream?.stop();
  return started;
}
