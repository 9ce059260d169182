/** A key path inside a configuration object, e.g. `['week', 'mon', 1]`. */
export type ConfigPath = readonly (string | number)[];

/** Renders a key path the way people read it: `['week', 'mon', 1]` → `week.mon[1]`. */
export function formatConfigPath(path: ConfigPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}

/**
 * A configuration value that cannot be used. `path` locates the value relative to the object that was
 * being compiled and `detail` says what is wrong; `message` joins both. A caller that knows where the
 * object sits in a larger file prefixes its own path to `path`.
 */
export class SlaConfigError extends Error {
  readonly path: ConfigPath;
  readonly detail: string;

  constructor(path: ConfigPath, detail: string) {
    super(path.length > 0 ? `${formatConfigPath(path)}: ${detail}` : detail);
    this.name = 'SlaConfigError';
    this.path = path;
    this.detail = detail;
  }
}
