import { createApp } from '../../worker/app.ts';
import type { Config } from '../../worker/config/load.ts';
import type { AppContext } from '../../worker/context.ts';
import { readEnv } from '../../worker/env.ts';
import { slaTargetsFromConfig } from '../../worker/incidents/targets.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { Publisher } from '../../worker/publish/publisher.ts';
import { syncConfigToDatabase } from '../../worker/store/sync-config.ts';
import { memoryDatabase } from './db.ts';
import { testConfig } from './config.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The bindings @hono/node-server would give a request whose socket peer is a proxy on loopback. */
const PROXY_SOCKET = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };

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
 * With `publishOnRead` (the default), a GET outside the admin API first republishes the snapshot, so a test reads what
 * it just wrote and what its moved clock implies; tests of publishing itself turn it off and wait for the publisher.
 */
export async function testApp(options: { config?: Config; now?: string | Date; env?: Record<string, string>; publishOnRead?: boolean } = {}) {
  const database = await memoryDatabase();
  const config = options.config ?? testConfig();
  const clock = testClock(options.now ?? '2026-11-20T15:00:00Z');
  const published: string[] = [];
  const logger = createLogger('silent');
  const publishOnRead = options.publishOnRead ?? true;
  const publisher = new Publisher({ db: database.db, config, now: clock.now, logger, scheduled: !publishOnRead });
  const ctx: AppContext = {
    db: database.db,
    config,
    // Requests arrive as if through a reverse proxy on loopback, so tests tell clients apart by X-Forwarded-For.
    env: readEnv({ ADMIN_TOKEN, TRUSTED_PROXIES: '127.0.0.1', ...options.env }),
    logger,
    now: clock.now,
    publishedChanged: (reason) => {
      published.push(reason);
      publisher.changed(reason);
    },
  };
  await syncConfigToDatabase(database.db, config, clock.now());
  const http = createApp(ctx, { targets: slaTargetsFromConfig(config), publisher });
  const request = async (path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}) => {
    if (publishOnRead && (init.method ?? 'GET') === 'GET' && !path.startsWith('/api/admin')) await publisher.rebuildNow();
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const token = init.token === undefined ? ADMIN_TOKEN : init.token;
    if (token && path.startsWith('/api/admin')) headers.set('authorization', `Bearer ${token}`);
    return http.request(path, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body }, PROXY_SOCKET);
  };
  return {
    ctx,
    http,
    request,
    database,
    clock,
    published,
    publisher,
    close: async () => {
      await publisher.stop();
      database.close();
    },
  };
}
