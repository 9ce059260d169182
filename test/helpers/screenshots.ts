import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Screenshots go to ./screenshots (ignored by git) for a person to look at. */
export function screenshotPath(name: string): string {
  const dir = join(import.meta.dirname, '../../screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
