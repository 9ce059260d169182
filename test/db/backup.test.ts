import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, backupFileName, backupsToRemove, BackupError } from '../../db/backup.ts';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { ROOT_DIR } from '../../worker/server.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { fileDatabase } from '../helpers/db.ts';
import { startSqld } from '../helpers/sqld.ts';
import { spawnWorker, waitFor, type WorkerProcess } from '../mail/processes.ts';
import { outboxRows, queueNotices } from '../mail/support.ts';

const MESSAGES = 2_000;

/** `npm run backup` as an operator runs it, on the database named by `databaseUrl`. */
function runBackup(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'backup', '--', ...args], {
    cwd: ROOT_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

async function tableNames(handle: DatabaseHandle): Promise<string[]> {
  const result = await handle.client.execute("select name from sqlite_master where type = 'table' order by name");
  return result.rows.map((r) => String(r.name));
}

describe('backups', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigia-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names backups so they sort by time, and removes only the oldest backups beyond the number kept', () => {
    expect(backupFileName(new Date('2026-12-01T21:30:00.123Z'))).toBe('vigia-20261201T213000123Z.db');
    const names = ['vigia-20261201T213000123Z.db', 'notes.txt', 'vigia-20261130T000000000Z.db', 'vigia-20261202T000000000Z.db', 'vigia-20261202T000000000Z.db.partial'];
    expect(backupsToRemove(names, 2)).toEqual(['vigia-20261130T000000000Z.db']);
    expect(backupsToRemove(names, 5)).toEqual([]);
  });

  it('refuses a database that is neither a local file nor a libSQL server, and a missing file, with a clear message', async () => {
    await expect(backupDatabase({ url: ':memory:', dir })).rejects.toThrow(/only a local database file .* or a libSQL server .* can be backed up/);
    await expect(backupDatabase({ url: ':memory:', dir })).rejects.toBeInstanceOf(BackupError);
    await expect(backupDatabase({ url: `file:${join(dir, 'none.db')}`, dir })).rejects.toThrow(/no database file at/);

    const result = await runBackup(':memory:', ['--dir', dir]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('Backup failed: only a local database file');
  }, 60_000);

  it('keeps the newest --keep backups in VIGIA_BACKUP_DIR and leaves other files alone', async () => {
    const database = await fileDatabase();
    try {
      const backups = join(dir, 'backups');
      mkdirSync(backups);
      writeFileSync(join(backups, 'notes.txt'), 'kept');
      const old = ['vigia-20250101T000000000Z.db', 'vigia-20250102T000000000Z.db'];
      for (const name of old) writeFileSync(join(backups, name), '');

      const result = await runBackup(database.url, ['--keep', '2'], { VIGIA_BACKUP_DIR: backups });
      expect(result.code, result.output).toBe(0);
      const written = /Backup written: (\S+)/.exec(result.output)![1]!;
      expect(result.output).toContain(`Old backup removed: ${join(backups, old[0]!)}`);
      expect(readdirSync(backups).sort()).toEqual(['notes.txt', old[1]!, written.split('/').pop()!].sort());
    } finally {
      database.cleanup();
    }
  }, 60_000);

  const targets: Record<string, () => Promise<DatabaseHandle & { url: string; cleanup: () => unknown }>> = {
    'of a local file': fileDatabase,
    // Read table by table in one read transaction into a new file, which is then checked.
    'of a libSQL server': async () => {
      const server = await startSqld();
      const handle = openDatabase(server.url);
      await migrateDatabase(handle.db);
      return { ...handle, url: server.url, cleanup: () => (handle.close(), server.stop()) };
    },
  };

  for (const [target, open] of Object.entries(targets)) describe(`${target}, taken while a fan-out is being sent`, () => {
    let first: FakeResendServer;
    let second: FakeResendServer;
    let database: DatabaseHandle & { url: string; cleanup: () => unknown };
    const workers: WorkerProcess[] = [];

    beforeEach(async () => {
      database = await open();
      // The live provider, and the one the restored deployment talks to: what each was sent is counted apart.
      first = await startFakeResend({ latencyMs: 50 });
      second = await startFakeResend({ latencyMs: 10 });
    });
    afterEach(async () => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      workers.length = 0;
      await first.close();
      await second.close();
      await database.cleanup();
    });

    it('is whole and consistent, and a worker started on it sends what was pending, and nothing it had sent', async () => {
      await queueNotices(database.db, MESSAGES);
      const env = { RESEND_API_KEY: first.apiKey, WORKER_LEASE_MS: '2000', WORKER_TIMEOUT_MS: '1000' };
      // Two calls a second of 100 messages, about ten seconds of sending; one a second for the server, whose copy is
      // read over HTTP and takes longer.
      const rate = target === 'of a local file' ? '2' : '1';
      const live = spawnWorker({ ...env, DATABASE_URL: database.url, RESEND_BASE_URL: first.url, WORKER_RATE: rate, WORKER_OWNER: 'live' });
      workers.push(live);
      await waitFor(() => first.deliveries.length >= 300, 30_000, 'the fan-out to be under way');

      const backups = join(dir, 'backups');
      const result = await runBackup(database.url, ['--dir', backups]);
      expect(result.code, result.output).toBe(0);
      const backupPath = /Backup written: (\S+)/.exec(result.output)![1]!;
      expect(existsSync(`${backupPath}.partial`)).toBe(false);
      // The fan-out was still going when the backup was taken.
      expect(live.child.exitCode).toBeNull();
      live.child.kill('SIGKILL');
      await live.exited;

      // Restore: the file copied into place, as the README says.
      const restoredPath = join(dir, 'restored', 'vigia.db');
      mkdirSync(join(dir, 'restored'));
      copyFileSync(backupPath, restoredPath);
      const restored = openDatabase(`file:${restoredPath}`);
      let sentInBackup: Set<string>;
      let toSend: Set<string>;
      try {
        const integrity = await restored.client.execute('PRAGMA integrity_check');
        expect(integrity.rows.map((r) => r[0])).toEqual(['ok']);
        expect(await tableNames(restored)).toEqual(await tableNames(database));
        // Rows keep their rowids (some reads break ties by them): the outbox only had rows updated meanwhile.
        const rowids = async (handle: DatabaseHandle) => (await handle.client.execute('select rowid, id from outbox order by rowid')).rows.map((r) => `${r[0]} ${r[1]}`);
        expect(await rowids(restored)).toEqual(await rowids(database));
        const rows = await outboxRows(restored.db);
        expect(rows).toHaveLength(MESSAGES);
        sentInBackup = new Set(rows.filter((r) => r.state === 'sent').map((r) => r.target));
        toSend = new Set(rows.filter((r) => r.state !== 'sent').map((r) => r.target));
        expect(sentInBackup.size).toBeGreaterThan(0);
        expect(toSend.size).toBeGreaterThan(0);
      } finally {
        restored.close();
      }

      const resumed = spawnWorker({ ...env, DATABASE_URL: `file:${restoredPath}`, RESEND_BASE_URL: second.url, WORKER_RATE: '20', WORKER_OWNER: 'restored' });
      workers.push(resumed);
      expect(await resumed.exited, resumed.output()).toBe(0);

      const delivered = second.countsByRecipient();
      expect(new Set(delivered.keys())).toEqual(toSend);
      expect(second.duplicates('recipient')).toEqual([]);
      for (const target of sentInBackup) expect(delivered.has(target)).toBe(false);
      const check = openDatabase(`file:${restoredPath}`);
      try {
        expect((await outboxRows(check.db)).every((r) => r.state === 'sent')).toBe(true);
      } finally {
        check.close();
      }
    }, 120_000);
  });
});
