/**
 * `npm run backup [-- --dir <folder>] [-- --keep <n>]`: writes a consistent copy of the database named by
 * DATABASE_URL (a local file, or a libSQL server with DATABASE_AUTH_TOKEN if it asks for one) while workers run, and prints what it wrote and removed. The folder is `--dir`, else
 * VIGIA_BACKUP_DIR, else ./data/backups.
 */
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { BackupError, backupDatabase } from './backup.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, keep: { type: 'string' } }, strict: true });
  const dir = values.dir ?? process.env.VIGIA_BACKUP_DIR ?? './data/backups';
  const keep = values.keep === undefined ? undefined : Number(values.keep);
  const result = await backupDatabase({ url: process.env.DATABASE_URL ?? 'file:./data/vigia.db', authToken: process.env.DATABASE_AUTH_TOKEN, dir, keep });
  process.stdout.write(`Backup written: ${result.path} (${result.bytes} bytes)\n`);
  for (const old of result.removed) process.stdout.write(`Old backup removed: ${old}\n`);
}

main().catch((error: unknown) => {
  const known = error instanceof BackupError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  process.stderr.write(`Backup failed: ${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
