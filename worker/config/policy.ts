import {
  compileCalendar,
  compileSeverityPolicies,
  DEFAULT_SEVERITY_POLICY_CONFIG,
  SlaConfigError,
  type BusinessCalendar,
  type PriorityMatrix,
  type SeverityPolicy,
} from '../sla/index.ts';
import { localizedText, type Locale, type ParsedConfig } from './schema.ts';

/** The support policy compiled from the config: calendars and severity targets ready for the SLA clock. */
export interface SupportPolicy {
  calendars: Map<string, BusinessCalendar>;
  defaultCalendarId: string;
  severities: SeverityPolicy[];
  /** How long before a target the admins are warned. */
  warningMarginMs: number;
  /** Support regions, each on its own calendar; `severities` are the region's own levels, else the policy's. */
  regions: RegionPolicy[];
  /** When the levels are the cells of a priority × impact matrix. */
  matrix: PriorityMatrix | null;
}

export interface RegionPolicy {
  id: string;
  name: { es: string; en: string; 'pt-BR'?: string };
  calendarId: string;
  severities: SeverityPolicy[];
}

/** The levels that apply on a calendar: its region's own, else the policy's. */
export function severitiesFor(policy: SupportPolicy, calendarId: string | null): SeverityPolicy[] {
  if (calendarId === null) return policy.severities;
  return policy.regions.find((r) => r.calendarId === calendarId)?.severities ?? policy.severities;
}

/** The regions that declare levels of their own (the others use the policy's). */
export const regionsWithOwnLevels = (policy: SupportPolicy): RegionPolicy[] => policy.regions.filter((r) => r.severities !== policy.severities);

/** The level as the region counted on `calendarId` declares it, when that region has levels of its own; else null. */
export function regionLevel(policy: SupportPolicy, level: number, calendarId: string | null | undefined): SeverityPolicy | null {
  if (!calendarId) return null;
  const region = regionsWithOwnLevels(policy).find((r) => r.calendarId === calendarId);
  return region?.severities.find((s) => s.level === level) ?? null;
}

/**
 * A level's name as the incident's readers know it: the level of the incident's region (named by its calendar) when
 * the region has levels of its own, else the policy's; the bare number when neither declares the level. The one
 * place e-mails and chat messages take a level's name from.
 */
export function levelName(policy: SupportPolicy, level: number, calendarId: string | null | undefined, locale: Locale): string {
  const severity = severitiesFor(policy, calendarId ?? null).find((s) => s.level === level) ?? policy.severities.find((s) => s.level === level);
  return severity ? localizedText(severity.name, locale) : String(level);
}

/** Used when the file declares no business hours: Mon–Fri 08:00–18:00 in the site's time zone. */
export const DEFAULT_CALENDAR_ID = 'default';

/**
 * Compiles `business_hours` and `severities`. Throws `{ path, message }` problems relative to the file's root,
 * so the loader can name the key path (e.g. `business_hours.calendars.bogota.week.mon[1]`).
 */
export function compileSupportPolicy(config: ParsedConfig): SupportPolicy {
  const calendars = new Map<string, BusinessCalendar>();
  const hours = config.business_hours ?? {
    default: DEFAULT_CALENDAR_ID,
    calendars: {
      [DEFAULT_CALENDAR_ID]: {
        timezone: config.site.timezone,
        week: { mon: ['08:00-18:00'], tue: ['08:00-18:00'], wed: ['08:00-18:00'], thu: ['08:00-18:00'], fri: ['08:00-18:00'], sat: [], sun: [] },
        holidays: [],
      },
    },
  };
  for (const [id, calendar] of Object.entries(hours.calendars)) {
    withPath(['business_hours', 'calendars', id], () => calendars.set(id, compileCalendar({ id, ...calendar })));
  }
  const options = { immediateGraceMs: config.sla.immediate_grace };
  const severities = withPath(['severities'], () => compileSeverityPolicies(config.severities ?? DEFAULT_SEVERITY_POLICY_CONFIG, options));
  const regions = Object.entries(config.regions ?? {}).map(([id, region]) => ({
    id,
    name: region.name,
    calendarId: region.calendar,
    severities: region.severities ? withPath(['regions', id, 'severities'], () => compileSeverityPolicies(region.severities!, options)) : severities,
  }));
  return {
    calendars,
    defaultCalendarId: hours.default,
    severities,
    warningMarginMs: config.sla.warning_margin,
    regions,
    matrix: config.priority_matrix ?? null,
  };
}

export class PolicyProblem extends Error {
  constructor(
    readonly path: (string | number)[],
    readonly detail: string,
  ) {
    super(detail);
  }
}

function withPath<T>(prefix: (string | number)[], compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof SlaConfigError) throw new PolicyProblem([...prefix, ...error.path], error.detail);
    throw error;
  }
}
