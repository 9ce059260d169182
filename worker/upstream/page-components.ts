/**
 * The components a provider's own page names, for choosing which of them a source follows: read from the page's
 * bodies through its adapter with no choice applied, in the page's order and with the page's groups. Which of them a
 * source's settings follow, and the settings a new choice makes. Pure.
 *
 * The choice lives in the setting the adapter already filters by: `components` for Statuspage, incident.io and
 * Instatus (see component-filter.ts), `products` for Google's dashboard. Feeds and HTTP checks name no components.
 */
import { adapters, type EndpointResponses } from './adapter.ts';
import { entryNames } from './component-filter.ts';
import { adapterOptionsFor } from './settings.ts';
import type { FetchSuccess } from './fetch-result.ts';
import type { SourceType } from '../core/vocabulary.ts';
import type { UpstreamSnapshot } from './types.ts';

export type ChoiceSetting = 'components' | 'products';

const CHOICE_SETTINGS: Readonly<Partial<Record<SourceType, ChoiceSetting>>> = {
  statuspage: 'components',
  incidentio: 'components',
  instatus: 'components',
  google: 'products',
};

/** The setting that holds which upstream components a source of this type follows; null when it has none. */
export const choiceSettingOf = (type: SourceType): ChoiceSetting | null => CHOICE_SETTINGS[type] ?? null;

export interface PageComponent {
  id: string;
  name: string;
  /** The page's own group, when the format has groups. */
  group: string | null;
}

/** The page's components as a snapshot read with no choice lists them. */
export function pageComponentsIn(snapshot: UpstreamSnapshot): PageComponent[] {
  return snapshot.components.map((component) => ({ id: component.upstreamId, name: component.name, group: component.group ?? null }));
}

/** Settings without the choice (either spelling of the key): what lists the whole page. */
function withoutChoice(type: SourceType, settings: Record<string, unknown>): Record<string, unknown> {
  const key = choiceSettingOf(type);
  return Object.fromEntries(Object.entries(settings).filter(([name]) => name !== key));
}

function kept(body: string, url: string): FetchSuccess {
  return { ok: true, status: 200, body, etag: null, lastModified: null, notModified: false, latencyMs: 0, url, contentType: null, truncated: false };
}

/**
 * The components the kept bodies name, parsed by the source's adapter with its other settings. Throws the adapter's
 * UpstreamFormatError for bodies it cannot read.
 */
export function pageComponentsFromBodies(
  type: SourceType,
  bodies: Readonly<Record<string, string>>,
  ctx: { now: Date; sourceUrl: string; settings: Record<string, unknown> },
): PageComponent[] {
  const responses: EndpointResponses = Object.fromEntries(Object.entries(bodies).map(([key, body]) => [key, kept(body, ctx.sourceUrl)]));
  const options = adapterOptionsFor(type, withoutChoice(type, ctx.settings));
  return pageComponentsIn(adapters[type].parse(responses, { now: ctx.now, sourceUrl: ctx.sourceUrl, options }));
}

/** The entries of the choice in the settings, or null when the source follows the whole page. */
export function chosenEntries(type: SourceType, settings: Record<string, unknown>): string[] | null {
  const key = choiceSettingOf(type);
  const value = key ? settings[key] : undefined;
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.filter((entry): entry is string => typeof entry === 'string');
}

/** Whether the settings follow this component: all of them without a choice, else those an entry names. */
export function isFollowed(component: PageComponent, entries: readonly string[] | null): boolean {
  if (entries === null) return true;
  const asUpstream = { upstreamId: component.id, name: component.name, ...(component.group === null ? {} : { group: component.group }), state: 'operational' as const };
  return entries.some((entry) => entryNames(entry, asUpstream));
}

/** The positions of the ids that name no component of the page. */
export function unknownIds(page: readonly PageComponent[], ids: readonly string[]): number[] {
  const known = new Set(page.map((component) => component.id));
  return ids.flatMap((id, index) => (known.has(id) ? [] : [index]));
}

/** The settings with a new choice: the ids of the components to follow, or null for the whole page. */
export function settingsWithChoice(type: SourceType, settings: Record<string, unknown>, ids: readonly string[] | null): Record<string, unknown> {
  const key = choiceSettingOf(type);
  if (key === null) return settings;
  const rest = withoutChoice(type, settings);
  return ids === null ? rest : { ...rest, [key]: [...new Set(ids)] };
}
