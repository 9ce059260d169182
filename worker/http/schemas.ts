import { z } from 'zod';
import { INSTANT_FORMAT_HINT, readInstant } from '../lib/instant.ts';
import { COMPONENT_STATUSES, INCIDENT_STATUSES, SEVERITIES } from '../core/vocabulary.ts';

/**
 * An instant in ISO-8601 with an explicit offset (`Z` or `±hh:mm`), so it is never ambiguous, whose fields exist as
 * written (`2027-02-30` is refused, not read as 2 March): every request field that takes an instant uses this.
 */
export const instantSchema = z.string({ error: INSTANT_FORMAT_HINT }).transform((value, ctx) => {
  const reading = readInstant(value);
  if (reading.ok) return reading.date;
  ctx.addIssue({ code: 'custom', message: reading.problem });
  return z.NEVER;
});

export const severitySchema = z.literal(SEVERITIES, { error: 'must be a severity 1, 2, 3 or 4' });
export const incidentStatusSchema = z.enum(INCIDENT_STATUSES);
export const componentStatusSchema = z.enum(COMPONENT_STATUSES);
