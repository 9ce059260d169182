import { z } from 'zod';
import { COMPONENT_STATUSES, INCIDENT_STATUSES, SEVERITIES } from '../core/vocabulary.ts';

/** An instant in ISO-8601 with an explicit offset (`Z` or `±hh:mm`), so it is never ambiguous. */
export const instantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO-8601 instant with an offset, e.g. 2026-11-20T16:00:00-05:00')
  .transform((value, ctx) => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a real instant` });
      return z.NEVER;
    }
    return date;
  });

export const severitySchema = z.literal(SEVERITIES, { error: 'must be a severity 1, 2, 3 or 4' });
export const incidentStatusSchema = z.enum(INCIDENT_STATUSES);
export const componentStatusSchema = z.enum(COMPONENT_STATUSES);
