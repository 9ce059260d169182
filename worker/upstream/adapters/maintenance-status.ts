import type { UpstreamMaintenanceStatus } from '../../core/vocabulary.ts';

/**
 * A maintenance's state from its window, for formats that do not say (or say something we do not know):
 * before the start it is scheduled, after the end completed, in between in progress.
 */
export function inferMaintenanceStatus(startsAt: Date, endsAt: Date | null, now: Date): UpstreamMaintenanceStatus {
  if (now.getTime() < startsAt.getTime()) return 'scheduled';
  if (endsAt && now.getTime() >= endsAt.getTime()) return 'completed';
  return 'in_progress';
}
