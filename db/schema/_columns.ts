import { integer } from 'drizzle-orm/sqlite-core';

/**
 * Every instant is stored as integer milliseconds since the Unix epoch (UTC):
 * unambiguous, sortable, and free of the text-format drift of ISO strings.
 */
export const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });
