import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { openDatabase, tuneLocalDatabase, type DatabaseHandle } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { ensureTrialOwner } from './accounts/service.ts';
import { createApp } from './app.ts';
import { loadConfigFile, type Config } from './config/load.ts';
import type { AppContext } from './context.ts';
import { deliveryChannels } from './delivery/channels.ts';
import { readEnv, type Env } from './env.ts';
import { slaTargetsFromConfig } from './incidents/targets.ts';
import { newHolderId } from './coordination/holder.ts';
import { releaseLeasesOf } from './coordination/leases.ts';
import { startJobs } from './jobs/index.ts';
import type { Job } from './jobs/every.ts';
import { HealthBoard } from './lib/health.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { securityPolicyFor } from './lib/security-headers.ts';
import { fastPathListener } from './http/fast-path.ts';
import { Publisher } from './publish/publisher.ts';
import { SharedChanges } from './publish/shared-changes.ts';
import { RenderProcess } from './site/render-process.ts';
import { ensureRendererBuild } from './site/renderer-build.ts';
import { SiteLease } from './site/site-lease.ts';
import { SiteRenderer } from './site/site-renderer.ts';
import { siteRoutes } from './site/serve.ts';
import { ConfigError } from './config/errors.ts';
import { syncConfigToDatabase } from './store/sync-config.ts';
import { syncTeamChannels, teamChannelSecrets } from './subscribers/team-channels.ts';
import { createUpstreamWatch, type UpstreamWatch } from './upstream/scheduler.ts';

/** The project root: one level up from this file (worker/) and from the compiled worker (dist/worker.mjs). */
export const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Already-loaded config (tests); otherwise read from VIGIA_CONFIG. */
  config?: Config;
  logger?: Logger;
  now?: () => Date;
}

/** The first owner of a trial run signs in with this address. */
export const TRIAL_OWNER_EMAIL = 'admin@vigia.localhost';

export interface RunningVigia {
  url: string;
  port: number;
  app: AppContext;
  env: Env;
  database: DatabaseHandle;
  site: SiteRenderer | null;
  /** The published snapshot every public document is served from. */
  publisher: Publisher;
  jobs: Job[];
  /** The upstream poll scheduler (with VIGIA_JOBS=1). */
  upstream: UpstreamWatch | null;
  /** Set when ADMIN_TOKEN was not configured and one was generated for this run. */
  generatedAdminToken: string | null;
  /** The first owner made for a trial run (no ADMIN_TOKEN configured and no account yet), with its password. */
  trialOwner: { email: string; password: string } | null;
  close(): Promise<void>;
}

/**
 * Starts Vigía: database (created and migrated), config, HTTP server (API + site), background jobs,
 * and the first site build. Used by `npm start` and by the start-up tests.
 */
