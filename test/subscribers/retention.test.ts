import { afterEach, beforeEach, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { CONFIRM_TOKEN_TTL_MS } from '../../worker/subscribers/confirm-token.ts';
import { purgeUnconfirmed, UNCONFIRMED_RETENTION_MS } from '../../worker/subscribers/retention.ts';
import { testApp } from '../helpers/app.ts';
import { confirmedSubscriber, subscribeJson, subscriber, type TestApp } from './fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ now: '2026-11-20T15:00:00Z' });
});
afterEach(() => t.close());

it('forgets addresses that never confirmed, with their mail, once the retention has passed', async () => {
  await subscribeJson(t, { email: 'never@example.com' });
  await confirmedSubscriber(t, { email: 'kept@example.com' });
  t.clock.advance(CONFIRM_TOKEN_TTL_MS + UNCONFIRMED_RETENTION_MS - 1);
  expect(await purgeUnconfirmed(t.database.db, t.clock.now())).toBe(0);

  t.clock.advance(2);
  expect(await purgeUnconfirmed(t.database.db, t.clock.now())).toBe(1);
  expect(await subscriber(t, 'never@example.com')).toBeUndefined();
  expect((await subscriber(t, 'kept@example.com'))!.status).toBe('confirmed');
  expect((await t.database.db.select().from(outbox)).map((m) => m.target)).toEqual(['kept@example.com']);
});
