import type { DocumentSource } from '../document.ts';
import { historyDocuments } from './history.ts';
import { siteInfoDocuments } from './site-info.ts';
import { statuspageV2Documents } from './statuspage-v2.ts';
import { uptimeDocuments } from './uptime.ts';

/**
 * Every source of published documents, in one list. The publisher runs them all on each rebuild;
 * a new public endpoint is a new module here, not a new route.
 */
export const DOCUMENT_SOURCES: DocumentSource[] = [statuspageV2Documents, siteInfoDocuments, uptimeDocuments, historyDocuments];
