import { fork, type ChildProcess } from 'node:child_process';
import type { RenderProgress, RenderReply, RenderRequest } from '../../site/renderer/protocol.ts';
import type { Logger } from '../lib/logger.ts';

/** What the site renderer needs of a page renderer: the process below, or a stand-in in tests. */
export interface PageRenderer {
  /**
   * Renders pages for a published-state version; `list` also returns every page the site has for it. With
   * `onProgress`, the list and each page may come through it as soon as they are ready, and not in the reply.
   */
  render(version: number, paths: string[], list?: boolean, onProgress?: (progress: RenderProgress) => void): Promise<Pick<RenderReply, 'pages' | 'paths' | 'timings'>>;
  stop(): void;
}

/**
 * The site renderer's child process (the server entry of the renderer build, site/renderer/entry.ts): started on
 * first use, asked over its IPC channel, started again if it dies. Rendering happens there, so a large page never
 * holds up the worker's event loop and Astro's memory is not the worker's.
 */
export class RenderProcess implements PageRenderer {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: RenderReply) => void; reject: (error: Error) => void; progress?: (progress: RenderProgress) => void }>();
  private stopped = false;

  constructor(
    private readonly opts: {
      /** `server/entry.mjs` of the renderer build. */
      entry: string;
      /** The worker's public API, which pages read. */
      apiUrl: () => string;
      logger: Logger;
    },
  ) {}

  async render(version: number, paths: string[], list = false, onProgress?: (progress: RenderProgress) => void): Promise<Pick<RenderReply, 'pages' | 'paths' | 'timings'>> {
    await this.start();
    const id = this.nextId++;
    const reply = await new Promise<RenderReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress: onProgress });
      const request: RenderRequest = { id, version, paths, list, stream: onProgress !== undefined };
      this.child!.send(request, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
    if (reply.error) throw new Error(`site renderer: ${reply.error}`);
    return reply;
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill('SIGTERM');
    this.fail(new Error('site renderer stopped'));
  }

  private start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('site renderer stopped'));
    this.ready ??= new Promise<void>((resolve, reject) => {
      const child = fork(this.opts.entry, [], {
        env: { ...process.env, VIGIA_API_URL: this.opts.apiUrl(), ASTRO_TELEMETRY_DISABLED: '1' },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Pages are MBs of HTML: V8's serialiser copies them, where JSON would escape and parse every quote.
        serialization: 'advanced',
        // A renderer of its own size: pages of a large site are a few MB of HTML at most. A rendering makes a great
        // many short-lived objects: a young generation of 32 MB (16 by default) spares a quarter or more of its CPU,
        // which went to collecting them. A worker run with --cpu-prof has its renderer profiled too.
        execArgv: [...process.execArgv.filter((a) => a.startsWith('--cpu-prof')), '--max-old-space-size=512', '--max-semi-space-size=32'],
      });
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4_000);
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      child.on('message', (message: RenderReply | RenderProgress | { ready: true }) => {
        if ('ready' in message) return resolve();
        if ('progress' in message) return this.pending.get(message.id)?.progress?.(message);
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        waiter?.resolve(message);
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        this.child = null;
        this.ready = null;
        const error = new Error(`site renderer exited (${signal ?? code}): ${output.trim().slice(-1_000)}`);
        reject(error);
        this.fail(error);
        if (!this.stopped) this.opts.logger.error({ code, signal }, 'site renderer exited; it starts again on the next render');
      });
      this.child = child;
    });
    return this.ready;
  }

  private fail(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
