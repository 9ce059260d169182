import type { DocumentSource } from '../document.ts';
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
export const DOCUMENT_SOURCES: DocumentSource[] = [
  statuspageV2Documents,
  siteInfoDocuments,
  uptimeDocuments,
  historyDocuments,
  feedDocuments,
  calendarDocuments,
  badgeDocuments,
  widgetDocuments,
  policyDocuments,
];
