import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_REQUEST_LIMIT } from '../../worker/routes/subscriptions.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

/**
 * The subscription limits through a real @hono/node-server socket: what a client can forge (X-Forwarded-For) does
 * not make it a new client, and no number of clients can queue more confirmation mails than the hourly cap.
 */
let running: TempVigia | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  agent?.destroy();
  await running?.close();
  running = undefined;
});

async function start(env: Record<string, string>) {
  running = await startTempVigia({ env: { VIGIA_BUILD_SITE: '0', ...env } });
  // One socket for every request: the peer the server sees never changes.
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return running;
}

function subscribe(email: string, forwardedFor: string): Promise<{ status: number; retryAfter?: string; body: any }> {
  const payload = JSON.stringify({ email });
  return new Promise((resolve, reject) => {
    const req = request(
      `${running!.vigia.url}/api/subscriptions`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-forwarded-for': forwardedFor } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const countOf = async (sql: string) => (await running!.vigia.app.db.get<{ n: number }>(sql))!.n;
const confirmations = () => countOf(`select count(*) as n from outbox where kind = 'subscription.confirm'`);

describe('subscription limits behind forwarded headers', () => {
  it('limits rotating X-Forwarded-For values from one socket when no proxy is configured', async () => {
    await start({});
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await subscribe(`p${i}@example.com`, `198.51.100.${i}`)).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(CLIENT_REQUEST_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - CLIENT_REQUEST_LIMIT);
    expect(await confirmations()).toBe(CLIENT_REQUEST_LIMIT);
  });

  it('behind a configured proxy, a client is the hop the proxy added, whatever it forged to the left', async () => {
    await start({ TRUSTED_PROXIES: '127.0.0.1' });
    const forged: number[] = [];
    for (let i = 0; i < 20; i++) forged.push((await subscribe(`f${i}@example.com`, `10.${i}.0.1, 203.0.113.${i}, 198.51.100.77`)).status);
    expect(forged.filter((s) => s === 202)).toHaveLength(CLIENT_REQUEST_LIMIT);
    // Other clients through the same proxy are other clients.
    expect((await subscribe('otra@example.com', '198.51.100.78')).status).toBe(202);
  });

  it('queues no more confirmation mails in an hour than the cap, answering 429 with Retry-After', async () => {
    await start({ TRUSTED_PROXIES: '127.0.0.1', CONFIRMATION_MAILS_PER_HOUR: '5' });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await subscribe(`c${i}@example.com`, `198.51.100.${i}`));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
    const refused = answers[5]!;
    expect(refused.body).toEqual({ error: { code: 'confirmations_paused', message: expect.stringMatching(/try again in \d+ minutes/) } });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600);
    expect(await confirmations()).toBe(5);
    // Refused requests store nothing either.
    expect(await countOf('select count(*) as n from subscribers')).toBe(5);
  });
});
