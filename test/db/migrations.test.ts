import { describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/migrate.ts';
import { fileDatabase, memoryDatabase } from '../helpers/db.ts';

const EXPECTED_TABLES = [
  'component_sources',
  'components',
  'incident_components',
  'incident_updates',
  'incidents',
  'maintenance_components',
  'maintenance_notices',
  'maintenance_updates',
  'maintenances',
  'outbox',
  'outbox_batches',
  'severity_changes',
  'source_http_cache',
  'source_unknown_periods',
  'sources',
  'subscriber_components',
  'subscribers',
  'worker_state',
];

describe('migrations', () => {
  it('create the whole schema on an empty database', async () => {
    const { client, close } = await memoryDatabase();
    const result = await client.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'");
    const tables = result.rows.map((r) => String(r.name));
    expect(tables).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    close();
  });

  it('are idempotent: migrating a migrated file database again changes nothing', async () => {
    const database = await fileDatabase();
    const count = async () => Number((await database.client.execute('select count(*) as n from __drizzle_migrations')).rows[0]!.n);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await migrateDatabase(database.db);
    expect(await count()).toBe(before);
    database.cleanup();
  });

  it('store instants as integer milliseconds (UTC)', async () => {
    const { client, close } = await memoryDatabase();
    const columns = await client.execute("select name, type from pragma_table_info('incidents') where name in ('started_at', 'resolved_at')");
    expect(columns.rows.map((r) => String(r.type).toLowerCase())).toEqual(['integer', 'integer']);
    close();
  });
});
