import type { Database } from '../db/client.ts';
import type { Config } from './config/load.ts';
import type { Env } from './env.ts';
import type { HealthBoard } from './lib/health.ts';
import type { Logger } from './lib/logger.ts';

/** What every route and job needs, built once in main.ts (or in a test) and passed down. */
export interface AppContext {
  db: Database;
  config: Config;
  env: Env;
  logger: Logger;
  /** The clock; tests move it. */
  now: () => Date;
  /** Called after any change to what the public page shows; the site builder debounces it. */
  publishedChanged: (reason: string) => void;
  /** Where jobs, mail delivery, polls and the site report how they went, for `/healthz` (absent: nobody asks). */
  health?: HealthBoard;
  /**
   * This worker's name in the leases it takes, when several workers may share the database (worker/server.ts); an
   * admin's poll now takes the source's lease with it. Absent: nothing asked directly of this worker is leased.
   */
  holder?: string;
}
