import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { describeZodError } from '../lib/zod-issues.ts';
import { LOCALES } from '../config/schema.ts';
import type { AppContext } from '../context.ts';
import { InvalidInputError } from '../core/errors.ts';
import { newId } from '../lib/ids.ts';
import { emailSchema } from './address.ts';
import { localeSchema, timeZoneSchema } from './preferences.ts';
import { activeComponents, insertImportedSubscribers, setComponents, updateSubscriber, type SubscriberRow } from './store.ts';
import { yieldToEventLoop } from '../lib/event-loop.ts';
import { groupBy } from '../lib/group-by.ts';

export const DEFAULT_CONSENT_SOURCE = 'admin-import';
/** Rows of a JSON import (its body is parsed whole, so it is bounded by its size too). */
export const MAX_IMPORT_ROWS = 50_000;
/** Rows of a CSV import (read as it arrives). */
export const MAX_CSV_IMPORT_ROWS = 200_000;
/** Rows written per transaction: a few milliseconds of the database's time. */
export const IMPORT_BATCH_ROWS = 50;
/** The longest reading and checking rows goes on before requests waiting are let in. */
const SLICE_MS = 2;
/** Errors listed in the answer; the rest are counted in `errors_omitted`. */
export const MAX_LISTED_ERRORS = 1_000;
export const CSV_COLUMNS = ['email', 'components', 'locale', 'timezone'] as const;

/** One subscriber to import; `row` is how the admin finds it again (array position from 1, or CSV line). */
export interface ImportRow {
  row: number;
  fields: Record<string, unknown>;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; message: string }[];
  /** Errors beyond the first MAX_LISTED_ERRORS, counted only. */
  errors_omitted?: number;
}

const rowSchema = z.strictObject({
  email: emailSchema,
  components: z
    .array(z.string().trim().min(1).max(64), { error: 'must be a list of component ids' })
    .max(500)
    .transform((ids) => [...new Set(ids)].sort())
    .optional(),
  locale: localeSchema(LOCALES).optional(),
  timezone: timeZoneSchema.optional(),
});

/** The JSON form: `{ "subscribers": [...], "consent_source"?: "…" }`. Rows are checked one by one later. */
export const importBodySchema = z.strictObject({
  subscribers: z.array(z.unknown()).max(MAX_IMPORT_ROWS, { error: `at most ${MAX_IMPORT_ROWS} subscribers per import` }),
  consent_source: z.string().trim().min(1).max(200).optional(),
});

export const consentSourceSchema = z.string().trim().min(1).max(200);

/**
 * The CSV form, read as it arrives: a header row naming `email` and any of components, locale, timezone; components
 * split by `;` or `|`. Rows come out one by one (with their line), so a list of any length is never held whole.
 */
const PARSE_PIECE_BYTES = 8 * 1024;

export async function* csvRows(input: AsyncIterable<Uint8Array | string>, maxRows = MAX_CSV_IMPORT_ROWS): AsyncGenerator<ImportRow> {
  const parser = parseCsv({ info: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true });
  // The source's own errors (a body over its limit, a dropped connection) end the parser and are answered as they are.
  let sourceError: unknown = null;
  async function* watched() {
    try {
      // csv-parse reads a whole chunk in one go: small pieces keep each step short.
      for await (const chunk of input) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        for (let at = 0; at < bytes.length; at += PARSE_PIECE_BYTES) yield bytes.subarray(at, at + PARSE_PIECE_BYTES);
      }
    } catch (error) {
      sourceError = error;
      throw error;
    }
  }
  pipeline(Readable.from(watched()), parser, () => {});
  let columns: string[] | null = null;
  let count = 0;
  try {
    // With `info: true` each record comes with its line; csv-parse's types do not model that option.
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = checkedHeader(record);
        continue;
      }
      if (++count > maxRows) {
        throw new InvalidInputError('too_many_rows', `at most ${maxRows} subscribers per import; the rows before line ${info.lines} were imported, send the rest separately`);
      }
      yield rowOf(columns, record, info.lines);
    }
  } catch (error) {
    if (sourceError) throw sourceError;
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError('invalid_csv', `the CSV cannot be read: ${(error as Error).message}`);
  } finally {
    parser.destroy();
  }
  if (sourceError) throw sourceError;
  if (!columns) throw new InvalidInputError('invalid_csv', `the CSV is empty; its first row must name the columns (${CSV_COLUMNS.join(',')})`);
}

