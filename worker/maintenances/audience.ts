import type { DbOrTx } from '../../db/client.ts';
import type { Channel } from '../core/notices.ts';
import { maintenanceRecipientPages } from '../notices/recipients.ts';

export interface MaintenanceAudience {
  total: number;
  by_channel: Partial<Record<Channel, number>>;
}

/**
 * Who a window on these components would be announced to, counted per channel: the same choice of recipients the
 * announcement makes (no components: everyone), so the console's figure is the one the outbox will show.
 */
export async function maintenanceAudience(db: DbOrTx, componentIds: readonly string[]): Promise<MaintenanceAudience> {
  const byChannel: Partial<Record<Channel, number>> = {};
  let total = 0;
  for await (const page of maintenanceRecipientPages(db, componentIds, 'maintenance.announcement')) {
    for (const recipient of page) byChannel[recipient.channel] = (byChannel[recipient.channel] ?? 0) + 1;
    total += page.length;
  }
  return { total, by_channel: byChannel };
}
