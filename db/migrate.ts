import { migrate } from 'drizzle-orm/libsql/migrator';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

/**
 * Named from the project root, one level up: that is right from this file (db/) and from the compiled worker
 * (dist/worker.mjs), which has this module inside it.
 */
export const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** Applies every committed migration not yet applied; running it again is a no-op. */
export async function migrateDatabase(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder });
}
