import { migrate } from 'drizzle-orm/libsql/migrator';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

/**
 * Named from the project root, one level up: that is right from this file (db/) and from the compiled worker
 * (dist/worker.mjs), which has this module inside it.
 */
export const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url));

/**
 * Applies every committed migration not yet applied; running it again is a no-op. Workers starting together on one
 * database (several replicas on a libSQL server) may each read that nothing is applied and each send the migrations:
 * they run as one transaction, so the one that comes second fails whole (its tables exist) and changes nothing, and a
 * second run then finds them applied. A migration that fails on its own fails again, and its first error is thrown.
 */
export async function migrateDatabase(db: Database): Promise<void> {
  try {
    await migrate(db, { migrationsFolder });
  } catch (error) {
    await migrate(db, { migrationsFolder }).catch(() => {
      throw error;
    });
  }
}
