import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { CHANNELS } from '../../worker/core/notices.ts';
import { channelModule, deliveryChannels } from '../../worker/delivery/channels.ts';
import { memoryDatabase } from '../helpers/db.ts';
import { mailContext } from './support.ts';

describe('delivery channels', () => {
  let database: DatabaseHandle;
  let dataDir: string;
  beforeEach(async () => {
    database = await memoryDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'vigia-channels-'));
  });
  afterEach(() => {
    database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has a module for every declared channel, and none for anything else', () => {
    const registry = deliveryChannels(mailContext(database), { dataDir });
    for (const channel of CHANNELS) expect(channelModule(registry, channel), channel).toBeDefined();
    expect(channelModule(registry, 'fax')).toBeUndefined();
    expect(channelModule(registry, 'toString')).toBeUndefined();
  });

  it('e-mail checks addresses, and sends through Resend only when the environment has a key', () => {
    const files = deliveryChannels(mailContext(database), { dataDir }).email;
    expect(files.targetProblem('ana@cliente.example')).toBeNull();
    expect(files.targetProblem('ana@cliente.example\r\nBcc: x@y.example')).toMatch(/control characters/);
    expect(files.send.name).toBe('eml-files');
    const resend = deliveryChannels(mailContext(database, { env: { RESEND_API_KEY: 're_test_key' } }), { dataDir }).email;
    expect(resend.send).toMatchObject({ name: 'resend', rateLimited: true });
  });
});
