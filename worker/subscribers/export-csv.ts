import { iso } from '../lib/iso.ts';
import type { SubscriberWithComponents } from './store.ts';

/** Columns of the export; the first four are the import's, so an export can be imported elsewhere. */
export const EXPORT_COLUMNS = [
  'email',
  'components',
  'locale',
  'timezone',
  'status',
  'incident_notices',
  'min_severity',
  'consent_source',
  'confirmed_at',
  'unsubscribed_at',
  'suppressed_reason',
  'created_at',
] as const;

/**
 * Quotes a cell per RFC 4180. Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first)
 * gets a leading apostrophe: addresses and consent labels come from people.
 */
function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function subscribersCsv(rows: readonly SubscriberWithComponents[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const s of rows) {
    lines.push(
      [
        s.email,
        s.componentIds.join(';'),
        s.locale,
        s.timezone,
        s.status,
        s.incidentNotices,
        s.minSeverity,
        s.consentSource,
        iso(s.confirmedAt),
        iso(s.unsubscribedAt),
        s.suppressedReason,
        iso(s.createdAt),
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
