/**
 * Where a batch goes: the Resend API (through the real SDK) or, in development without an API key,
 * `.eml` files on disk. Both take the stored request as is and report per-message results in order.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resend } from 'resend';
import type { Env } from '../env.ts';
import { formatEml } from './eml.ts';
import type { ProviderFailure } from './provider-errors.ts';
import type { OutgoingEmail } from './types.ts';

// Declared with the outbox's other stored shapes (a batch keeps its messages); importers find it here too.
export type { OutgoingEmail };

export interface BatchRequest {
  idempotencyKey: string;
  emails: OutgoingEmail[];
  /** Outbox ids in the same order as `emails`. */
  messageIds: string[];
  signal?: AbortSignal;
}

/** Per message, in request order: the provider's id (null when it accepted but did not say which), or why it refused it. */
export type MessageResult = { ok: true; id: string | null } | { ok: false; error: string };

export type BatchResult =
  | { ok: true; results: MessageResult[]; response: Record<string, unknown> }
  | { ok: false; failure: ProviderFailure };

export interface MailTransport {
  readonly name: string;
  /** Whether calls count against the provider's request rate (the dispatcher paces them). */
  readonly rateLimited: boolean;
  sendBatch(request: BatchRequest): Promise<BatchResult>;
}

/**
 * Resend's batch endpoint in permissive validation mode: valid messages are created and invalid ones
 * come back in `errors` by index, so one bad address does not hold back the other 99. `data` lists the
 * created messages in request order, skipping the refused indices.
 */
export function resendTransport(options: { apiKey: string; baseUrl?: string }): MailTransport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  return {
    name: 'resend',
    rateLimited: true,
    async sendBatch(request) {
      let answer: Awaited<ReturnType<typeof resend.batch.send<{ batchValidation: 'permissive' }>>>;
      try {
        answer = await resend.batch.send(request.emails, {
          idempotencyKey: request.idempotencyKey,
          batchValidation: 'permissive',
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        // The SDK rethrows an abort that lands while it reads an error body.
        return { ok: false, failure: { status: null, name: 'application_error', message: `request failed: ${(error as Error).message}`, headers: null } };
      }
      if (answer.error) {
        const e = answer.error as Partial<ProviderFailure> & { statusCode?: number | null };
        return {
          ok: false,
          failure: {
            status: typeof e.statusCode === 'number' ? e.statusCode : null,
            name: typeof e.name === 'string' ? e.name : 'application_error',
            message: typeof e.message === 'string' ? e.message : JSON.stringify(answer.error),
            headers: answer.headers,
          },
        };
      }
      const data = Array.isArray(answer.data?.data) ? answer.data.data : [];
      const errors = Array.isArray(answer.data?.errors) ? answer.data.errors : [];
      return { ok: true, results: mapPermissiveAnswer(request.emails.length, data, errors), response: { data, errors } };
    },
  };
}

/** Lines up `data` (created messages, in order) and `errors` (refused indices) with the request. */
export function mapPermissiveAnswer(count: number, data: { id?: unknown }[], errors: { index?: unknown; message?: unknown }[]): MessageResult[] {
  const refused = new Map<number, string>();
  for (const e of errors) {
    if (typeof e.index === 'number' && Number.isInteger(e.index) && e.index >= 0 && e.index < count) {
      refused.set(e.index, typeof e.message === 'string' ? e.message : 'refused by the provider');
    }
  }
  // If the counts disagree, every non-refused message was still accepted; only the ids are uncertain.
  const idsTrustworthy = data.length === count - refused.size;
  const results: MessageResult[] = [];
  let k = 0;
  for (let i = 0; i < count; i++) {
    const error = refused.get(i);
    if (error !== undefined) {
      results.push({ ok: false, error });
      continue;
    }
    const item = data[k++];
    results.push({ ok: true, id: idsTrustworthy && typeof item?.id === 'string' ? item.id : null });
  }
  return results;
}

/**
 * Development: each message becomes `<dir>/<outbox id>.eml`. Writing the same message again replaces
 * the file, so a retried batch never leaves two copies.
 */
export function emlFileTransport(dir: string, now: () => Date): MailTransport {
  return {
    name: 'eml-files',
    rateLimited: false,
    async sendBatch(request) {
      try {
        mkdirSync(dir, { recursive: true });
        const results: MessageResult[] = request.emails.map((email, i) => {
          const id = request.messageIds[i] ?? `message-${i}`;
          const file = `${id.replace(/[^A-Za-z0-9_-]/g, '_')}.eml`;
          const text = formatEml(email, { date: now(), messageId: `${id}@vigia.local`, boundary: `vigia-${id}` });
          const path = join(dir, file);
          writeFileSync(`${path}.tmp`, text);
          renameSync(`${path}.tmp`, path);
          return { ok: true, id: `dev:${file}` };
        });
        return { ok: true, results, response: { dir } };
      } catch (error) {
        return { ok: false, failure: { status: null, name: 'application_error', message: `cannot write mail files: ${(error as Error).message}`, headers: null } };
      }
    },
  };
}

/**
 * The transport the environment asks for: Resend when RESEND_API_KEY is set (RESEND_BASE_URL points the
 * SDK elsewhere, e.g. at a test server), otherwise `.eml` files under `<dataDir>/mail` for development.
 */
export function transportFromEnv(env: Env, dataDir: string, now: () => Date): MailTransport {
  if (env.RESEND_API_KEY) return resendTransport({ apiKey: env.RESEND_API_KEY, ...(env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : {}) });
  return emlFileTransport(join(dataDir, 'mail'), now);
}
