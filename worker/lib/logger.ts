import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured logs: one JSON line per event on stdout. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'vigia' }, timestamp: pino.stdTimeFunctions.isoTime });
}
