import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A short random identifier (like Statuspage's), 12 characters of [0-9a-z]: about 62 bits. */
export function newId(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 36];
  return out;
}
