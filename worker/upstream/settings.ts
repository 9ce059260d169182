/**
 * A source's `settings` (from the config file or the admin API) are the adapter's options. The config speaks
 * snake_case (`expect_text`, `slow_ms`, `recent_days`) while the adapters' schemas are camelCase; both spellings are
 * accepted and read the same. Validation names the offending setting.
 */
import type { z } from 'zod';
import { adapterOptionsSchemas } from './adapter.ts';
import type { SourceType } from '../core/vocabulary.ts';

const snakeToCamel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** Keys in camelCase, nested objects included (e.g. `expect_status: { min, max }`). */
export function normaliseSettings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseSettings);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeToCamel(key), normaliseSettings(inner)]));
}

export interface SettingsIssue {
  /** Key path inside `settings`, in the adapter's spelling. */
  path: (string | number)[];
  message: string;
}

export type SettingsCheck = { ok: true; options: unknown } | { ok: false; issues: SettingsIssue[] };

/** Checks settings against the adapter's option schema; `options` is what the adapter receives. */
export function checkSourceSettings(type: SourceType, settings: unknown): SettingsCheck {
  const schema: z.ZodType = adapterOptionsSchemas[type];
  const result = schema.safeParse(normaliseSettings(settings ?? {}));
  if (result.success) return { ok: true, options: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: asWritten(settings, issue.path.filter((part): part is string | number => typeof part !== 'symbol')),
      message: issue.code === 'unrecognized_keys' ? `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message,
    })),
  };
}

/** A key path of the normalised settings, spelled as the caller wrote it (`slowMs` → `slow_ms`). */
function asWritten(original: unknown, path: (string | number)[]): (string | number)[] {
  const out: (string | number)[] = [];
  let node = original;
  for (const part of path) {
    const key =
      typeof part === 'string' && typeof node === 'object' && node !== null && !Array.isArray(node)
        ? (Object.keys(node).find((k) => snakeToCamel(k) === part) ?? part)
        : part;
    out.push(key);
    node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return out;
}

const optionsMemo = new Map<string, unknown>();

/**
 * The adapter options for stored settings; settings that no longer validate are passed as they are (the parse
 * reports them). Remembered per distinct settings, since every poll asks.
 */
export function adapterOptionsFor(type: SourceType, settings: unknown): unknown {
  const key = `${type}:${JSON.stringify(settings ?? {})}`;
  if (optionsMemo.has(key)) return optionsMemo.get(key);
  const check = checkSourceSettings(type, settings);
  const options = check.ok ? check.options : normaliseSettings(settings ?? {});
  // A handful of distinct settings in practice; the bound only guards against churn.
  if (optionsMemo.size >= 1000) optionsMemo.clear();
  optionsMemo.set(key, options);
  return options;
}
