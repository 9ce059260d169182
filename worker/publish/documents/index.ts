import type { DocumentSourceEntry } from '../document.ts';
import { badgeDocuments } from './badges.ts';
import { calendarDocuments } from './calendar.ts';
import { feedDocuments } from './feeds.ts';
import { historyDocuments } from './history.ts';
import { policyDocuments } from './policy.ts';
import { siteInfoDocuments } from './site-info.ts';
import { statuspageV2Documents } from './statuspage-v2.ts';
import { uptimeDocuments } from './uptime.ts';
import { widgetDocuments } from './widget.ts';

/**
 * Every source of published documents, in one list. The publisher runs them all on each rebuild;
 * a new public endpoint is a new module here, not a new route.
 */
/** Heavy sources read 90 days of data: at most every 10 s under a stream of changes, at least every 10 min. */
const HEAVY = { minIntervalMs: 10_000, maxAgeMs: 600_000 };

export const DOCUMENT_SOURCES: DocumentSourceEntry[] = [
  { name: 'statuspage-v2', build: statuspageV2Documents },
  { name: 'site-info', build: siteInfoDocuments },
  { name: 'feeds', build: feedDocuments },
  { name: 'calendar', build: calendarDocuments },
  { name: 'badges', build: badgeDocuments },
  { name: 'widget', build: widgetDocuments },
  { name: 'policy', build: policyDocuments },
  { name: 'uptime', build: uptimeDocuments, throttle: HEAVY },
  { name: 'history', build: historyDocuments, throttle: HEAVY },
];
