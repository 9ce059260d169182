import { setImmediate } from 'node:timers/promises';

/**
 * Lets the event loop turn once. The libsql driver frees a statement's native memory only on a later
 * turn, so a long loop of database calls inside one transaction (a fan-out to 100,000 subscribers)
 * yields between pages to keep memory flat.
 */
export const yieldToEventLoop = (): Promise<void> => setImmediate();