export async function startVigia(options: StartOptions = {}): Promise<RunningVigia> {
  const rawEnv = options.env ?? process.env;
  const generatedAdminToken = rawEnv.ADMIN_TOKEN ? null : randomBytes(24).toString('base64url');
  const env = readEnv({ ...rawEnv, ...(generatedAdminToken ? { ADMIN_TOKEN: generatedAdminToken } : {}) });
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const loaded = options.config ?? loadConfigFile(resolve(ROOT_DIR, env.VIGIA_CONFIG));
  // PUBLIC_URL (the deployment's address) wins over the file's site.url, so one file serves every environment.
  const config = env.PUBLIC_URL ? { ...loaded, site: { ...loaded.site, url: env.PUBLIC_URL } } : loaded;
  const now = options.now ?? (() => new Date());

  // The team channels' webhook secrets live in the environment, never in the file: a missing one stops start-up.
  const teamSecrets = teamChannelSecrets(config.notifications.team_channels, rawEnv);
  if (teamSecrets.problems.length) throw new ConfigError(env.VIGIA_CONFIG, teamSecrets.problems);

  const database = openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  await tuneLocalDatabase(database.client, env.DATABASE_URL);
  await migrateDatabase(database.db);
  const synced = await syncConfigToDatabase(database.db, config, now());
  await syncTeamChannels(database.db, config, teamSecrets.secrets, now());
  // A trial run (no ADMIN_TOKEN chosen) gets an owner to sign in with; a deployment makes its first with ADMIN_TOKEN.
  const trialOwner = generatedAdminToken ? await ensureTrialOwner(database.db, TRIAL_OWNER_EMAIL, now()) : null;
  for (const removed of synced.removedSources) {
    logger.warn(removed, 'source removed from the config: its open incidents were resolved and its windows cancelled');
  }

  // A change of what the public sees is published (coalesced); when a document the pages read really changed, the
  // site's pages follow.
  let site: SiteRenderer | null = null;
  let siteApiUrl = '';
  // This worker's name in the leases it takes (sources, job ticks, the site's rendering).
  const holder = newHolderId();
  // With several workers on the database, one of them renders the site after a change and the others load its pages.
  const siteLease = env.VIGIA_BUILD_SITE === '1' ? new SiteLease({ db: database.db, holder, now, logger }) : null;
  const health = new HealthBoard(now);
  if (env.VIGIA_BUILD_SITE !== '1') health.disable('site');
  if (env.VIGIA_JOBS !== '1') for (const part of ['jobs', 'mail', 'upstream'] as const) health.disable(part);
  const publisher = new Publisher({ db: database.db, config, now, logger, onChange: (paths) => site?.published(paths) });
  if (env.VIGIA_BUILD_SITE === '1') {
    site = new SiteRenderer({
      logger,
      defaultLocale: config.site.default_locale,
      security: securityPolicyFor(config.site.url),
      health,
      beforeRender: () => publisher.settled(),
      shared: siteLease?.shared,
      prepare: async () => {
        const build = await ensureRendererBuild({ rootDir: ROOT_DIR, logger });
        return { renderer: new RenderProcess({ entry: build.entry, apiUrl: () => siteApiUrl, logger }), assetsDir: build.clientDir };
      },
    });
  }
  // Other workers on the database learn of this one's changes through a shared counter, and this one of theirs.
  const shared = new SharedChanges({ db: database.db, now, logger, otherChanged: () => publisher.changed('changed by another worker') });
  const app: AppContext = {
    db: database.db,
    config,
    env,
    logger,
    now,
    publishedChanged: (reason) => {
      publisher.changed(reason);
      shared.local();
    },
    health,
    holder,
  };
  await shared.start();
  await publisher.start();
  const http = createApp(app, {
    targets: slaTargetsFromConfig(config),
    publisher,
    site: site ? siteRoutes(() => site?.served() ?? null) : undefined,
  });

  const server: Server = createServer(
    { keepAliveTimeout: 65_000 },
    fastPathListener({ publisher, site: () => site?.served() ?? null, fallback: getRequestListener(http.fetch) }),
  );
  await new Promise<void>((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, () => {
      server.off('error', reject);
      resolveServer();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST}:${port}`;

  if (site) {
    siteApiUrl = `http://127.0.0.1:${port}`;
    await site.build('start-up');
    await siteLease?.start(site);
  }
  const dataDir = resolve(ROOT_DIR, env.VIGIA_DATA_DIR);
  const channels = deliveryChannels(app, { dataDir });
  const jobs = env.VIGIA_JOBS === '1' ? startJobs(app, { mail: { channels, dataDir }, http: { channels }, holder }) : [];
  const upstream = env.VIGIA_JOBS === '1' ? createUpstreamWatch(app, { holder }) : null;
  upstream?.start();

  return {
    url,
    port,
    app,
    env,
    database,
    site,
    publisher,
    jobs,
    upstream,
    generatedAdminToken,
    trialOwner,
    async close() {
      await siteLease?.stop();
      site?.stop();
      // No new connections from here on; requests under way are answered, idle keep-alive connections are dropped.
      const serverClosed = new Promise<void>((r) => server.close(() => r()));
      // A keep-alive connection busy now becomes idle once answered: dropped then too, or `close()` would wait for it.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      server.closeIdleConnections();
      // Jobs end their run under way (a mail batch mid-call is settled) and hand back the claims they did not start.
      // Upstream requests under way are aborted and what is being written finishes before the database closes.
      // A hand-back that fails (the database busy with another worker's writes past the busy timeout) is logged, not
      // fatal: what was not handed back is leased, and passes to another worker when the lease runs out.
      const stopped = await Promise.allSettled([...jobs.map((j) => j.stop()), upstream?.stop()]);
      for (const failed of stopped) if (failed.status === 'rejected') logger.warn({ err: failed.reason }, 'a job did not hand back what it held; its lease runs out by itself');
      await site?.idle();
      shared.stop();
      await shared.settled();
      // Whatever lease is left (a job's tick) is handed back, so the others need not wait for it to run out.
      await releaseLeasesOf(database.db, holder).catch((error: unknown) => logger.warn({ err: error }, 'leases not handed back; they run out by themselves'));
      await publisher.stop();
      await serverClosed;
      clearInterval(idleSweep);
      database.close();
    },
  };
}
