import { jsonDocument, type DocumentSource } from '../document.ts';
import { v2Components, v2Context, v2Incidents, v2Maintenances, v2Page, v2Status, v2Summary } from '../../status/statuspage-v2.ts';

/** The public read API, compatible with Atlassian Statuspage's public v2 API, under `/api/v2/`. */
export const statuspageV2Documents: DocumentSource = ({ config, state, now }) => {
  const ctx = v2Context(config, state, now);
  const page = v2Page(ctx);
  const doc = (path: string, value: unknown) => jsonDocument(`/api/v2/${path}`, value);
  return [
    doc('summary.json', v2Summary(ctx)),
    doc('status.json', { page, status: v2Status(ctx) }),
    doc('components.json', { page, components: v2Components(ctx) }),
    doc('incidents.json', { page, incidents: v2Incidents(ctx, 'all') }),
    doc('incidents/unresolved.json', { page, incidents: v2Incidents(ctx, 'unresolved') }),
    doc('scheduled-maintenances.json', { page, scheduled_maintenances: v2Maintenances(ctx, 'all') }),
    doc('scheduled-maintenances/upcoming.json', { page, scheduled_maintenances: v2Maintenances(ctx, 'upcoming') }),
    doc('scheduled-maintenances/active.json', { page, scheduled_maintenances: v2Maintenances(ctx, 'active') }),
  ];
};
