import type { z } from 'zod';

/** Renders a key path the way it is written in YAML or JSON: `components[2].sources[0]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
  null: 'null',
};

/** Whether `path` leads to a value that was sent (a key present, even if its value is null). */
function isPresent(root: unknown, path: readonly PropertyKey[]): boolean {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return false;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value !== undefined;
}

// zod's own wording starts so; a schema's chosen message (`{ error: 'must be …' }`) is kept as written.
const isZodWording = (message: string) => /^(Invalid input|Too big|Too small)\b/.test(message);

/**
 * One zod problem in the API's words, judged against the value that was checked: a field that is absent "is
 * required", one that is there with the wrong type "must be a string" (zod cannot tell the two apart itself unless
 * asked to keep every input), a list over its cap "must have at most 200 items".
 */
export function describeZodIssue(issue: z.core.$ZodIssue, root: unknown): { path: string; message: string } {
  const path = formatKeyPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  }
  if (!isZodWording(issue.message)) return { path, message: issue.message };
  if (issue.code === 'invalid_type') {
    if (!isPresent(root, issue.path)) return { path, message: 'is required' };
    return { path, message: `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}` };
  }
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const most = issue.code === 'too_big';
    const limit = Number(most ? (issue as { maximum: unknown }).maximum : (issue as { minimum: unknown }).minimum);
    if (issue.inclusive === false && issue.origin !== 'array' && issue.origin !== 'string') {
      return { path, message: `must be ${most ? 'less' : 'more'} than ${limit}` };
    }
    const bound = issue.inclusive === false ? (most ? limit - 1 : limit + 1) : limit;
    const word = most ? 'at most' : 'at least';
    if (issue.origin === 'array' || issue.origin === 'set') return { path, message: `must have ${word} ${bound} item${bound === 1 ? '' : 's'}` };
    if (issue.origin === 'string') return { path, message: !most && bound === 1 ? 'must not be empty' : `must be ${word} ${bound} characters` };
    return { path, message: `must be ${word} ${limit}` };
  }
  return { path, message: issue.message };
}

/** Problems named in one message at most: a list of 10,000 bad items must not make a message of 10,000 lines. */
export const MAX_DESCRIBED_ISSUES = 10;

/** The problems as `field: message`, joined for one error message (the first few, then how many more). */
export function describeZodError(error: z.ZodError, root: unknown): string {
  const shown = error.issues
    .slice(0, MAX_DESCRIBED_ISSUES)
    .map((issue) => describeZodIssue(issue, root))
    .map(({ path, message }) => (path ? `${path}: ${message}` : message));
  const more = error.issues.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more problem${more > 1 ? 's' : ''}` : ''}`;
}
