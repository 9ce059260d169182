import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../worker/lib/logger.ts';
import { BUILD_SCRATCH_DIR, ensureRendererBuild } from '../../worker/site/renderer-build.ts';

/** A stand-in for `astro build` in renderer mode: the entry and one stylesheet, after a moment. */
function stubBuild() {
  let builds = 0;
  const build = async (outDir: string) => {
    builds++;
    await new Promise((r) => setTimeout(r, 50));
    mkdirSync(join(outDir, 'server'), { recursive: true });
    mkdirSync(join(outDir, 'client', '_astro'), { recursive: true });
    writeFileSync(join(outDir, 'server', 'entry.mjs'), 'export {};');
    writeFileSync(join(outDir, 'client', '_astro', 'site.css'), 'body { color: black; }\n'.repeat(100));
  };
  return { build, builds: () => builds };
}

describe('the renderer build', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const root = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigia-renderer-build-'));
    dirs.push(dir);
    return dir;
  };
  const logger = createLogger('silent');

  it('is built once for processes asking at the same time, precompressed, and reused afterwards', async () => {
    const rootDir = root();
    const stub = stubBuild();
    const [a, b] = await Promise.all([ensureRendererBuild({ rootDir, logger, hash: 'h1', build: stub.build }), ensureRendererBuild({ rootDir, logger, hash: 'h1', build: stub.build })]);
    expect(stub.builds()).toBe(1);
    expect(a.dir).toBe(b.dir);
    expect([a.built, b.built].sort()).toEqual([false, true]);
    expect(existsSync(join(a.clientDir, '_astro', 'site.css.br'))).toBe(true);
    expect(existsSync(join(a.clientDir, '_astro', 'site.css.gz'))).toBe(true);
    const again = await ensureRendererBuild({ rootDir, logger, hash: 'h1', build: stub.build });
    expect(again.built).toBe(false);
    expect(stub.builds()).toBe(1);
    // Other sources: a new build, and the old one removed; no lock or scratch folder left behind.
    await ensureRendererBuild({ rootDir, logger, hash: 'h2', build: stub.build });
    expect(readdirSync(join(rootDir, BUILD_SCRATCH_DIR))).toEqual(['renderer-h2']);
  });

  it('takes over the lock of a process that died while building', async () => {
    const rootDir = root();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    const lock = join(rootDir, BUILD_SCRATCH_DIR, 'renderer-h1.lock');
    mkdirSync(lock, { recursive: true });
    writeFileSync(join(lock, 'pid'), String(dead));
    const stub = stubBuild();
    const build = await ensureRendererBuild({ rootDir, logger, hash: 'h1', build: stub.build, timeoutMs: 30_000 });
    expect(build.built).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it('leaves nothing half-made when the build fails', async () => {
    const rootDir = root();
    await expect(
      ensureRendererBuild({
        rootDir,
        logger,
        hash: 'h1',
        build: async (out) => {
          mkdirSync(out, { recursive: true });
          throw new Error('astro build exited with 1: syntax error');
        },
      }),
    ).rejects.toThrow(/syntax error/);
    expect(readdirSync(join(rootDir, BUILD_SCRATCH_DIR))).toEqual([]);
  });
});
