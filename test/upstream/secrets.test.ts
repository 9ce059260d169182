/**
 * A source's credentials and URL secrets are sent, never shown: sources with a password in their URL and a token in
 * their query fail against a real server on 127.0.0.1, and no public document, no log line and no admin answer
 * holds the password or the token. The credentials are stored apart from the address, and rows stored before
 * that are moved at start-up.
 */
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sources } from '../../db/schema/index.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { redactText, splitCredentials, withCredentials } from '../../worker/lib/redact.ts';
import { syncConfigToDatabase } from '../../worker/store/sync-config.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { sourceRow, watchApp } from './watch-support.ts';

type Json = Record<string, any>;

const PASSWORD = 'hunter2-Sekr1t';
const TOKEN = 'tok-9f8e7d6c';
const SIGNATURE = 'sig-0a1b2c3d';

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>>;
const logLines: string[] = [];
/** Every admin answer read in the test, as text. */
const adminAnswers: string[] = [];

const withSecrets = (path: string): string => {
  const url = new URL(`${server.url}${path}`);
  url.username = 'ana';
  url.password = PASSWORD;
  return url.href;
};

async function admin(path: string, init: { method?: string; json?: unknown } = {}): Promise<Json> {
  const response = await app.request(`/api/admin${path}`, init);
  const text = await response.text();
  adminAnswers.push(text);
  return JSON.parse(text) as Json;
}

beforeAll(async () => {
  server = await startUpstreamServer();
  // Every page of these providers is down.
  server.fallback({ status: 503, body: 'down' });
  app = await watchApp({
    sources: [{ id: 'from-file', type: 'statuspage', url: withSecrets('/file/') }],
    components: [{ id: 'panel', sources: ['from-file'] }],
  });
  app.ctx.logger = createLogger('trace', new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
  const added = await admin('/sources', {
    method: 'POST',
    json: { id: 'from-admin', name: 'Admin', type: 'feed', url: `${withSecrets('/feed.atom')}?token=${TOKEN}&api_key=${TOKEN}&sig=${SIGNATURE}&lang=es`, component_ids: ['panel'] },
  });
  expect(added.source).toMatchObject({ id: 'from-admin', credentials_set: true });
  for (let i = 0; i < 3; i += 1) {
    app.clock.advance(120_000);
    await app.cycle();
  }
  await admin('/sources/from-admin/poll', { method: 'POST' });
  await admin('/sources/from-file/poll', { method: 'POST' });
  await admin('/sources');
  await admin('/sources/from-admin');
  await admin('/sources/detect', { method: 'POST', json: { url: `${withSecrets('/')}?key=${TOKEN}` } });
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

const leaks = (text: string): string[] => [PASSWORD, TOKEN, SIGNATURE, encodeURIComponent(PASSWORD)].filter((secret) => text.includes(secret));

describe('a source with credentials that cannot be read', () => {
  it('sent its credentials as Basic authorization, and is shown unreadable', async () => {
    const basic = `Basic ${Buffer.from(`ana:${PASSWORD}`).toString('base64')}`;
    expect(server.requests.filter((r) => r.path === '/feed.atom').every((r) => r.headers.authorization === basic)).toBe(true);
    expect(server.requests.some((r) => r.path === '/file/api/v2/summary.json' && r.headers.authorization === basic)).toBe(true);
    expect(await sourceRow(app.database.db, 'from-admin')).toMatchObject({ state: 'unknown', consecutiveFailures: expect.any(Number) });
  });

  it('stores the address without its credentials, and the credentials apart', async () => {
    const row = await sourceRow(app.database.db, 'from-admin');
    expect(row.url).not.toContain(PASSWORD);
    expect(row.credentials).toBe(`ana:${PASSWORD}`);
    expect((await sourceRow(app.database.db, 'from-file')).credentials).toBe(`ana:${PASSWORD}`);
    expect(row.lastError).toMatch(/HTTP 503/);
    expect(leaks(row.lastError!)).toEqual([]);
  });

  it('appears in no public document', async () => {
    const paths = [...app.publisher.paths()];
    expect(paths).toEqual(expect.arrayContaining(['/api/v2/components.json', '/api/v2/summary.json']));
    for (const path of paths) {
      const text = await (await app.request(path)).text();
      expect(leaks(text), path).toEqual([]);
      if (path.endsWith('.json')) expect(text, path).not.toContain('HTTP 503');
    }
    const { components } = (await (await app.request('/api/v2/components.json')).json()) as { components: Json[] };
    const panel = components.find((c) => c.id === 'panel')!;
    expect(panel.sources).toHaveLength(2);
    expect(panel.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'from-admin', state: 'unknown', state_since: expect.any(String) }),
        expect.objectContaining({ id: 'from-file', state: 'unknown', state_since: expect.any(String) }),
      ]),
    );
  });

  it('appears in no admin answer, which keeps the redacted error and says credentials are set', async () => {
    expect(adminAnswers.length).toBeGreaterThan(5);
    for (const answer of adminAnswers) expect(leaks(answer), answer.slice(0, 200)).toEqual([]);
    const { source } = await admin('/sources/from-admin');
    expect(source).toMatchObject({ credentials_set: true, last_error: expect.stringMatching(/HTTP 503 from .*token=redacted/) });
    expect(source.url).toContain('lang=es');
    expect(source).not.toHaveProperty('credentials');
  });

  it('appears in no log line', () => {
    expect(logLines.some((line) => line.includes('upstream'))).toBe(true);
    for (const line of logLines) expect(leaks(line), line).toEqual([]);
  });
});

