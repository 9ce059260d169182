/**
 * Changes made by other workers on the same database reach this one's published snapshot within about a second: each
 * local change adds one to the shared counter (worker/coordination/change-version.ts; at most one write under way,
 * changes meanwhile folded into the next), and the counter is read every `pollMs`; when it moved by more than this
 * worker's own additions, `otherChanged` is called (the publisher reads the state again).
 */
import type { Database } from '../../db/client.ts';
import { bumpChangeVersion, readChangeVersion } from '../coordination/change-version.ts';
import type { Logger } from '../lib/logger.ts';

export interface SharedChangesOptions {
  db: Database;
  now: () => Date;
  logger: Logger;
  otherChanged: () => void;
  /** How often the counter is read (ms). */
  pollMs?: number;
}

export const DEFAULT_CHANGE_POLL_MS = 1_000;

export class SharedChanges {
  /** The counter as this worker last accounted for it. */
  private known = 0;
  private bumping: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(private readonly opts: SharedChangesOptions) {}

  /** Reads the counter once, then every `pollMs`. */
  async start(): Promise<void> {
    this.known = await readChangeVersion(this.opts.db);
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? DEFAULT_CHANGE_POLL_MS);
    this.timer.unref();
  }

  /** This worker changed something: the others are told through the counter. */
  local(): void {
    if (this.bumping) {
      this.again = true;
      return;
    }
    this.bumping = this.bump().finally(() => {
      this.bumping = null;
      if (this.again) {
        this.again = false;
        this.local();
      }
    });
  }

  /** Waits for the additions under way (stopping, tests). */
  async settled(): Promise<void> {
    while (this.bumping) await this.bumping;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async bump(): Promise<void> {
    try {
      const value = await bumpChangeVersion(this.opts.db, this.opts.now());
      // More than one up: someone else changed something since we last looked.
      if (value !== this.known + 1) this.opts.otherChanged();
      this.known = Math.max(this.known, value);
    } catch (error) {
      this.opts.logger.warn({ err: error }, 'the shared change counter could not be moved; other workers see this change within 10 minutes');
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || this.bumping) return;
    this.polling = true;
    try {
      const value = await readChangeVersion(this.opts.db);
      if (value > this.known && !this.bumping) {
        this.known = value;
        this.opts.otherChanged();
      }
    } catch (error) {
      this.opts.logger.warn({ err: error }, 'the shared change counter could not be read');
    } finally {
      this.polling = false;
    }
  }
}
