import { afterEach, describe, expect, it } from 'vitest';
import { fileDatabase, memoryDatabase } from '../helpers/db.ts';
import { openDatabase, tuneLocalDatabase } from '../../db/client.ts';
import { loadSigningSecret, signSubscriberToken, subscriberLinks, verifySubscriberToken } from '../../worker/subscribers/links.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('loadSigningSecret', () => {
  it('creates one secret per installation and returns it again', async () => {
    const database = await memoryDatabase();
    cleanups.push(database.close);
    const first = await loadSigningSecret(database.db);
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(await loadSigningSecret(database.db)).toBe(first);
  });

  it('two processes sharing a database file agree on the same secret', async () => {
    const database = await fileDatabase();
    cleanups.push(database.cleanup);
    const other = openDatabase(database.url);
    cleanups.push(other.close);
    await tuneLocalDatabase(other.client, database.url);
    const [a, b] = await Promise.all([loadSigningSecret(database.db), loadSigningSecret(other.db)]);
    expect(a).toBe(b);
  });

  it('differs between installations', async () => {
    const one = await memoryDatabase();
    const two = await memoryDatabase();
    cleanups.push(one.close, two.close);
    expect(await loadSigningSecret(one.db)).not.toBe(await loadSigningSecret(two.db));
  });
});

describe('subscriber links', () => {
  const secret = 'a-secret-for-tests';

  it('builds manage, unsubscribe and one-click URLs under the public address', () => {
    const links = subscriberLinks(secret, 'https://status.example.com/', 'abc123def456');
    expect(links.manageUrl).toMatch(/^https:\/\/status\.example\.com\/api\/subscriptions\/manage\?token=manage\.abc123def456\.[\w-]{22}$/);
    expect(links.unsubscribeUrl).toMatch(/^https:\/\/status\.example\.com\/api\/subscriptions\/unsubscribe\?token=unsubscribe\.abc123def456\.[\w-]{22}$/);
    expect(links.oneClickUrl).toBe(links.unsubscribeUrl);
  });

  it('keeps a path prefix of the public address', () => {
    expect(subscriberLinks(secret, 'https://example.com/status', 'abc').manageUrl).toMatch(/^https:\/\/example\.com\/status\/api\/subscriptions\/manage\?/);
  });

  it('verifies its own tokens and refuses tampered, re-aimed or foreign ones', () => {
    const token = signSubscriberToken(secret, 'manage', 'abc123def456');
    expect(verifySubscriberToken(secret, 'manage', token)).toBe('abc123def456');
    expect(verifySubscriberToken(secret, 'unsubscribe', token)).toBeNull();
    expect(verifySubscriberToken('another-secret', 'manage', token)).toBeNull();
    expect(verifySubscriberToken(secret, 'manage', token.replace('abc123def456', 'abc123def457'))).toBeNull();
    const signature = token.split('.')[2]!;
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(verifySubscriberToken(secret, 'manage', `manage.abc123def456.${flipped}`)).toBeNull();
    // The last of 22 base64url characters carries 2 bits; its spare bits must not make a second valid spelling.
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(verifySubscriberToken(secret, 'manage', `manage.abc123def456.${signature.slice(0, -1)}${sibling}`)).toBeNull();
    expect(verifySubscriberToken(secret, 'manage', '')).toBeNull();
    expect(verifySubscriberToken(secret, 'manage', 'manage.abc123def456')).toBeNull();
    expect(verifySubscriberToken(secret, 'manage', null)).toBeNull();
  });
});
