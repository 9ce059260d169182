import { jsonDocument, type DocumentSource } from '../document.ts';
import { v2Components, v2Context, v2Incidents, v2Maintenances, v2Page, v2Status, v2Summary } from '../../status/statuspage-v2.ts';

/** The public read API, compatible with Atlassian Statuspage's public v2 API, under `/api/v2/`. */
export const statuspageV2Documents: DocumentSource = async ({ config, state, now }) => {
  const ctx = v2Context(config, state, now);
  const page = v2Page(ctx);
  const bodies: [string, () => unknown][] = [
    ['summary.json', () => v2Summary(ctx)],
    ['status.json', () => ({ page, status: v2Status(ctx) })],
    ['components.json', () => ({ page, components: v2Components(ctx) })],
    ['incidents.json', () => ({ page, incidents: v2Incidents(ctx, 'all') })],
    ['incidents/unresolved.json', () => ({ page, incidents: v2Incidents(ctx, 'unresolved') })],
    ['scheduled-maintenances.json', () => ({ page, scheduled_maintenances: v2Maintenances(ctx, 'all') })],
    ['scheduled-maintenances/upcoming.json', () => ({ page, scheduled_maintenances: v2Maintenances(ctx, 'upcoming') })],
    ['scheduled-maintenances/active.json', () => ({ page, scheduled_maintenances: v2Maintenances(ctx, 'active') })],
  ];
  const documents = [];
  for (const [path, body] of bodies) {
    documents.push(jsonDocument(`/api/v2/${path}`, body()));
    // With hundreds of open incidents each body is tens of milliseconds of work: requests go in between.
    await new Promise((r) => setImmediate(r));
  }
  return documents;
};
