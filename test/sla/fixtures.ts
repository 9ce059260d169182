import { compileCalendar, type CalendarConfig } from '../../worker/sla/calendar.ts';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** Mon–Fri 08:00–18:00, Sat 08:00–12:00, Sun closed, in Bogotá (UTC−5 all year). */
export const BOGOTA_CONFIG: CalendarConfig = {
  id: 'bogota',
  timezone: 'America/Bogota',
  week: {
    mon: ['08:00-18:00'],
    tue: ['08:00-18:00'],
    wed: ['08:00-18:00'],
    thu: ['08:00-18:00'],
    fri: ['08:00-18:00'],
    sat: ['08:00-12:00'],
    sun: [],
  },
  holidays: ['2026-12-08', '2026-12-25'],
};

export const bogota = () => compileCalendar(BOGOTA_CONFIG);

/** Mon–Fri 08:00–18:00 only. */
export const weekdays = (timezone: string, extra: Partial<CalendarConfig> = {}) =>
  compileCalendar({
    id: `weekdays-${timezone}`,
    timezone,
    week: { mon: ['08:00-18:00'], tue: ['08:00-18:00'], wed: ['08:00-18:00'], thu: ['08:00-18:00'], fri: ['08:00-18:00'] },
    ...extra,
  });

/** Open around the clock every day. */
export const allDay = (timezone: string, holidays: string[] = []) =>
  compileCalendar({
    id: `all-day-${timezone}`,
    timezone,
    week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']])),
    holidays,
  });
