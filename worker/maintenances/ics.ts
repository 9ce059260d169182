import { createEvent, createEvents, type EventAttributes } from 'ics';
import type { maintenances } from '../../db/schema/index.ts';

type MaintenanceRow = typeof maintenances.$inferSelect;

/** Control characters (other than line breaks, which the writer escapes) could break the file's line structure. */
const clean = (text: string) => text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');

/** The window's page on the status site. */
export const maintenancePageUrl = (siteUrl: string, id: string, path = '') => `${siteUrl.replace(/\/$/, '')}${path}/maintenances/${id}/`;
/** The window's calendar file. */
export const maintenanceIcsUrl = (siteUrl: string, id: string) => `${siteUrl.replace(/\/$/, '')}/maintenances/${id}.ics`;

const PRODUCT_ID = '-//Vigia//Maintenance windows//ES';

/**
 * The window as one calendar event. UID stays the same for the window's whole life (here and in the
 * subscribable feed) and SEQUENCE is its version (bumped on every reschedule and on cancellation), so calendar
 * apps update the event they already hold.
 */
function maintenanceEvent(window: MaintenanceRow, site: { url: string; name: string }): EventAttributes & { timestamp: number } {
  const host = new URL(site.url).hostname;
  const cancelled = window.status === 'cancelled';
  const page = maintenancePageUrl(site.url, window.id);
  return {
    uid: `maintenance-${window.id}@${host}`,
    sequence: window.version,
    // DTSTAMP: when this revision of the window was made, not when the file was fetched.
    timestamp: window.updatedAt.getTime(),
    start: window.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: window.endsAt.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: clean(`${site.name}: ${window.title}`),
    description: clean([window.message, page].filter(Boolean).join('\n\n')),
    url: page,
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'FREE',
    transp: 'TRANSPARENT',
    created: window.createdAt.getTime(),
    lastModified: window.updatedAt.getTime(),
  };
}

/** The window as an iCalendar file; a cancelled window is sent as METHOD:CANCEL with STATUS:CANCELLED. */
export function maintenanceCalendar(window: MaintenanceRow, site: { url: string; name: string }): string {
  const method = window.status === 'cancelled' ? 'CANCEL' : 'PUBLISH';
  const { error, value } = createEvent({ productId: PRODUCT_ID, method, ...maintenanceEvent(window, site) });
  if (error || !value) throw new Error(`could not write the calendar for maintenance "${window.id}": ${error?.message ?? 'no output'}`);
  return value;
}

/**
 * Many windows as one subscribable calendar (METHOD:PUBLISH). Each event is the one its window's own file
 * holds (same UID and SEQUENCE); a cancelled window stays in it with STATUS:CANCELLED so subscribers' apps drop it.
 */
export function maintenancesCalendar(windows: MaintenanceRow[], site: { url: string; name: string }, calendarName: string): string {
  const { error, value } = createEvents(
    windows.map((w) => maintenanceEvent(w, site)),
    { productId: PRODUCT_ID, method: 'PUBLISH', calName: clean(calendarName) },
  );
  if (error || !value) throw new Error(`could not write the maintenance calendar: ${error?.message ?? 'no output'}`);
  return value;
}
