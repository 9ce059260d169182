/**
 * The sources service: the only writer of the upstream sources (`sources`), the components each one feeds
 * (`component_sources`) and their unknown periods. Admins list, add, change, pause, resume and remove sources here;
 * the config file's sources are synced by config-sources.ts and polls write their state through poll-record.ts.
 *
 * Its rules:
 * - A source from the config file is changed in the file: here it is only paused and resumed (otherwise a conflict,
 *   `config_source`).
 * - Settings fit the source's adapter; linked components exist and are not retired.
 * - A change to what a snapshot means (settings, components) makes the next poll, soon, read every endpoint afresh
 *   and reconcile it in full; a shorter interval brings the next poll closer; a resumed source is polled at the next
 *   tick; pausing ends its unknown period, resuming an unreadable one opens one.
 * - Every change runs under the upstream watch's lock, as polls' records do: on `:memory:` there is one connection,
 *   and a change never interleaves with a poll being recorded.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database, DbOrTx } from '../../db/client.ts';
import { components, componentSources, sources } from '../../db/schema/index.ts';
import type { Locale } from '../config/schema.ts';
import { ConflictError, InvalidInputError, notFound, RuleBrokenError } from '../core/errors.ts';
import type { SourceType } from '../core/vocabulary.ts';
import { forgetValidators } from '../upstream/cache-store.ts';
import { unknownPeriodStep } from '../upstream/poll-state.ts';
import { forgetSnapshot, watchRuntime } from '../upstream/runtime.ts';
import { checkSourceSettings } from '../upstream/settings.ts';
import { storedAddress } from './credentials.ts';
import { loadSourceDetails, loadSourceRow, type SourceDetails, type SourceRow } from './read.ts';
import { deleteSource, type RemovedSource } from './remove.ts';
import { applyUnknownPeriodStep } from './unknown-periods.ts';

export type { SourceDetails } from './read.ts';

export interface NewSource {
  id: string;
  name: string;
  /** `auto`: the format is detected from the URL, which may then change to the one that answered. */
  type: SourceType | 'auto';
  url: string;
  intervalSeconds: number;
  slaCounts: boolean;
  settings: Record<string, unknown>;
  componentIds: string[];
  paused: boolean;
}

export interface SourceChanges {
  name?: string;
  intervalSeconds?: number;
  slaCounts?: boolean;
  settings?: Record<string, unknown>;
  paused?: boolean;
  componentIds?: string[];
}

/** The adapter that fits a status page, and the URL it answered at. */
export type DetectedSource = { type: SourceType; url: string };

/** A change's answer: the source as it now stands, and whether the public page shows something new. */
export interface SourceChange {
  source: SourceDetails;
  pageChanged: boolean;
}

/** What a change names, as the API and the config file call it. */
const CHANGE_FIELDS = { name: 'name', intervalSeconds: 'interval', slaCounts: 'sla', settings: 'settings', componentIds: 'component_ids' } as const;

const locked = <T>(db: Database, work: () => Promise<T>): Promise<T> => watchRuntime(db).lock.run(work);

async function loadExisting(tx: DbOrTx, id: string): Promise<SourceRow> {
  const row = await loadSourceRow(tx, id);
  if (!row) throw notFound(`source "${id}"`);
  return row;
}

async function details(db: DbOrTx, id: string): Promise<SourceDetails> {
  const [found] = await loadSourceDetails(db, [id]);
  if (!found) throw notFound(`source "${id}"`);
  return found;
}

function fromConfig(row: SourceRow, what: string): ConflictError {
  return new ConflictError('config_source', `source "${row.id}" comes from the config file: ${what} in vigia.config.yaml (only pausing and resuming are done here)`);
}

/** Settings must fit the adapter's options: a bad one is named. */
function assertSettings(type: SourceType, value: Record<string, unknown>): void {
  const check = checkSourceSettings(type, value);
  if (check.ok) return;
  const problems = check.issues.map((issue) => `settings${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}: ${issue.message}`);
  throw new InvalidInputError('invalid_request', `invalid body: ${problems.join('; ')}`, {
    details: { fields: check.issues.map((i) => ['settings', ...i.path].join('.')) },
  });
}

async function assertComponents(tx: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await tx.select({ id: components.id }).from(components).where(and(inArray(components.id, ids), isNull(components.retiredAt)));
  const known = new Set(rows.map((r) => r.id));
  ids.forEach((id, i) => {
    if (!known.has(id)) throw new RuleBrokenError('unknown_component', `component_ids[${i}]: unknown component "${id}"`);
  });
}

async function linkComponents(tx: DbOrTx, id: string, componentIds: string[]): Promise<void> {
  await tx.delete(componentSources).where(eq(componentSources.sourceId, id));
  const unique = [...new Set(componentIds)];
  if (unique.length) await tx.insert(componentSources).values(unique.map((componentId) => ({ componentId, sourceId: id })));
}

export async function listSources(db: Database): Promise<SourceDetails[]> {
  return locked(db, () => loadSourceDetails(db));
}

export async function getSource(db: Database, id: string): Promise<SourceDetails> {
  return locked(db, () => details(db, id));
}

/**
 * Probes a status page for the adapter that fits it (the poller's detection, handed in by the caller: probing is
 * network work the service does not do itself).
 */
export type DetectFormat = (url: string) => Promise<DetectedSource | { error: string; tried: { url: string; outcome: string }[] }>;

/** Finds which adapter fits a status page by probing it (422 `not_detected`, with what was tried, when none does). */
export async function detectSourceFormat(url: string, detect: DetectFormat): Promise<DetectedSource> {
  const found = await detect(url);
  if ('error' in found) throw new RuleBrokenError('not_detected', `url: ${found.error}`, { tried: found.tried });
  return found;
}

