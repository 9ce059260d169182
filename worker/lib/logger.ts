import pino, { type DestinationStream, type Logger } from 'pino';
import { redactText } from './redact.ts';

export type { Logger };

/** Nesting walked at most when redacting what is logged (a log line's fields are shallow). */
const MAX_DEPTH = 6;

/** A logged value with every string's URL credentials and secret parameters redacted (errors kept as errors). */
function redacted(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (value instanceof Error) {
    const copy = new Error(redactText(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactText(value.stack);
    for (const [key, field] of Object.entries(value)) (copy as unknown as Record<string, unknown>)[key] = redacted(field, depth + 1);
    if (value.cause !== undefined) copy.cause = redacted(value.cause, depth + 1);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redacted(item, depth + 1));
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, redacted(field, depth + 1)]));
}

/**
 * Structured logs: one JSON line per event on stdout (or `destination`). Every line passes through the redaction of
 * URL credentials and secret parameters (worker/lib/redact.ts), whatever logged it.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'vigia' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method) {
        return method.apply(this, args.map((arg) => redacted(arg)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
