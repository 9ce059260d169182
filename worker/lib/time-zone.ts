/** Answers already given: making a formatter costs about 0.1 ms, and an import asks for every row. */
const known = new Map<string, boolean>();
/** More distinct strings than there are zones only come from junk input: the memory stays bounded. */
const MAX_REMEMBERED = 2_000;

/** Whether the runtime knows `zone` as an IANA time zone (its `Intl` data decides: no tz library is bundled). */
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
