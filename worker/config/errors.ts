/** A config problem: names the file, the key path and what is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(problems.map((p) => `${file}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

// Key paths are written the same way in the config's problems and the API's.
export { formatKeyPath } from '../lib/zod-issues.ts';
