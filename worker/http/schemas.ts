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

export const severitySchema = z.literal(SEVERITIES, { error: 'must be a severity from 1 to 9' });
export const incidentStatusSchema = z.enum(INCIDENT_STATUSES);
export const componentStatusSchema = z.enum(COMPONENT_STATUSES);

/** Ids in one list at most: more components than any page shows, few enough for one statement. */
export const MAX_IDS_PER_LIST = 200;

/** A list of ids (component ids…): each a short non-empty string, at most `max`, repeats dropped in order. */
export const idListSchema = (max = MAX_IDS_PER_LIST) =>
  z
    .array(z.string({ error: 'must be an id (a string)' }).trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be an id of at most 100 characters' }), {
      error: 'must be a list of ids',
    })
    .max(max, { error: `must have at most ${max} ids` })
    .transform((ids) => [...new Set(ids)]);

/**
 * Affected components: ids, or `{ id, status }` to set a component's state. A component listed twice with the same
 * state counts once; listed with two different states, the list is refused.
 */
export const affectedComponentsSchema = z
  .array(
    z.union([
      z.string().trim().min(1).max(100),
      z.strictObject({ id: z.string().trim().min(1).max(100), status: componentStatusSchema.optional() }),
    ], { error: 'must be a component id, or { "id", "status" }' }),
    { error: 'must be a list of component ids' },
  )
  .max(MAX_IDS_PER_LIST, { error: `must have at most ${MAX_IDS_PER_LIST} components` })
  .transform((entries, ctx) => {
    const byId = new Map<string, { id: string; status?: z.output<typeof componentStatusSchema> }>();
    entries.forEach((entry, i) => {
      const item = typeof entry === 'string' ? { id: entry } : entry;
      const seen = byId.get(item.id);
      if (!seen) byId.set(item.id, item);
      else if (seen.status !== item.status) ctx.addIssue({ code: 'custom', path: [i], message: `"${item.id}" is listed twice with different states` });
    });
    return [...byId.values()];
  });
