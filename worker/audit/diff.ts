/**
 * What a change did, field by field: `{ field: { before, after } }` for each top-level field whose value differs.
 * Secrets never enter the log (fields named like hashes, tokens, secrets, passwords), and a long value is cut.
 */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

const SECRET_FIELD = /hash|token|secret|password|credential/i;
/** Characters of one value's JSON kept at most; longer values are cut and say how long they were. */
export const MAX_VALUE_CHARS = 2_000;

export function fieldChanges(before: unknown, after: unknown): FieldChanges {
  const a = asRecord(before);
  const b = asRecord(after);
  const changes: FieldChanges = {};
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (SECRET_FIELD.test(field)) continue;
    const was = field in a ? a[field] : null;
    const is = field in b ? b[field] : null;
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[field] = { before: bounded(was), after: bounded(is) };
  }
  return changes;
}

const asRecord = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function bounded(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} characters)` : value;
}
