import { parse } from 'csv-parse/sync';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { describeZodError } from '../lib/zod-issues.ts';
import { LOCALES } from '../config/schema.ts';
import type { AppContext } from '../context.ts';
import { InvalidInputError } from '../core/errors.ts';
import { newId } from '../lib/ids.ts';
import { emailSchema } from './address.ts';
import { localeSchema, timeZoneSchema } from './preferences.ts';
import { activeComponents, insertSubscriber, setComponents, updateSubscriber, type SubscriberRow } from './store.ts';
import { groupBy } from '../lib/group-by.ts';

export const DEFAULT_CONSENT_SOURCE = 'admin-import';
export const MAX_IMPORT_ROWS = 50_000;
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

/** The CSV form: a header row naming `email` and any of components, locale, timezone; components split by `;` or `|`. */
export function rowsFromCsv(text: string): ImportRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes with its line; csv-parse's types do not model that option.
    records = parse(text, { info: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    throw new InvalidInputError('invalid_csv', `the CSV cannot be read: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) throw new InvalidInputError('invalid_csv', `the CSV is empty; its first row must name the columns (${CSV_COLUMNS.join(',')})`);
  const columns = header.record.map((name) => name.toLowerCase());
  const unknown = columns.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length || !columns.includes('email')) {
    throw new InvalidInputError(
      'invalid_csv',
      unknown.length
        ? `unknown CSV column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`
        : `the CSV header has no "email" column; the columns are ${CSV_COLUMNS.join(', ')}`,
    );
  }
  if (data.length > MAX_IMPORT_ROWS) throw new InvalidInputError('too_many_rows', `at most ${MAX_IMPORT_ROWS} subscribers per import`);
  return data.map(({ record, info }) => {
    if (record.length > columns.length) {
      return { row: info.lines, fields: { __error: `has ${record.length} fields but the header names ${columns.length}` } };
    }
    const fields: Record<string, unknown> = {};
    columns.forEach((name, i) => {
      // Our export guards formula-like cells with a leading apostrophe; take it off again.
      const cell = (record[i] ?? '').replace(/^'(?=[=+\-@])/, '');
      if (cell === '') return;
      fields[name] = name === 'components' ? cell.split(/[;|]/).map((id) => id.trim()).filter(Boolean) : cell;
    });
    return { row: info.lines, fields };
  });
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Records people the provider already has consent for as confirmed subscribers, with where that
 * consent came from. Running the same list again changes nothing. Bad rows are reported by row and
 * skipped; good rows are imported. Someone who unsubscribed or whose mail bounced is not brought
 * back by an import: those rows are reported.
 */
export async function importSubscribers(app: AppContext, rows: readonly ImportRow[], consentSource: string): Promise<ImportReport> {
  const now = app.now();
  const { site } = app.config;
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
  const known = new Set((await activeComponents(app.db)).map((c) => c.id));

  type Valid = { row: number; data: z.output<typeof rowSchema> };
  const valid: Valid[] = [];
  const firstRow = new Map<string, number>();
  for (const { row, fields } of rows) {
    if (typeof fields.__error === 'string') {
      report.errors.push({ row, message: fields.__error });
      continue;
    }
    const parsed = rowSchema.safeParse(fields);
    if (!parsed.success) {
      report.errors.push({ row, message: describeZodError(parsed.error, fields) });
      continue;
    }
    const unknown = (parsed.data.components ?? []).filter((id) => !known.has(id));
    if (unknown.length) {
      report.errors.push({ row, message: `unknown component${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')}` });
      continue;
    }
    const earlier = firstRow.get(parsed.data.email);
    if (earlier !== undefined) {
      report.errors.push({ row, message: `${parsed.data.email} already appears in row ${earlier}` });
      continue;
    }
    firstRow.set(parsed.data.email, row);
    valid.push({ row, data: parsed.data });
  }

  await app.db.transaction(async (tx) => {
    const existing = new Map<string, SubscriberRow & { componentIds: string[] }>();
    for (let i = 0; i < valid.length; i += 500) {
      const emails = valid.slice(i, i + 500).map((v) => v.data.email);
      const found = await tx.select().from(subscribers).where(inArray(subscribers.email, emails));
      const chosen = found.length
        ? await tx.select().from(subscriberComponents).where(inArray(subscriberComponents.subscriberId, found.map((f) => f.id)))
        : [];
      const chosenBy = groupBy(chosen, (c) => c.subscriberId, (c) => c.componentId);
      for (const s of found) existing.set(s.email, { ...s, componentIds: (chosenBy.get(s.id) ?? []).sort() });
    }

    for (const { row, data } of valid) {
      const current = existing.get(data.email);
      if (!current) {
        const id = newId();
        await insertSubscriber(tx, {
          id,
          email: data.email,
          locale: data.locale ?? site.default_locale,
          timezone: data.timezone ?? site.timezone,
          status: 'confirmed',
          consentSource,
          confirmedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        await setComponents(tx, id, data.components ?? []);
        report.created++;
        continue;
      }
      if (current.status === 'suppressed') {
        report.errors.push({ row, message: `${data.email} is suppressed (${current.suppressedReason ?? 'bounce or complaint'}); an import does not resume mail to it` });
        continue;
      }
      if (current.status === 'unsubscribed') {
        report.errors.push({ row, message: `${data.email} unsubscribed${current.unsubscribedAt ? ` on ${current.unsubscribedAt.toISOString()}` : ''}; an import does not subscribe them again` });
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
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}
