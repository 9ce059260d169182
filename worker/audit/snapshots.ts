/**
 * How each kind of thing the admin API changes is read before and after a change, so the audit log can say which
 * fields changed: one reader per collection of the API's paths. A collection without one is logged without fields.
 */
import type { DbOrTx } from '../../db/client.ts';
import { loadMaintenanceViews } from '../maintenances/admin-view.ts';
import { loadSourceDetails } from '../sources/read.ts';
import { loadIncidentView } from '../status/read-model.ts';
import { findChannelSubscription } from '../subscribers/channel-store.ts';
import { findSubscriberWithComponents } from '../subscribers/store.ts';

type Snapshot = (db: DbOrTx, id: string) => Promise<Record<string, unknown> | null>;

const plain = (value: unknown) => (value ? (JSON.parse(JSON.stringify(value)) as Record<string, unknown>) : null);

export const SNAPSHOTS: Record<string, { entity: string; read?: Snapshot }> = {
  incidents: { entity: 'incident', read: async (db, id) => plain(await loadIncidentView(db, id)) },
  maintenances: { entity: 'maintenance', read: async (db, id) => plain((await loadMaintenanceViews(db, [id]))[0]) },
  sources: {
    entity: 'source',
    read: async (db, id) => {
      const found = (await loadSourceDetails(db, [id]))[0];
      return found ? plain({ ...found.row, components: found.componentIds }) : null;
    },
  },
  // A subscriber's address is personal data that erasure removes: the log keeps the id and the settings, not the address.
  subscribers: {
    entity: 'subscriber',
    read: async (db, id) => {
      const found = await findSubscriberWithComponents(db, id);
      if (!found) return null;
      const { email: _email, ...rest } = found;
      return plain(rest);
    },
  },
  // A channel subscription's URL may carry its secret, and its keys are secrets: the log keeps neither.
  channel_subscriptions: {
    entity: 'channel_subscription',
    read: async (db, id) => {
      const found = await findChannelSubscription(db, id);
      if (!found) return null;
      const { url: _url, signingSecret: _secret, confirmTokenHash: _hash, ...rest } = found;
      return plain(rest);
    },
  },
  outbox: { entity: 'outbox' },
  accounts: { entity: 'account' },
  tokens: { entity: 'token' },
  session: { entity: 'session' },
  me: { entity: 'account' },
};
