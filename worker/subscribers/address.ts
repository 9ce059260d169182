import { z } from 'zod';

/** RFC 5321 limits: 254 characters in all, 64 before the "@". */
const MAX_ADDRESS = 254;
const MAX_LOCAL_PART = 64;

/** Trimmed and lower-cased, so one mailbox is one subscriber however it was typed. */
export function normaliseEmail(value: string): string {
  return value.normalize('NFC').trim().toLowerCase();
}

/** A mail address as people type it: normalised, then checked for a sane shape and length. */
export const emailSchema = z
  .string({ error: 'must be an e-mail address' })
  .transform(normaliseEmail)
  .pipe(
    z
      .email({ error: 'must be an e-mail address such as ana@example.com' })
      .max(MAX_ADDRESS, { error: `must be at most ${MAX_ADDRESS} characters` })
      .refine((address) => address.split('@')[0]!.length <= MAX_LOCAL_PART, { error: `the part before "@" must be at most ${MAX_LOCAL_PART} characters` }),
  );