/** Adds an admin source, polled at the next tick. `detected` says what `auto` found. */
export async function addSource(
  db: Database,
  input: NewSource,
  opts: { now: Date; detect: DetectFormat },
): Promise<SourceChange & { detected: DetectedSource | null }> {
  const { type, url } = input.type === 'auto' ? await detectSourceFormat(input.url, opts.detect) : { type: input.type, url: input.url };
  // Credentials written in the URL are stored apart; what is answered is the bare address.
  const address = storedAddress(url);
  const detected = input.type === 'auto' ? { type, url: address.url } : null;
  assertSettings(type, input.settings);
  const source = await locked(db, async () => {
    await db.transaction(async (tx) => {
      if (await loadSourceRow(tx, input.id)) throw new ConflictError('source_exists', `id: a source "${input.id}" already exists`);
      await assertComponents(tx, input.componentIds);
      await tx.insert(sources).values({
        id: input.id,
        name: input.name,
        type,
        url: address.url,
        credentials: address.credentials,
        intervalSeconds: input.intervalSeconds,
        settings: input.settings,
        slaCounts: input.slaCounts,
        origin: 'admin',
        paused: input.paused,
        // Polled at the next tick.
        nextPollAt: null,
        createdAt: opts.now,
        updatedAt: opts.now,
      });
      await linkComponents(tx, input.id, input.componentIds);
    });
    return details(db, input.id);
  });
  // The page shows a source through the components it feeds.
  return { source, pageChanged: input.componentIds.length > 0, detected };
}

/** Changes a source; one from the config file is only paused or resumed here. */
export async function changeSource(db: Database, id: string, changes: SourceChanges, opts: { now: Date }): Promise<SourceChange> {
  const { now } = opts;
  const snapshotMeaningChanged = changes.settings !== undefined || changes.componentIds !== undefined;
  const source = await locked(db, async () => {
    await db.transaction(async (tx) => {
      const row = await loadExisting(tx, id);
      if (row.origin === 'config') {
        const fields = (Object.keys(CHANGE_FIELDS) as (keyof typeof CHANGE_FIELDS)[]).filter((f) => changes[f] !== undefined).map((f) => CHANGE_FIELDS[f]);
        if (fields.length) throw fromConfig(row, `change ${fields.join(', ')}`);
      }
      if (changes.settings) assertSettings(row.type, changes.settings);
      const patch: Partial<typeof sources.$inferInsert> = { updatedAt: now };
      if (changes.name !== undefined) patch.name = changes.name;
      if (changes.slaCounts !== undefined) patch.slaCounts = changes.slaCounts;
      if (changes.paused !== undefined) patch.paused = changes.paused;
      if (changes.paused === false && row.paused) patch.nextPollAt = null;
      if (changes.intervalSeconds !== undefined) {
        patch.intervalSeconds = changes.intervalSeconds;
        const sooner = now.getTime() + changes.intervalSeconds * 1000;
        if (row.nextPollAt && row.nextPollAt.getTime() > sooner) patch.nextPollAt = new Date(sooner);
      }
      if (snapshotMeaningChanged) {
        // What the next snapshot means changed: read every endpoint afresh, soon, and reconcile it in full.
        await forgetValidators(tx, row.id);
        patch.nextPollAt = null;
        if (changes.settings !== undefined) patch.settings = changes.settings;
      }
      if (changes.componentIds !== undefined) {
        await assertComponents(tx, changes.componentIds);
        await linkComponents(tx, row.id, changes.componentIds);
      }
      await tx.update(sources).set(patch).where(eq(sources.id, row.id));
      // A paused source is not shown unknown: pausing ends its unknown period, resuming an unreadable one opens one.
      if (patch.paused !== undefined) await applyUnknownPeriodStep(tx, row.id, unknownPeriodStep(row, { ...row, paused: patch.paused }, now));
    });
    if (snapshotMeaningChanged) forgetSnapshot(db, id);
    return details(db, id);
  });
  return { source, pageChanged: changes.paused !== undefined || changes.componentIds !== undefined || changes.name !== undefined };
}

/** Pauses or resumes any source (the config file's too); `pageChanged` is false when it already was. */
export async function setSourcePaused(db: Database, id: string, paused: boolean, opts: { now: Date }): Promise<SourceChange> {
  return locked(db, async () => {
    const changed = await db.transaction(async (tx) => {
      const row = await loadExisting(tx, id);
      if (row.paused === paused) return false;
      await tx
        .update(sources)
        .set({ paused, updatedAt: opts.now, ...(paused ? {} : { nextPollAt: null }) })
        .where(eq(sources.id, row.id));
      await applyUnknownPeriodStep(tx, row.id, unknownPeriodStep(row, { ...row, paused }, opts.now));
      return true;
    });
    return { source: await details(db, id), pageChanged: changed };
  });
}

/**
 * Removes an admin source: what it recorded stays, what it left open is closed by the incidents and maintenances
 * services (see remove.ts). A config file's source is removed from the file.
 */
export async function removeSource(db: Database, id: string, opts: { now: Date; locale: Locale }): Promise<RemovedSource> {
  return locked(db, async () => {
    const removed = await db.transaction(async (tx) => {
      const row = await loadExisting(tx, id);
      if (row.origin === 'config') throw fromConfig(row, 'remove it');
      return deleteSource(tx, row, opts.now, opts.locale);
    });
    forgetSnapshot(db, id);
    return removed;
  });
}