describe('credentials stored in a URL before they were kept apart', () => {
  it('are moved out of the URL at start-up', async () => {
    await app.database.db.update(sources).set({ url: withSecrets('/old/'), credentials: null }).where(eq(sources.id, 'from-admin'));
    await syncConfigToDatabase(app.database.db, app.ctx.config, app.clock.now());
    const row = await sourceRow(app.database.db, 'from-admin');
    expect(row).toMatchObject({ url: `${server.url}/old/`, credentials: `ana:${PASSWORD}` });
  });
});

describe('the redaction', () => {
  it('hides credentials and secret parameters, and keeps the rest', () => {
    expect(redactText(`HTTP 503 from https://ana:${PASSWORD}@status.example.com/x?token=${TOKEN}&page=2&X-Api-Key=${TOKEN}`)).toBe(
      'HTTP 503 from https://redacted@status.example.com/x?token=redacted&page=2&X-Api-Key=redacted',
    );
    expect(redactText(`password=${PASSWORD} and secret=${TOKEN}`)).toBe('password=redacted and secret=redacted');
    expect(redactText('ana@example.com, no secret here')).toBe('ana@example.com, no secret here');
  });

  it('hides the secret path of chat webhooks, and keeps their host and public ids', () => {
    expect(redactText(`POST https://hooks.slack.com/services/T0AAA/B0BBB/${TOKEN} failed`)).toBe(
      'POST https://hooks.slack.com/services/T0AAA/B0BBB/redacted failed',
    );
    expect(redactText(`https://discord.com/api/webhooks/1234567890/${TOKEN}?wait=true`)).toBe(
      'https://discord.com/api/webhooks/1234567890/redacted?wait=true',
    );
    expect(redactText(`https://acme.webhook.office.com/webhookb2/aaaa-1@bbbb-2/IncomingWebhook/${TOKEN}/cccc-3`)).toBe(
      'https://acme.webhook.office.com/webhookb2/redacted',
    );
    expect(redactText('https://status.example.com/services/a/b/c')).toBe('https://status.example.com/services/a/b/c');
  });

  it('is applied by the logger to every field, error and message, whatever logs them', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const url = `https://ana:${PASSWORD}@status.example.com/x?token=${TOKEN}`;
    logger.warn({ url, nested: { list: [url] }, err: new Error(`request to ${url} failed`) }, `polling ${url}`);
    logger.info(`plain ${url}`);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(leaks(line), line).toEqual([]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ url: 'https://redacted@status.example.com/x?token=redacted', err: { type: 'Error', message: expect.stringContaining('redacted@') }, msg: expect.stringContaining('polling https://redacted@') });
  });

  it('splits credentials from a URL and puts them back, percent-encoding kept', () => {
    const split = splitCredentials('https://us%40er:p%3Ass@status.example.com/a?b=1');
    expect(split).toEqual({ url: 'https://status.example.com/a?b=1', credentials: 'us%40er:p%3Ass' });
    expect(withCredentials(split.url, split.credentials)).toBe('https://us%40er:p%3Ass@status.example.com/a?b=1');
  });
});
