import { createHash, randomBytes } from 'node:crypto';

/** A secret handed out once (a session cookie, an API token, a link): 32 random bytes, base64url. */
export const newSecret = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

/** What is stored of a secret: its sha256, hex. A secret of 256 random bits needs no slow hash. */
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');
