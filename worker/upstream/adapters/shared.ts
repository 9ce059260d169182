/**
 * Helpers the JSON adapters share: reading a body, checking containers, validating rows one by one with zod so a
 * bad row is dropped and reported instead of failing the page.
 */
import { z } from 'zod';
import { describeValue, UpstreamFormatError } from '../errors.ts';
import type { ParseNotes } from '../notes.ts';
import { sniffContent } from '../sniff.ts';

/**
 * A body as the adapters accept it: text straight from the fetcher (parsed here as JSON), or an already-parsed value.
 * A string is always read as JSON text.
 */
export function readJsonBody(input: unknown, where: string): unknown {
  if (typeof input !== 'string') return input;
  const kind = sniffContent(input);
  if (kind === 'html') throw new UpstreamFormatError(`expected JSON at ${where}, got an HTML page`, where);
  if (kind === 'xml') throw new UpstreamFormatError(`expected JSON at ${where}, got XML`, where);
  if (kind === 'empty') throw new UpstreamFormatError(`expected JSON at ${where}, got an empty body`, where);
  try {
    return JSON.parse(input.replace(/^\ufeff/, '')) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unreadable';
    throw new UpstreamFormatError(`malformed JSON at ${where}: ${reason}`, where);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body must be an object holding at least one of `keys`; otherwise the page is not what we expected. */
export function requireObjectWith(value: unknown, keys: readonly string[], where: string): Record<string, unknown> {
  const wanted = keys.map((key) => `"${key}"`).join(' or ');
  if (!isPlainObject(value)) {
    throw new UpstreamFormatError(`expected an object with ${wanted} at ${where}, got ${describeValue(value)}`, where);
  }
  if (!keys.some((key) => Object.hasOwn(value, key))) {
    throw new UpstreamFormatError(`expected an object with ${wanted} at ${where}, got an object without them`, where);
  }
  return value;
}

/**
 * A list inside a container: missing or null reads as empty (several formats send null for "none"); any other
 * non-array is a broken page.
 */
export function listAt(container: Record<string, unknown>, key: string, where: string): unknown[] {
  const value = container[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new UpstreamFormatError(`expected "${key}" to be an array at ${where}, got ${describeValue(value)}`, where);
  }
  return value;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid row';
  const path = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/** Validates each row; bad rows are dropped and reported with their position. */
export function validRows<T>(
  rows: readonly unknown[],
  schema: z.ZodType<T>,
  where: string,
  notes: ParseNotes,
): { row: T; where: string }[] {
  const valid: { row: T; where: string }[] = [];
  rows.forEach((raw, index) => {
    const rowWhere = `${where}[${index}]`;
    const result = schema.safeParse(raw);
    if (result.success) valid.push({ row: result.data, where: rowWhere });
    else notes.dropped(rowWhere, firstIssue(result.error));
  });
  return valid;
}

/** Ids: strings, or numbers some clones send, as strings. */
export const idSchema = z.union([z.string().min(1).max(200), z.number().finite()]).transform((value) => String(value));

/** Any value, key may be missing; read with the lenient helpers (parseTimestamp, idsOf…). */
export const anything = z.unknown().optional();

/** An optional string field that tolerates junk: anything but a string reads as absent. */
export const looseString = z.unknown().optional().transform((value) => (typeof value === 'string' ? value : undefined));

/** An optional id list inside a row, e.g. `[{ id }]`; junk elements are ignored. */
export function idsOf(items: unknown, key = 'id'): string[] {
  if (!Array.isArray(items)) return [];
  const ids: string[] = [];
  for (const item of items) {
    if (!isPlainObject(item)) continue;
    const parsed = idSchema.safeParse(item[key]);
    if (parsed.success && !ids.includes(parsed.data)) ids.push(parsed.data);
  }
  return ids;
}

/** Keeps the first row for each key (callers order their sources by preference). */
export function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  const unique: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    unique.push(item);
  }
  return unique;
}
