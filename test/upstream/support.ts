import { readFileSync } from 'node:fs';

/** The fixtures describe the morning of 17 November 2026 (UTC); parsing happens "now". */
export const NOW = new Date('2026-11-17T16:00:00Z');

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixture(name)) as unknown;
}
