/**
 * IANA time zones: whether the runtime knows one, their usual spelling, and the zones the subscription forms offer
 * (the worker's pages and the site's subscribe form offer the same list). Pure; the runtime's `Intl` data decides,
 * no tz library is bundled.
 */

/** Answers already given: making a formatter costs about 0.1 ms, and an import asks for every row. */
const known = new Map<string, boolean>();
/** More distinct strings than there are zones only come from junk input: the memory stays bounded. */
const MAX_REMEMBERED = 2_000;

/** Whether the runtime knows `zone` as an IANA time zone. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  const remembered = known.get(zone);
  if (remembered !== undefined) return remembered;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(zone, valid);
  return valid;
}

/** Zones offered in the subscription forms: the provider's region first; any IANA zone is accepted through the API. */
export const SUGGESTED_TIME_ZONES = [
  'America/Bogota',
  'America/Mexico_City',
  'America/Guatemala',
  'America/Costa_Rica',
  'America/Panama',
  'America/Lima',
  'America/Guayaquil',
  'America/Caracas',
  'America/Santo_Domingo',
  'America/La_Paz',
  'America/Santiago',
  'America/Asuncion',
  'America/Argentina/Buenos_Aires',
  'America/Montevideo',
  'America/Sao_Paulo',
  'America/New_York',
  'Europe/Madrid',
  'UTC',
] as const;

/** The suggestions plus the site's own zone (first) and, when given, the subscriber's current one. */
export function timeZoneChoices(siteZone: string, current?: string): string[] {
  return [...new Set([siteZone, ...(current ? [current] : []), ...SUGGESTED_TIME_ZONES])];
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires (America/Argentina/Buenos_Aires)". */
export function timeZoneLabel(zone: string): string {
  const city = zone.split('/').pop()!.replace(/_/g, ' ');
  return city === zone ? zone : `${city} (${zone})`;
}

let knownSpellings: Map<string, string> | undefined;

/**
 * A valid IANA zone name in its usual spelling ("america/bogota" → "America/Bogota"), or null when
 * unknown. Our suggestions win over the runtime's list, which still uses old names such as
 * America/Buenos_Aires; any other name the runtime accepts is kept as given.
 */
export function canonicalTimeZone(value: string): string | null {
  if (value.length > 64 || !isTimeZone(value)) return null;
  knownSpellings ??= new Map([...Intl.supportedValuesOf('timeZone'), ...SUGGESTED_TIME_ZONES].map((zone) => [zone.toLowerCase(), zone]));
  return knownSpellings.get(value.toLowerCase()) ?? value;
}
