import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './_columns.ts';

/**
 * Who does a piece of shared work, and until when, when several workers share one database: polling a source
 * (`source:<id>`), a scheduled job's tick (`job:<name>`), the site's rendering (`site`), a worker that is alive to take
 * its share of the polls (`poller:<holder>`). A lease is taken with one statement that succeeds only when nobody holds
 * it or its holder let it expire, so two workers never both hold it; a worker that dies simply stops renewing, and the
 * work passes to another once `expires_at` has gone by. Written by `worker/coordination/` alone.
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  /** The worker holding it: host, process id and a random part, new on every start. */
  holder: text('holder').notNull(),
  expiresAt: instant('expires_at').notNull(),
});
