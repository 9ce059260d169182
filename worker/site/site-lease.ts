/**
 * One rendering of the site per change across the workers on a database: the worker holding the `site` lease renders
 * the always-current pages after a change and stores them (worker/coordination/site-rendering.ts); every other worker
 * reads the stored version every `tickMs` and, when it moved, serves those pages without rendering them. The lease is
 * renewed every tick and lasts `leaseMs`: when its holder dies, another worker takes it within `leaseMs + tickMs` and
 * renders at once, so a change the dead holder had not rendered yet is not lost.
 */
import type { Database } from '../../db/client.ts';
import { claimLease } from '../coordination/leases.ts';
import { readSiteRendering, readSiteRenderingVersion, saveSiteRendering, SITE_LEASE } from '../coordination/site-rendering.ts';
import type { Logger } from '../lib/logger.ts';
import type { RenderedPage } from '../../site/renderer/protocol.ts';
import type { SiteRenderer } from './site-renderer.ts';

export interface SiteLeaseOptions {
  db: Database;
  holder: string;
  now: () => Date;
  logger: Logger;
  /** How often the lease is renewed (or tried for) and the stored version read (ms). */
  tickMs?: number;
  /** How long the lease lasts without being renewed (ms). */
  leaseMs?: number;
}

export const DEFAULT_SITE_TICK_MS = 1_000;
export const DEFAULT_SITE_LEASE_MS = 5_000;

export class SiteLease {
  private holds = false;
  /** The stored rendering this worker serves (or rendered itself). */
  private known = 0;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private site: SiteRenderer | null = null;

  constructor(private readonly opts: SiteLeaseOptions) {}

  /** What the site renderer is given: whether this worker renders changes now, and where its pages go. */
  readonly shared = {
    renders: (): boolean => this.holds,
    rendered: async (paths: string[], pages: RenderedPage[]): Promise<void> => {
      this.known = await saveSiteRendering(this.opts.db, this.opts.holder, this.opts.now(), paths, pages);
    },
  };

  /** Whether this worker holds the lease now. */
  get holder(): boolean {
    return this.holds;
  }

  /**
   * Tries for the lease once (the site was just rendered here: what is stored is not newer), then every tick. A worker
   * alone on its database holds it from here on, so it renders every change as before.
   */
  async start(site: SiteRenderer): Promise<void> {
    this.site = site;
    this.known = await readSiteRenderingVersion(this.opts.db);
    this.holds = await this.claim();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = null));
    }, this.opts.tickMs ?? DEFAULT_SITE_TICK_MS);
    this.timer.unref();
  }

  /** Stops ticking; the lease is handed back with the worker's others (worker/server.ts). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    this.holds = false;
  }

  private claim(): Promise<boolean> {
    const now = this.opts.now();
    return claimLease(this.opts.db, SITE_LEASE, this.opts.holder, now, new Date(now.getTime() + (this.opts.leaseMs ?? DEFAULT_SITE_LEASE_MS)));
  }

  private async tick(): Promise<void> {
    try {
      const held = this.holds;
      this.holds = await this.claim();
      if (this.holds && !held) {
        this.opts.logger.info({ holder: this.opts.holder }, 'took over the site rendering');
        this.site?.request('took over the site rendering');
        return;
      }
      if (this.holds) return;
      const version = await readSiteRenderingVersion(this.opts.db);
      if (version === this.known) return;
      const rendering = await readSiteRendering(this.opts.db);
      if (!rendering || !this.site) return;
      this.known = rendering.version;
      await this.site.adoptShared(rendering.paths, rendering.pages);
    } catch (error) {
      this.opts.logger.warn({ err: error }, 'the site lease or the shared rendering could not be read; trying again in a second');
    }
  }
}
