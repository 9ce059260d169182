/**
 * Migration 0012: a subscription at `min_severity` 4, the top of the earlier 1–4 scale ("every incident"), becomes 9
 * so that it still means every incident under a policy of more levels; the others keep their level.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../db/migrate.ts';
import { insertSubscriber } from '../notices/fixtures.ts';

describe('migration 0012: every incident', () => {
  const earlierFolder = mkdtempSync(join(tmpdir(), 'vigia-migrations-'));
  afterAll(() => rmSync(earlierFolder, { recursive: true, force: true }));

  it('moves min_severity 4 to 9 on e-mail and channel subscriptions, and leaves 1–3 as they were', async () => {
    cpSync(migrationsFolder, earlierFolder, { recursive: true });
    const journalPath = join(earlierFolder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === '0012_every_incident'));
    writeFileSync(journalPath, JSON.stringify(journal));

    const database = openDatabase(':memory:');
    await migrate(database.db, { migrationsFolder: earlierFolder });
    for (const level of [1, 2, 3, 4]) await insertSubscriber(database.db, { email: `s${level}@example.com`, minSeverity: level });
    await database.client.execute(
      `insert into channel_subscriptions (id, channel, url, status, locale, timezone, incident_notices, min_severity, created_at, updated_at)
       values ('c4', 'slack', 'https://hooks.slack.com/services/T/B/4', 'confirmed', 'es', 'America/Bogota', 1, 4, 0, 0),
              ('c2', 'slack', 'https://hooks.slack.com/services/T/B/2', 'confirmed', 'es', 'America/Bogota', 1, 2, 0, 0)`,
    );

    await migrateDatabase(database.db);
    const emails = await database.client.execute('select email, min_severity from subscribers order by email');
    expect(emails.rows.map((r) => [r.email, r.min_severity])).toEqual([['s1@example.com', 1], ['s2@example.com', 2], ['s3@example.com', 3], ['s4@example.com', 9]]);
    const channels = await database.client.execute('select id, min_severity from channel_subscriptions order by id');
    expect(channels.rows.map((r) => [r.id, r.min_severity])).toEqual([['c2', 2], ['c4', 9]]);
    database.client.close();
  });
});
