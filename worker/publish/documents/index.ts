import { componentConditions } from '../../status/derive.ts';
import type { DocumentSourceEntry, PublishInput } from '../document.ts';
import { clockFacts } from '../next-change.ts';
import type { Revisions } from '../published-data.ts';
import { badgeDocuments } from './badges.ts';
import { calendarDocuments } from './calendar.ts';
import { feedDocuments } from './feeds.ts';
import { historyDocuments } from './history.ts';
import { policyDocuments } from './policy.ts';
import { siteInfoDocuments } from './site-info.ts';
import { statuspageV2Documents } from './statuspage-v2.ts';
import { uptimeDocuments } from './uptime.ts';
import { widgetDocuments } from './widget.ts';

/** Heavy sources read 90 days of data: at most every 10 s under a stream of changes, at least every 10 min. */
const HEAVY = { minIntervalMs: 10_000, maxAgeMs: 600_000 };

/** What a source's documents depend on (see `DocumentSourceEntry.key`). The configuration never changes while running. */
const KEYS = {
  /** The configuration only: built once. */
  config: () => 'config',
  /** Incidents, windows and components as stored: no clock (feeds show stored statuses), no polls. */
  data: (_: PublishInput, r: Revisions) => `${r.data}`,
  /** The windows as stored alone: an incident cannot change a calendar. */
  maintenances: (_: PublishInput, r: Revisions) => `${r.maintenances}`,
  /** Everything the state holds, sources' poll records included, and what the clock decides in it. */
  everything: ({ state, now }: PublishInput, r: Revisions) => `${r.data}.${r.sources}.${clockFacts(state, now)}`,
  /** Each component's name and state (its sources, open incidents and windows in progress decide it). */
  componentStates: ({ state, now }: PublishInput) => {
    const conditions = componentConditions(state, now);
    return JSON.stringify(state.components.map((c) => [c.id, c.name, conditions.get(c.id)?.state]));
  },
};

/**
 * Every source of published documents, in one list, with what each depends on. The publisher runs a source when
 * its key changes; a new public endpoint is a new module here, not a new route.
 */
export const DOCUMENT_SOURCES: DocumentSourceEntry[] = [
  { name: 'statuspage-v2', build: statuspageV2Documents, key: KEYS.everything },
  { name: 'site-info', build: siteInfoDocuments, key: KEYS.config },
  // Feed readers poll every few minutes; under a stream of writes each rebuild would write the feeds of every
  // component written to, hundreds of documents: at most every 10 s, like the other heavy documents.
  { name: 'feeds', build: feedDocuments, key: KEYS.data, throttle: HEAVY },
  { name: 'calendar', build: calendarDocuments, key: KEYS.maintenances },
  { name: 'badges', build: badgeDocuments, key: KEYS.componentStates },
  { name: 'widget', build: widgetDocuments, key: KEYS.componentStates },
  { name: 'policy', build: policyDocuments, key: KEYS.config },
  // The bars' current day and availability move with the clock itself: these run on their own schedule.
  { name: 'uptime', build: uptimeDocuments, throttle: HEAVY },
  { name: 'history', build: historyDocuments, throttle: HEAVY },
];
