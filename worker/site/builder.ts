import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { Coalescer } from '../lib/coalescer.ts';
import type { Logger } from '../lib/logger.ts';
import { precompressSite } from './precompress.ts';
import { StaticSite } from './static-site.ts';

/** Scratch folder for builds in progress, under the project root (ignored by git). */
export const BUILD_SCRATCH_DIR = '.vigia-site-builds';

/** Renames a folder, or copies it when the destination is on another file system. */
function moveDir(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    cpSync(from, `${to}.partial`, { recursive: true });
    renameSync(`${to}.partial`, to);
    rmSync(from, { recursive: true, force: true });
  }
}

export interface SiteBuilderOptions {
  /** Project root, where astro.config.mjs lives. */
  rootDir: string;
  /** Where finished builds are kept (`<dataDir>/site/<build id>`). */
  dataDir: string;
  /** The worker's own public API, read by the site at build time (may be set once the server listens). */
  apiUrl: string;
  logger: Logger;
  /** The language of the pages at the site's root (for the 404 page of visitors without a locale prefix). */
  defaultLocale?: string;
  /** Quiet period after a change before rebuilding, so a burst of changes costs one build. */
  quietMs?: number;
  /** The longest a change waits for a build to start under a continuous stream of changes. */
  maxWaitMs?: number;
  /** Awaited before each build, so the site reads every change published so far (the publisher settling). */
  beforeBuild?: () => Promise<void>;
  /** Runs the site generator into a folder (tests replace it); default: `astro build`. */
  generate?: (outDir: string) => Promise<void>;
}

/**
 * Builds the static Astro site from the worker's public API and swaps finished builds in atomically:
 * a build goes to a fresh folder and only then becomes current, so a visitor never reads a half-written site.
 * One build at a time; changes during a build trigger exactly one more.
 */
export class SiteBuilder {
  private site: StaticSite | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly coalescer: Coalescer;
  private pendingReasons = new Set<string>();
  /** The `astro build` process under way, if any. */
  private child: ReturnType<typeof spawn> | null = null;
  private stopping = false;
  private readonly buildsDir: string;
  private readonly pointerFile: string;
  /** Where the site reads the public API at build time. */
  apiUrl: string;
  lastBuild: { at: Date; ms: number; ok: boolean; error?: string } | null = null;

  constructor(private readonly opts: SiteBuilderOptions) {
    this.apiUrl = opts.apiUrl;
    this.buildsDir = resolve(opts.dataDir, 'site');
    this.pointerFile = join(this.buildsDir, 'CURRENT');
    mkdirSync(this.buildsDir, { recursive: true });
    this.coalescer = new Coalescer({
      quietMs: opts.quietMs ?? 1_000,
      maxWaitMs: opts.maxWaitMs ?? 3_000,
      run: () => {
        const reason = [...this.pendingReasons].slice(0, 5).join('; ');
        this.pendingReasons.clear();
        return this.build(reason);
      },
    });
  }

  /** Serves the last good build straight away (after a restart) while a fresh one is made. */
  async resume(): Promise<void> {
    if (!existsSync(this.pointerFile)) return;
    const previous = join(this.buildsDir, readFileSync(this.pointerFile, 'utf8').trim());
    if (!existsSync(join(previous, 'index.html'))) return;
    this.site = await StaticSite.load(previous, this.opts.defaultLocale);
  }

  /** The build being served, indexed, or null before the first build. */
  currentSite(): StaticSite | null {
    return this.site;
  }

  /**
   * Asks for a rebuild: after a quiet second, and never more than a few seconds after the first request it covers,
   * so a continuous stream of changes still reaches the page.
   */
  request(reason: string): void {
    this.pendingReasons.add(reason);
    this.coalescer.signal();
  }

  /**
   * Builds now, or once more right after the build under way (callers during a build share that one
   * follow-up build); resolves when a build that started after this call has finished.
   */
  build(reason = 'requested'): Promise<void> {
    if (this.queued) return this.queued;
    const start = () => {
      this.running = this.runBuild(reason).finally(() => {
        this.running = null;
      });
      return this.running;
    };
    if (!this.running) return start();
    this.queued = this.running.then(() => {
      this.queued = null;
      return start();
    });
    return this.queued;
  }

  /** Waits for any build in flight. */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued ?? this.running);
  }

  /** Stops scheduling builds and ends a build under way (its folder is discarded; the current build stays). */
  stop(): void {
    this.stopping = true;
    this.child?.kill('SIGTERM');
    this.coalescer.stop();
  }

  private async runBuild(reason: string): Promise<void> {
    if (this.stopping) return;
    const started = Date.now();
    const id = `build-${started}-${process.pid}`;
    // Astro keeps a build's intermediate modules inside its output folder only when that folder lies under the
    // project (they must resolve packages from node_modules); elsewhere it falls back to a shared `.astro/`, where two
    // builds at once (two processes, or parallel tests) overwrite each other. So every build gets its own folder
    // under the project, and the finished site is then moved to the data folder.
    const tmp = join(this.opts.rootDir, BUILD_SCRATCH_DIR, id);
    const final = join(this.buildsDir, id);
    try {
      await this.opts.beforeBuild?.();
      await (this.opts.generate ?? ((dir: string) => this.runAstro(dir)))(tmp);
      const compressed = await precompressSite(tmp);
      moveDir(tmp, final);
      const site = await StaticSite.load(final, this.opts.defaultLocale);
      const previous = this.site?.dir ?? null;
      this.site = site;
      writeFileSync(`${this.pointerFile}.tmp`, id);
      renameSync(`${this.pointerFile}.tmp`, this.pointerFile);
      this.cleanup([final, previous]);
      this.lastBuild = { at: new Date(), ms: Date.now() - started, ok: true };
      this.opts.logger.info({ reason, ms: this.lastBuild.ms, dir: final, files: compressed.files, bytes: compressed.bytes, br_bytes: compressed.brBytes }, 'site built');
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      this.lastBuild = { at: new Date(), ms: Date.now() - started, ok: false, error: (error as Error).message };
      if (this.stopping) this.opts.logger.info({ reason }, 'site build ended by shutdown');
      else this.opts.logger.error({ reason, err: error }, 'site build failed; the previous build stays online');
    }
  }

  /** Astro's command-line entry, resolved from the project (only when Astro is what builds the site). */
  get astroBin(): string {
    return join(dirname(createRequire(join(this.opts.rootDir, 'package.json')).resolve('astro/package.json')), 'astro.js');
  }

  private runAstro(outDir: string): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [this.astroBin, 'build', '--outDir', outDir, '--silent'], {
        cwd: this.opts.rootDir,
        env: { ...process.env, VIGIA_API_URL: this.apiUrl, ASTRO_TELEMETRY_DISABLED: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4_000);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      this.child = child;
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        this.child = null;
        if (code === 0) resolvePromise();
        else reject(new Error(signal ? `astro build ended by ${signal}` : `astro build exited with ${code}: ${output.trim()}`));
      });
    });
  }

  /** Removes builds other than the ones named (the new one and the one visitors may still be reading). */
  private cleanup(keep: (string | null)[]) {
    for (const name of readdirSync(this.buildsDir)) {
      const path = join(this.buildsDir, name);
      if (name === 'CURRENT' || keep.includes(path) || name.endsWith('.partial')) continue;
      rmSync(path, { recursive: true, force: true });
    }
  }
}
