import { createApp } from '../../worker/app.ts';
import type { Config } from '../../worker/config/load.ts';
import type { AppContext } from '../../worker/context.ts';
import { readEnv } from '../../worker/env.ts';
import { slaTargetsFromConfig } from '../../worker/incidents/targets.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { syncConfigToDatabase } from '../../worker/store/sync-config.ts';
import { memoryDatabase } from './db.ts';
import { testConfig } from './config.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A movable clock for tests. */
export function testClock(start: string | Date) {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at: string | Date) => {
      current = new Date(at);
    },
    advance: (ms: number) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/**
 * The real Hono app over a real in-memory libsql database, for `app.request()` tests.
 * `published` records every "published content changed" signal.
 */
export async function testApp(options: { config?: Config; now?: string | Date; env?: Record<string, string> } = {}) {
  const database = await memoryDatabase();
  const config = options.config ?? testConfig();
  const clock = testClock(options.now ?? '2026-11-20T15:00:00Z');
  const published: string[] = [];
  const ctx: AppContext = {
    db: database.db,
    config,
    env: readEnv({ ADMIN_TOKEN, ...options.env }),
    logger: createLogger('silent'),
    now: clock.now,
    publishedChanged: (reason) => published.push(reason),
  };
  await syncConfigToDatabase(database.db, config, clock.now());
  const http = createApp(ctx, { targets: slaTargetsFromConfig(config) });
  const request = (path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const token = init.token === undefined ? ADMIN_TOKEN : init.token;
    if (token && path.startsWith('/api/admin')) headers.set('authorization', `Bearer ${token}`);
    return http.request(path, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  };
  return { ctx, http, request, database, clock, published, close: () => database.close() };
}
