import { embedStrings } from '../../feeds/strings.ts';
import { maintenanceCalendar, maintenancesCalendar } from '../../maintenances/ics.ts';
import { nextTurn } from '../../status/turns.ts';
import type { DocumentSource, PublishedDocument } from '../document.ts';

export const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

/**
 * `/maintenances.ics`: every upcoming and recent window (the published ones, cancelled included), to subscribe
 * to from a calendar app (`webcal://…/maintenances.ics`). Served inline, not as a download, so apps can poll it.
 * Each of those windows' own file, `/maintenances/<id>.ics` ("add to calendar"), is published too; an older
 * window's file is still answered by `routes/calendar.ts`, from the database.
 */
export const calendarDocuments: DocumentSource = async ({ config, state }) => {
  const { site } = config;
  const windows = [...state.maintenances].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id));
  const name = `${site.name}: ${embedStrings(site.default_locale).calendarName}`;
  const documents: PublishedDocument[] = [
    {
      path: '/maintenances.ics',
      contentType: CALENDAR_TYPE,
      body: maintenancesCalendar(windows, { url: site.url, name: site.name }, name),
      headers: { 'content-disposition': 'inline; filename="maintenances.ics"' },
    },
  ];
  for (const w of windows) {
    // Writing a calendar takes milliseconds (the writer validates every event): requests go in between.
    await nextTurn();
    documents.push({
      path: `/maintenances/${w.id}.ics`,
      contentType: CALENDAR_TYPE,
      body: maintenanceCalendar(w, { url: site.url, name: site.name }),
      headers: { 'content-disposition': `attachment; filename="maintenance-${w.id}.ics"` },
    });
  }
  return documents;
};
