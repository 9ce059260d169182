/**
 * Google Workspace and Google Cloud `incidents.json` (a top-level array), plus the optional `products.json`.
 *
 * - It is mostly an archive: only incidents that are open (`end` missing or null) or ended within `recentDays`
 *   (default 7) of ctx.now are kept, so thousands of old rows do not flood the page. Rows are filtered on `end`
 *   before they are validated, which keeps big archives cheap.
 * - `status_impact` decides the severity; `severity` (low/medium/high) is used only when it is absent.
 * - An open incident reads as `investigating` (Google publishes no investigation stages); an ended one as `resolved`.
 * - Updates come from `updates[]` (newest first upstream, oldest first here); their `text` is markdown-ish.
 * - Components: every product in products.json is listed operational, then products affected by open incidents take
 *   the state the incident's severity implies. Without products.json, only products of open incidents are listed.
 * - `products` (option) keeps only incidents affecting those products (ids or titles, case-insensitive).
 */
import { z } from 'zod';
import { describeValue, UpstreamFormatError } from '../errors.ts';
import { type EndpointSpec, underBase } from '../endpoint.ts';
import { ParseNotes } from '../notes.ts';
import { markdownToPlainText, safeHttpUrl, toPlainLine } from '../sanitize.ts';
import { severityForWord, stateForSeverity, worseState } from '../severity.ts';
import { parseTimestamp } from '../time.ts';
import type { IncidentStatus } from '../../core/vocabulary.ts';
import type { ParseContext, UpstreamComponent, UpstreamIncident, UpstreamIncidentUpdate, UpstreamSnapshot } from '../types.ts';
import { anything, idSchema, isPlainObject, listAt, looseString, readJsonBody, requireObjectWith, validRows } from './shared.ts';

export const googleOptionsSchema = z.object({
  /** Closed incidents are kept this many days after they end. */
  recentDays: z.number().positive().max(365).default(7),
  /** Only incidents affecting these products (ids or titles); all when absent. */
  products: z.array(z.string().min(1)).optional(),
});
export type GoogleOptions = z.input<typeof googleOptionsSchema>;

export interface GoogleBodies {
  /** `incidents.json` (required). */
  incidents: unknown;
  /** `products.json` (optional). */
  products?: unknown;
}

/** The source URL may be the dashboard (`…/appsstatus/dashboard/`) or its `incidents.json`. */
export function googleEndpoints(sourceUrl: string): EndpointSpec<keyof GoogleBodies>[] {
  const base = dashboardBase(sourceUrl);
  return [
    { key: 'incidents', url: underBase(base, 'incidents.json'), required: true, expect: 'json' },
    { key: 'products', url: underBase(base, 'products.json'), required: false, expect: 'json', secondary: true },
  ];
}

/** The dashboard directory, with a trailing slash, that incidents.json and the incidents' `uri` are relative to. */
function dashboardBase(sourceUrl: string): string {
  const url = new URL(sourceUrl);
  url.search = '';
  url.hash = '';
  if (url.pathname.endsWith('.json')) return new URL('.', url).href;
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url.href;
}

function incidentLink(uri: string | undefined, sourceUrl: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  if (sourceUrl === undefined) return safeHttpUrl(uri);
  try {
    return safeHttpUrl(uri, dashboardBase(sourceUrl));
  } catch {
    return safeHttpUrl(uri);
  }
}

const productRow = z.object({ id: idSchema, title: z.string() });

const updateRow = z.object({
  created: anything,
  when: anything,
  text: looseString,
  status: looseString,
});

const incidentRow = z.object({
  id: idSchema,
  begin: anything,
  created: anything,
  end: anything,
  external_desc: z.string(),
  updates: anything,
  status_impact: looseString,
  severity: looseString,
  affected_products: anything,
  uri: looseString,
});

/** Google's per-update words: impact levels and AVAILABLE (service restored). */
const KNOWN_UPDATE_WORDS = new Set(['available', 'service_outage', 'service_disruption', 'service_information']);

function updateStatus(word: string | undefined, notes: ParseNotes): IncidentStatus | null {
  if (word === undefined) return null;
  const normalized = word.trim().toLowerCase();
  if (!KNOWN_UPDATE_WORDS.has(normalized)) notes.unknownWord(word);
  return normalized === 'available' ? 'resolved' : null;
}

