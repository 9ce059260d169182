import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type ParsedConfig } from './schema.ts';
import { describeZodIssue } from '../lib/zod-issues.ts';
import { ConfigError, formatKeyPath } from './errors.ts';
import { compileSupportPolicy, PolicyProblem, type SupportPolicy } from './policy.ts';

/** The validated config, with the support policy (calendars, severity targets) compiled. */
export type Config = ParsedConfig & { policy: SupportPolicy };

/** Reads, parses and validates a config file; throws ConfigError naming the file, key path and problem. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ path: '', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
  }
  return parseConfigText(text, path);
}

/** Parses and validates YAML text; `file` is the name used in error messages. */
export function parseConfigText(text: string, file = 'vigia.config.yaml'): Config {
  const name = file;
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      name,
      document.errors.map((e) => ({
        path: '',
        message: `YAML syntax error at line ${e.linePos?.[0]?.line ?? '?'}, column ${e.linePos?.[0]?.col ?? '?'}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '')}`,
      })),
    );
  }
  const raw: unknown = document.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(name, [{ path: '', message: 'the file must be a YAML mapping with site, components, sources…' }]);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(name, result.error.issues.map((issue) => describeIssue(issue, raw)));
  try {
    return { ...result.data, policy: compileSupportPolicy(result.data) };
  } catch (error) {
    if (error instanceof PolicyProblem) throw new ConfigError(name, [{ path: formatKeyPath(error.path), message: error.detail }]);
    throw error;
  }
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): { path: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    // Point at the unknown key itself, which is what a person has to delete or rename.
    return {
      path: formatKeyPath([...issue.path, ...(issue.keys.length === 1 ? [issue.keys[0]!] : [])]),
      message: issue.keys.length === 1 ? `unknown key "${issue.keys[0]}"` : `unknown keys ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
    };
  }
  const described = describeZodIssue(issue, raw);
  // A file's reader wants to know what to write: "is required (string)".
  if (issue.code === 'invalid_type' && described.message === 'is required') return { ...described, message: `is required (${issue.expected})` };
  return described;
}
