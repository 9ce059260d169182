import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A worker's name in the leases it holds: its host and process, and a random part so a restart is a new holder. */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