function parseUpdates(raw: unknown, incidentId: string, where: string, notes: ParseNotes): UpstreamIncidentUpdate[] {
  if (!Array.isArray(raw)) return [];
  const updates: UpstreamIncidentUpdate[] = [];
  for (const { row, where: rowWhere } of validRows(raw, updateRow, `${where} updates`, notes)) {
    const createdAt = parseTimestamp(row.when) ?? parseTimestamp(row.created);
    if (!createdAt) {
      notes.dropped(rowWhere, 'no readable when/created');
      continue;
    }
    updates.push({
      // Google updates have no id; their creation time is unique within an incident.
      upstreamId: `${incidentId}@${createdAt.toISOString()}`,
      status: updateStatus(row.status, notes),
      body: markdownToPlainText(row.text),
      createdAt,
    });
  }
  return updates.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

function productsOf(raw: unknown): { id: string; title: string }[] {
  if (!Array.isArray(raw)) return [];
  const products: { id: string; title: string }[] = [];
  for (const item of raw) {
    const parsed = productRow.safeParse(item);
    if (parsed.success) products.push({ id: parsed.data.id, title: toPlainLine(parsed.data.title) });
  }
  return products;
}

function productCatalogue(input: unknown, notes: ParseNotes): { id: string; title: string }[] {
  if (input === undefined) return [];
  const where = 'products.json';
  try {
    const body = readJsonBody(input, where);
    return productsOf(Array.isArray(body) ? body : listAt(requireObjectWith(body, ['products'], where), 'products', where));
  } catch (error) {
    if (!(error instanceof UpstreamFormatError)) throw error;
    notes.replaced(where, `${error.message}; ignored`);
    return [];
  }
}

export function parseGoogle(bodies: GoogleBodies, ctx: ParseContext, options: GoogleOptions = {}): UpstreamSnapshot {
  const { recentDays, products: wantedProducts } = googleOptionsSchema.parse(options);
  const notes = new ParseNotes();
  const where = 'incidents.json';
  const rows = readJsonBody(bodies.incidents, where);
  if (!Array.isArray(rows)) {
    throw new UpstreamFormatError(`expected a top-level array of incidents at ${where}, got ${describeValue(rows)}`, where);
  }
  const oldestEnd = ctx.now.getTime() - recentDays * 24 * 60 * 60 * 1000;
  const wanted = wantedProducts?.map((product) => product.toLowerCase());

  // Cheap recency filter first: most of an archive is old, closed incidents.
  const recentRows: unknown[] = [];
  const recentIndexes: number[] = [];
  rows.forEach((row, index) => {
    if (!isPlainObject(row)) {
      notes.dropped(`${where}[${index}]`, `expected an object, got ${describeValue(row)}`);
      return;
    }
    if (row.end === undefined || row.end === null) {
      recentRows.push(row);
      recentIndexes.push(index);
      return;
    }
    const end = parseTimestamp(row.end);
    if (!end) {
      // Neither clearly open nor clearly closed: dropping it is safer than reporting a phantom open incident.
      notes.dropped(`${where}[${index}]`, 'unreadable end');
      return;
    }
    if (end.getTime() >= oldestEnd) {
      recentRows.push(row);
      recentIndexes.push(index);
    }
  });

  const incidents: UpstreamIncident[] = [];
  const affectedStates = new Map<string, { title: string; state: UpstreamComponent['state'] }>();
  validRows(recentRows, incidentRow, where, notes).forEach(({ row }, position) => {
    const rowWhere = `${where}[${recentIndexes[position] ?? position}]`;
    const products = productsOf(row.affected_products);
    if (wanted && !products.some((p) => wanted.includes(p.id.toLowerCase()) || wanted.includes(p.title.toLowerCase()))) {
      return;
    }
    const startedAt = parseTimestamp(row.begin) ?? parseTimestamp(row.created);
    if (!startedAt) {
      notes.dropped(rowWhere, 'no readable begin');
      return;
    }
    const resolvedAt = parseTimestamp(row.end);
    const impactRaw = row.status_impact ?? row.severity ?? null;
    let severity = severityForWord(row.status_impact);
    if (severity === null) {
      if (row.status_impact !== undefined) notes.unknownWord(row.status_impact);
      severity = severityForWord(row.severity);
      if (severity === null && row.severity !== undefined) notes.unknownWord(row.severity);
    }
    if (!resolvedAt) {
      const state = stateForSeverity(severity);
      for (const product of products) {
        const previous = affectedStates.get(product.id);
        affectedStates.set(product.id, {
          title: product.title,
          state: previous ? worseState(previous.state, state) : state,
        });
      }
    }
    const url = incidentLink(row.uri, ctx.sourceUrl);
    incidents.push({
      upstreamId: row.id,
      title: toPlainLine(row.external_desc),
      status: resolvedAt ? 'resolved' : 'investigating',
      impactRaw,
      severity,
      startedAt,
      resolvedAt,
      ...(url ? { url } : {}),
      componentUpstreamIds: products.map((product) => product.id),
      updates: parseUpdates(row.updates, row.id, rowWhere, notes),
    });
  });

  const components: UpstreamComponent[] = [];
  const seen = new Set<string>();
  for (const product of productCatalogue(bodies.products, notes)) {
    if (seen.has(product.id)) continue;
    if (wanted && !wanted.includes(product.id.toLowerCase()) && !wanted.includes(product.title.toLowerCase())) continue;
    seen.add(product.id);
    components.push({ upstreamId: product.id, name: product.title, state: affectedStates.get(product.id)?.state ?? 'operational' });
  }
  for (const [id, affected] of affectedStates) {
    if (!seen.has(id)) components.push({ upstreamId: id, name: affected.title, state: affected.state });
  }

  return {
    components,
    incidents,
    maintenances: [],
    unknownWords: notes.unknownWords,
    problems: notes.problems,
  };
}
