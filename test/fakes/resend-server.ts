/**
 * A fake Resend API on 127.0.0.1 for tests and benchmarks, driven through the real `resend` SDK
 * (point it here with RESEND_BASE_URL or the SDK's `baseUrl`). It behaves like the real service where
 * the dispatcher depends on it:
 *
 * - `POST /emails` → `{ id }` and `POST /emails/batch` → `{ data: [{ id }] }` (plus `errors: [{ index,
 *   message }]` with `x-batch-validation: permissive`); errors as `{ statusCode, name, message }`.
 * - `Authorization: Bearer <key>` required (401 missing_api_key, 403 invalid_api_key).
 * - Field validation (from, to, subject, html/text, at most 100 emails per batch), 422 validation_error;
 *   strict batches fail as a whole, permissive ones per message.
 * - Idempotency keys kept 24 h: same key and body → the first answer again and nothing sent; same key,
 *   other body → 409 invalid_idempotent_request; same key while the first call runs → 409
 *   concurrent_idempotent_requests. Refused calls do not keep the key.
 * - A per-second limit over a sliding one-second window → 429 rate_limit_exceeded with retry-after and
 *   ratelimit-* headers; a daily quota → 429 daily_quota_exceeded.
 * - Programmable faults, in order or at a seeded random ratio: any status, a connection dropped before
 *   the request is processed, a connection dropped after it was accepted (the answer is lost), and slow
 *   answers before or after processing.
 *
 * Every accepted email is recorded, so a test can count deliveries per recipient or per outbox row.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../helpers/prng.ts';

export type Fault =
  | { kind: 'status'; status: number; name: string; message: string; headers?: Record<string, string> }
  /** Destroy the socket before doing anything: the request was not processed. */
  | { kind: 'drop-before' }
  /** Process (and record) the request, then destroy the socket instead of answering. */
  | { kind: 'drop-after' }
  /** Wait, then go on normally; `after`: process first, then wait before answering. */
  | { kind: 'delay'; ms: number; phase?: 'before' | 'after' };

export type RandomFaultMode = '500' | 'drop-before' | 'drop-after';

export interface FakeResendOptions {
  apiKey?: string;
  /** Accepted calls per sliding second; beyond → 429. Default: no limit. */
  rateLimitPerSecond?: number;
  /** Emails accepted per day; beyond → 429 daily_quota_exceeded. Default: no quota. */
  dailyQuota?: number;
  /** Share of calls (0…1) that meet a random fault from `failureModes`. */
  failureRatio?: number;
  failureModes?: RandomFaultMode[];
  seed?: number;
  /** Added to every answer, after processing. */
  latencyMs?: number;
  /** Keep subject/html/text of each delivery (off for very large runs). Default true. */
  recordBodies?: boolean;
  /** Clock for idempotency expiry and the daily quota (ms). */
  now?: () => number;
}

export interface Delivery {
  id: string;
  to: string[];
  from: string;
  subject?: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  /** The X-Entity-Ref-ID header, if any (the outbox row id). */
  ref: string | null;
  idempotencyKey: string | null;
  at: number;
}

export interface RequestRecord {
  at: number;
  path: string;
  idempotencyKey: string | null;
  emails: number;
  /** accepted | replayed | rejected | rate_limited | fault | dropped-before | dropped-after | conflict | unauthorized */
  outcome: string;
  status: number | null;
  /** When the answer was sent (or the socket dropped). */
  answeredAt: number | null;
}

export interface FakeResendServer {
  readonly url: string;
  readonly apiKey: string;
  readonly deliveries: Delivery[];
  readonly requests: RequestRecord[];
  /** Faults applied to the next calls, one per call, in order. */
  queueFaults(...faults: Fault[]): void;
  /** Addresses the API refuses as invalid (as Resend does for an address it cannot send to). */
  rejectRecipients(...addresses: string[]): void;
  configure(options: Partial<FakeResendOptions>): void;
  /** Deliveries per recipient address. */
  countsByRecipient(): Map<string, number>;
  /** Recipients (or refs) delivered more than once. */
  duplicates(by?: 'recipient' | 'ref'): string[];
  close(): Promise<void>;
}

const ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;
const FORMAT_HINT = 'The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';
const DAY_MS = 24 * 3_600_000;

function bareAddress(value: string): string {
  const m = /^[^<>]*<([^<>]+)>\s*$/.exec(value.trim());
  return (m ? m[1]! : value).trim();
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const errorAnswer = (status: number, name: string, message: string, headers?: Record<string, string>): Answer => ({
  status,
  body: { statusCode: status, name, message },
  ...(headers ? { headers } : {}),
});

interface KeyEntry {
  hash: string;
  at: number;
  answer: Answer | null; // null while the first call runs
}

export async function startFakeResend(initial: FakeResendOptions = {}): Promise<FakeResendServer> {
  const options: FakeResendOptions = { apiKey: 're_test_0123456789', recordBodies: true, failureModes: ['500', 'drop-before', 'drop-after'], ...initial };
  let random = seededRandom(options.seed ?? 1);
  const now = () => (options.now ?? Date.now)();
  const deliveries: Delivery[] = [];
  const requests: RequestRecord[] = [];
  const faults: Fault[] = [];
  const rejected = new Set<string>();
  const keys = new Map<string, KeyEntry>();
  let admitted: number[] = [];
  const sentPerDay = new Map<number, number>();

  function takeFault(): Fault | null {
    const queued = faults.shift();
    if (queued) return queued;
    const ratio = options.failureRatio ?? 0;
    if (ratio > 0 && random() < ratio) {
      const modes = options.failureModes?.length ? options.failureModes : (['500'] as RandomFaultMode[]);
      const mode = modes[Math.floor(random() * modes.length)] ?? '500';
      if (mode === '500') return { kind: 'status', status: 500, name: 'internal_server_error', message: 'An unexpected error occurred.' };
      return { kind: mode };
    }
    return null;
  }

  function rateLimited(at: number): Answer | null {
    const limit = options.rateLimitPerSecond;
    if (!limit) return null;
    admitted = admitted.filter((t) => t > at - 1000);
    if (admitted.length >= limit) {
      const oldest = admitted[0] ?? at;
      const resetSeconds = Math.max(1, Math.ceil((oldest + 1000 - at) / 1000));
      return errorAnswer(
        429,
        'rate_limit_exceeded',
        `Too many requests. You can only make ${limit} requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.`,
        { 'retry-after': String(resetSeconds), 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0', 'ratelimit-reset': String(resetSeconds) },
      );
    }
    admitted.push(at);
    return null;
  }

  /** Resend's per-email checks; returns the problem or null. */
  function emailProblem(email: unknown): { name: string; message: string } | null {
    if (!email || typeof email !== 'object' || Array.isArray(email)) return { name: 'validation_error', message: 'Each email must be an object.' };
    const e = email as Record<string, unknown>;
    if (e.from === undefined || e.from === null || e.from === '') return { name: 'missing_required_field', message: 'Missing `from` field.' };
    if (typeof e.from !== 'string' || !ADDRESS.test(bareAddress(e.from))) return { name: 'validation_error', message: `Invalid \`from\` field. ${FORMAT_HINT}` };
    if (e.to === undefined || e.to === null || e.to === '' || (Array.isArray(e.to) && e.to.length === 0)) return { name: 'missing_required_field', message: 'Missing `to` field.' };
    const to = Array.isArray(e.to) ? e.to : [e.to];
    if (to.length > 50) return { name: 'validation_error', message: 'Invalid `to` field. The maximum number of recipients is 50.' };
    for (const address of to) {
      if (typeof address !== 'string' || !ADDRESS.test(bareAddress(address)) || rejected.has(bareAddress(address).toLowerCase())) {
        return { name: 'validation_error', message: `Invalid \`to\` field. ${FORMAT_HINT}` };
      }
    }
    if (typeof e.subject !== 'string' || e.subject === '') return { name: 'missing_required_field', message: 'Missing `subject` field.' };
    if (typeof e.html !== 'string' && typeof e.text !== 'string') return { name: 'validation_error', message: 'Missing `html` or `text` field.' };
    if (e.headers !== undefined && (typeof e.headers !== 'object' || e.headers === null || Object.values(e.headers).some((v) => typeof v !== 'string'))) {
      return { name: 'validation_error', message: 'Invalid `headers` field. Header values must be strings.' };
    }
    return null;
  }

  function deliver(email: Record<string, unknown>, key: string | null, at: number): string {
    const id = randomUUID();
    const headers = (email.headers as Record<string, string> | undefined) ?? {};
    const record: Delivery = {
      id,
      to: (Array.isArray(email.to) ? email.to : [email.to]).map((t) => bareAddress(String(t)).toLowerCase()),
      from: String(email.from),
      headers,
      ref: headers['X-Entity-Ref-ID'] ?? null,
      idempotencyKey: key,
      at,
    };
    if (options.recordBodies !== false) {
      record.subject = String(email.subject);
      if (typeof email.html === 'string') record.html = email.html;
      if (typeof email.text === 'string') record.text = email.text;
    }
    deliveries.push(record);
    return id;
  }

  function quotaExceeded(count: number, at: number): Answer | null {
    if (options.dailyQuota === undefined) return null;
    const day = Math.floor(at / DAY_MS);
    const used = sentPerDay.get(day) ?? 0;
    if (used + count > options.dailyQuota) return errorAnswer(429, 'daily_quota_exceeded', 'You have reached your daily email sending quota.');
    sentPerDay.set(day, used + count);
    return null;
  }

  /** Validates and sends; the answer for a fresh (non-replayed) call. */
  function execute(path: string, body: unknown, key: string | null, permissive: boolean, at: number, record: RequestRecord): Answer {
    if (path === '/emails') {
      const problem = emailProblem(body);
      if (problem) return errorAnswer(422, problem.name, problem.message);
      const quota = quotaExceeded(1, at);
      if (quota) return quota;
      return { status: 200, body: { id: deliver(body as Record<string, unknown>, key, at) } };
    }
    if (!Array.isArray(body)) return errorAnswer(422, 'validation_error', 'The body must be an array of emails.');
    if (body.length === 0) return errorAnswer(422, 'validation_error', 'The batch must contain at least one email.');
    if (body.length > 100) return errorAnswer(422, 'validation_error', 'Too many emails in the batch. The maximum is 100.');
    const problems = body.map((email) => emailProblem(email));
    if (!permissive) {
      const first = problems.findIndex((p) => p !== null);
      if (first >= 0) return errorAnswer(422, problems[first]!.name, problems[first]!.message);
    }
    const valid = body.filter((_, i) => problems[i] === null) as Record<string, unknown>[];
    const quota = quotaExceeded(valid.length, at);
    if (quota) return quota;
    const data = valid.map((email) => ({ id: deliver(email, key, at) }));
    if (!permissive) return { status: 200, body: { data } };
    const errors = problems.flatMap((p, index) => (p ? [{ index, message: p.message }] : []));
    return { status: 200, body: { data, errors } };
  }

  function send(res: ServerResponse, answer: Answer, record: RequestRecord): void {
    record.status = answer.status;
    record.answeredAt = now();
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const keyHeader = req.headers['idempotency-key'];
    const key = typeof keyHeader === 'string' ? keyHeader : null;
    const record: RequestRecord = { at, path, idempotencyKey: key, emails: 0, outcome: 'accepted', status: null, answeredAt: null };
    requests.push(record);

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let parsed: { ok: true; value: unknown } | { ok: false } = { ok: false };
    try {
      parsed = { ok: true, value: JSON.parse(raw) };
    } catch {
      // answered below, after the faults a broken network would cause first
    }
    if (parsed.ok) record.emails = Array.isArray(parsed.value) ? parsed.value.length : 1;

    if (path !== '/emails' && path !== '/emails/batch') {
      record.outcome = 'rejected';
      return send(res, errorAnswer(404, 'not_found', 'The requested endpoint does not exist.'), record);
    }
    if (req.method !== 'POST') {
      record.outcome = 'rejected';
      return send(res, errorAnswer(405, 'method_not_allowed', 'Method is not allowed for the requested path.'), record);
    }
    const auth = req.headers.authorization;
    if (!auth) {
      record.outcome = 'unauthorized';
      return send(res, errorAnswer(401, 'missing_api_key', 'Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY'), record);
    }
    if (auth !== `Bearer ${options.apiKey}`) {
      record.outcome = 'unauthorized';
      return send(res, errorAnswer(403, 'invalid_api_key', 'API key is invalid'), record);
    }
    const limited = rateLimited(at);
    if (limited) {
      record.outcome = 'rate_limited';
      return send(res, limited, record);
    }

    const fault = takeFault();
    if (fault?.kind === 'status') {
      record.outcome = 'fault';
      return send(res, errorAnswer(fault.status, fault.name, fault.message, fault.headers), record);
    }
    if (fault?.kind === 'drop-before') {
      record.outcome = 'dropped-before';
      record.answeredAt = now();
      req.socket.destroy();
      return;
    }
    // A slow "before" delay is processing time: the key is already taken while it runs.
    const slowProcessing = fault?.kind === 'delay' && fault.phase !== 'after' ? fault.ms : 0;

    if (!parsed.ok) {
      record.outcome = 'rejected';
      return send(res, errorAnswer(400, 'validation_error', 'The request body is not valid JSON.'), record);
    }
    const body = parsed.value;

    let answer: Answer;
    if (key !== null) {
      if (key.length < 1 || key.length > 256) {
        record.outcome = 'rejected';
        return send(res, errorAnswer(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.'), record);
      }
      const hash = createHash('sha256').update(path).update('\n').update(raw).digest('hex');
      const entry = keys.get(key);
      const live = entry && at - entry.at < DAY_MS ? entry : null;
      if (live && live.hash !== hash) {
        record.outcome = 'conflict';
        return send(res, errorAnswer(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload. Change your idempotency key or payload.'), record);
      }
      if (live && live.answer === null) {
        record.outcome = 'conflict';
        return send(res, errorAnswer(409, 'concurrent_idempotent_requests', 'Same idempotency key used while original request is still in progress. Try again later.'), record);
      }
      if (live && live.answer) {
        record.outcome = 'replayed';
        answer = live.answer;
      } else {
        const fresh: KeyEntry = { hash, at, answer: null };
        keys.set(key, fresh);
        if (slowProcessing) await sleep(slowProcessing);
        answer = execute(path, body, key, req.headers['x-batch-validation'] === 'permissive', at, record);
        // Only a call that did something keeps its key; a refused one may be repeated as it was.
        if (answer.status === 200) fresh.answer = answer;
        else keys.delete(key);
      }
    } else {
      if (slowProcessing) await sleep(slowProcessing);
      answer = execute(path, body, null, req.headers['x-batch-validation'] === 'permissive', at, record);
    }
    if (record.outcome === 'accepted' && answer.status !== 200) record.outcome = 'rejected';

    if (fault?.kind === 'delay' && fault.phase === 'after') await sleep(fault.ms);
    if (options.latencyMs) await sleep(options.latencyMs);
    if (fault?.kind === 'drop-after') {
      record.outcome = `dropped-after(${record.outcome})`;
      record.answeredAt = now();
      req.socket.destroy();
      return;
    }
    send(res, answer, record);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 500, name: 'internal_server_error', message: String(error) }));
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get apiKey() {
      return options.apiKey!;
    },
    deliveries,
    requests,
    queueFaults: (...more) => {
      faults.push(...more);
    },
    rejectRecipients: (...addresses) => addresses.forEach((a) => rejected.add(a.toLowerCase())),
    configure: (more) => {
      Object.assign(options, more);
      if (more.seed !== undefined) random = seededRandom(more.seed);
    },
    countsByRecipient: () => {
      const counts = new Map<string, number>();
      for (const d of deliveries) for (const to of d.to) counts.set(to, (counts.get(to) ?? 0) + 1);
      return counts;
    },
    duplicates: (by = 'recipient') => {
      const counts = new Map<string, number>();
      for (const d of deliveries) {
        const names = by === 'ref' ? [d.ref ?? `(no ref) ${d.id}`] : d.to;
        for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
      }
      return [...counts].filter(([, n]) => n > 1).map(([name]) => name);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
