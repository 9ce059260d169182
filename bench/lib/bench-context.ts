import type { DatabaseHandle } from '../../db/client.ts';
import type { Config } from '../../worker/config/load.ts';
import type { AppContext } from '../../worker/context.ts';
import { readEnv } from '../../worker/env.ts';
import { createLogger } from '../../worker/lib/logger.ts';

/** The context a benchmark's in-process worker runs with: silent, on the real clock, private addresses allowed. */
export function benchContext(database: DatabaseHandle, config: Config, publishedChanged: () => void = () => {}): AppContext {
  return {
    db: database.db,
    config,
    // The fake servers listen on 127.0.0.1: the bench opts into private addresses.
    env: readEnv({ ADMIN_TOKEN: 'bench-token-0123456789abcdef', VIGIA_ALLOW_PRIVATE_NETWORKS: '1' }),
    logger: createLogger('silent'),
    now: () => new Date(),
    publishedChanged,
  };
}
