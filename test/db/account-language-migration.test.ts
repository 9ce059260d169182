/**
 * Migration 0014: accounts get a language of their own. Accounts made before it keep everything they had and have no
 * language yet (their console and mail stay in the site's default language until they choose one).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../db/migrate.ts';
import { accountOf } from '../../worker/accounts/service.ts';

describe('migration 0014: account language', () => {
  const earlierFolder = mkdtempSync(join(tmpdir(), 'vigia-migrations-'));
  afterAll(() => rmSync(earlierFolder, { recursive: true, force: true }));

  it('adds an empty language to the accounts already there, keeping the rest', async () => {
    cpSync(migrationsFolder, earlierFolder, { recursive: true });
    const journalPath = join(earlierFolder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === '0014_account_language'));
    writeFileSync(journalPath, JSON.stringify(journal));

    const database = openDatabase(':memory:');
    await migrate(database.db, { migrationsFolder: earlierFolder });
    await database.client.execute(
      `insert into admin_accounts (id, email, name, role, password_hash, totp_enabled, created_at, updated_at)
       values ('a1', 'ana@example.com', 'Ana', 'owner', 'scrypt$x', 0, 0, 0)`,
    );

    await migrateDatabase(database.db);
    await expect(accountOf(database.db, 'a1')).resolves.toMatchObject({ email: 'ana@example.com', role: 'owner', active: true, language: null });
    await database.client.execute(`update admin_accounts set language = 'en' where id = 'a1'`);
    await expect(accountOf(database.db, 'a1')).resolves.toMatchObject({ language: 'en' });
    database.client.close();
  });
});
