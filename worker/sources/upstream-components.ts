/**
 * Which of the components a provider's page names a source follows: the page's own list, read from the last bodies
 * the poller kept (or, before a source exists, from what detection read), and a new choice saved in the source's
 * settings through the sources service. An id the page does not name is refused, naming the field.
 */
import type { Database } from '../../db/client.ts';
import { notFound, RuleBrokenError } from '../core/errors.ts';
import type { SourceType } from '../core/vocabulary.ts';
import { redactUrl } from '../lib/redact.ts';
import { loadKeptBodies } from '../upstream/cache-store.ts';
import { UpstreamFormatError } from '../upstream/errors.ts';
import { choiceSettingOf, chosenEntries, isFollowed, pageComponentsFromBodies, settingsWithChoice, unknownIds, type ChoiceSetting, type PageComponent } from '../upstream/page-components.ts';
import { watchRuntime } from '../upstream/runtime.ts';
import { loadSourceRow } from './read.ts';
import { changeSource, type SourceChange } from './service.ts';

export interface UpstreamComponentsView {
  sourceId: string;
  type: SourceType;
  /** The setting that holds the choice; null for formats that name no components (feeds, HTTP checks). */
  setting: ChoiceSetting | null;
  /** No choice saved: every component of the page is followed. */
  followsAll: boolean;
  /** When the bodies the list was read from were stored; null before the page was first read. */
  readAt: Date | null;
  components: (PageComponent & { followed: boolean })[];
  /** Why the kept bodies gave no list (the adapter's words), or null. */
  error: string | null;
}

export async function upstreamComponentsOf(db: Database, id: string, now: Date): Promise<UpstreamComponentsView> {
  const { row, bodies } = await watchRuntime(db).lock.run(async () => {
    const found = await loadSourceRow(db, id);
    if (!found) throw notFound(`source "${id}"`);
    return { row: found, bodies: choiceSettingOf(found.type) ? await loadKeptBodies(db, id) : [] };
  });
  const setting = choiceSettingOf(row.type);
  const entries = chosenEntries(row.type, row.settings);
  let listed: PageComponent[] = [];
  let error: string | null = null;
  if (bodies.length > 0) {
    try {
      listed = pageComponentsFromBodies(row.type, Object.fromEntries(bodies.map((b) => [b.key, b.body])), { now, sourceUrl: redactUrl(row.url), settings: row.settings });
    } catch (failure) {
      if (!(failure instanceof UpstreamFormatError)) throw failure;
      error = failure.message;
    }
  }
  const readAt = bodies.length ? new Date(Math.max(...bodies.map((b) => b.storedAt.getTime()))) : null;
  return {
    sourceId: row.id,
    type: row.type,
    setting,
    followsAll: entries === null,
    readAt,
    components: listed.map((component) => ({ ...component, followed: isFollowed(component, entries) })),
    error,
  };
}

/** Follows the named components of the page (ids as the page lists them), or the whole page with `all`. */
export async function followUpstreamComponents(db: Database, id: string, follow: readonly string[] | 'all', now: Date): Promise<SourceChange> {
  const view = await upstreamComponentsOf(db, id, now);
  if (view.setting === null) {
    throw new RuleBrokenError('no_component_choice', `follow: a ${view.type} source names no upstream components to choose from`, { fields: ['follow'] });
  }
  if (follow !== 'all') {
    if (view.readAt === null || view.error !== null) {
      throw new RuleBrokenError('page_not_read', `follow: the provider's page has not been read yet (or could not be); poll the source, then choose`, { fields: ['follow'] });
    }
    const unknown = unknownIds(view.components, follow);
    if (unknown.length > 0) {
      const first = unknown[0]!;
      throw new RuleBrokenError('unknown_upstream_component', `follow[${first}]: no component "${follow[first]}" on the provider's page`, {
        fields: ['follow'],
        unknown: unknown.map((index) => follow[index]),
      });
    }
  }
  const row = await watchRuntime(db).lock.run(() => loadSourceRow(db, id));
  if (!row) throw notFound(`source "${id}"`);
  return changeSource(db, id, { settings: settingsWithChoice(row.type, row.settings, follow === 'all' ? null : follow) }, { now });
}