function checkedHeader(record: string[]): string[] {
  const columns = record.map((name) => name.toLowerCase());
  const unknown = columns.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length || !columns.includes('email')) {
    throw new InvalidInputError(
      'invalid_csv',
      unknown.length
        ? `unknown CSV column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`
        : `the CSV header has no "email" column; the columns are ${CSV_COLUMNS.join(', ')}`,
    );
  }
  return columns;
}

function rowOf(columns: string[], record: string[], line: number): ImportRow {
  if (record.length > columns.length) {
    return { row: line, fields: { __error: `has ${record.length} fields but the header names ${columns.length}` } };
  }
  const fields: Record<string, unknown> = {};
  columns.forEach((name, i) => {
    // Our export guards formula-like cells with a leading apostrophe; take it off again.
    const cell = (record[i] ?? '').replace(/^'(?=[=+\-@])/, '');
    if (cell === '') return;
    fields[name] = name === 'components' ? cell.split(/[;|]/).map((id) => id.trim()).filter(Boolean) : cell;
  });
  return { row: line, fields };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** How far an import has come, told after each batch. */
export interface ImportProgress {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
}

type ValidRow = { row: number; data: z.output<typeof rowSchema> };

/**
 * Records people the provider already has consent for as confirmed subscribers, with where that
 * consent came from. Running the same list again changes nothing. Bad rows are reported by row and
 * skipped; good rows are imported. Someone who unsubscribed or whose mail bounced is not brought
 * back by an import: those rows are reported.
 *
 * Rows are taken as they come (a CSV being read) and written `IMPORT_BATCH_ROWS` at a time, each batch in its own
 * short transaction, with a turn of the event loop between batches: memory stays flat whatever the length of the
 * list, the public pages are answered meanwhile, and other writers wait for one batch at most. An import cut short
 * (a dropped connection, a crash) keeps the batches written; importing the same list again completes it.
 */
export async function importSubscribers(
  app: AppContext,
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  consentSource: string,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const now = app.now();
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
  let errorCount = 0;
  let read = 0;
  const known = new Set((await activeComponents(app.db)).map((c) => c.id));
  const firstRow = new Map<string, number>();
  // Errors of the rows not written yet: listed in row order once their batch is written.
  const errors: { row: number; message: string }[] = [];
  let valid: ValidRow[] = [];
  let sliceStart = performance.now();

  const progress = () =>
    onProgress?.({ rows: read, created: report.created, updated: report.updated, unchanged: report.unchanged, errors: errorCount + errors.length });
  const pause = async () => {
    progress();
    await yieldToEventLoop();
    sliceStart = performance.now();
  };
  const write = async () => {
    if (valid.length) await writeBatch(app, valid, consentSource, now, report, errors);
    valid = [];
    errors.sort((a, b) => a.row - b.row);
    errorCount += errors.length;
    for (const e of errors) if (report.errors.length < MAX_LISTED_ERRORS) report.errors.push(e);
    errors.length = 0;
    await pause();
  };

  for await (const { row, fields } of rows) {
    read++;
    const checked = rowProblem(fields, known);
    if (typeof checked === 'string') errors.push({ row, message: checked });
    else if (firstRow.has(checked.email)) errors.push({ row, message: `${checked.email} already appears in row ${firstRow.get(checked.email)}` });
    else {
      firstRow.set(checked.email, row);
      valid.push({ row, data: checked });
    }
    if (valid.length >= IMPORT_BATCH_ROWS) await write();
    // Reading and checking rows is paced too, not only the writes.
    else if (performance.now() - sliceStart >= SLICE_MS) await pause();
  }
  await write();
  if (errorCount > report.errors.length) report.errors_omitted = errorCount - report.errors.length;
  return report;
}

/** The row's data, or what is wrong with it. */
function rowProblem(fields: Record<string, unknown>, known: ReadonlySet<string>): string | z.output<typeof rowSchema> {
  if (typeof fields.__error === 'string') return fields.__error;
  const parsed = rowSchema.safeParse(fields);
  if (!parsed.success) return describeZodError(parsed.error, fields);
  const unknown = (parsed.data.components ?? []).filter((id) => !known.has(id));
  if (unknown.length) return `unknown component${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')}`;
  return parsed.data;
}

/** One batch in one transaction: who is known already, then the new ones in a few statements, then the changes. */
async function writeBatch(
  app: AppContext,
  valid: ValidRow[],
  consentSource: string,
  now: Date,
  report: ImportReport,
  errors: { row: number; message: string }[],
): Promise<void> {
  const { site } = app.config;
  await app.db.transaction(async (tx) => {
    // The addresses as one JSON value: the statement's text is the same for every batch.
    const emails = JSON.stringify(valid.map((v) => v.data.email));
    const found = await tx.select().from(subscribers).where(sql`${subscribers.email} in (select value from json_each(${emails}))`);
    const chosen = found.length
      ? await tx.select().from(subscriberComponents).where(inArray(subscriberComponents.subscriberId, found.map((f) => f.id)))
      : [];
    const chosenBy = groupBy(chosen, (c) => c.subscriberId, (c) => c.componentId);
    const existing = new Map(found.map((s) => [s.email, { ...s, componentIds: (chosenBy.get(s.id) ?? []).sort() }]));

    const fresh = valid.filter((v) => !existing.has(v.data.email)).map((v) => ({ ...v, id: newId() }));
    const added = await insertImportedSubscribers(
      tx,
      fresh.map(({ id, data }) => ({
        id,
        email: data.email,
        locale: data.locale ?? site.default_locale,
        timezone: data.timezone ?? site.timezone,
        consentSource,
        components: data.components ?? [],
      })),
      now,
    );
    report.created += added.size;
    for (const f of fresh) {
      if (!added.has(f.id)) errors.push({ row: f.row, message: `${f.data.email} subscribed while the list was imported; import it again to update it` });
    }

    for (const { row, data } of valid) {
      const current = existing.get(data.email);
      if (!current) continue;
      if (current.status === 'suppressed') {
        errors.push({ row, message: `${data.email} is suppressed (${current.suppressedReason ?? 'bounce or complaint'}); an import does not resume mail to it` });
        continue;
      }
      if (current.status === 'unsubscribed') {
        errors.push({ row, message: `${data.email} unsubscribed${current.unsubscribedAt ? ` on ${current.unsubscribedAt.toISOString()}` : ''}; an import does not subscribe them again` });
        continue;
      }
      const changes: Partial<SubscriberRow> = {};
      if (data.locale !== undefined && data.locale !== current.locale) changes.locale = data.locale;
      if (data.timezone !== undefined && data.timezone !== current.timezone) changes.timezone = data.timezone;
      // A pending subscriber the admin has consent for is confirmed by the import, with its source.
      if (current.status === 'pending') Object.assign(changes, { status: 'confirmed', confirmedAt: now, consentSource });
      const newComponents = data.components !== undefined && !sameList(data.components, current.componentIds) ? data.components : undefined;
      if (!Object.keys(changes).length && !newComponents) {
        report.unchanged++;
        continue;
      }
      await updateSubscriber(tx, current.id, { ...changes, updatedAt: now });
      if (newComponents) await setComponents(tx, current.id, newComponents);
      report.updated++;
    }
  });
}
