import { expect } from 'vitest';
import type { DocumentSource, PublishedDocument } from '../../worker/publish/document.ts';
import { loadPublishedState } from '../../worker/status/read-model.ts';
import type { testApp } from '../helpers/app.ts';

export type TestApp = Awaited<ReturnType<typeof testApp>>;

/** Runs a document source the way the publisher does: one read of the published state at the app's `now`. */
export async function publish(t: TestApp, source: DocumentSource, now = t.clock.now()): Promise<Map<string, PublishedDocument>> {
  const state = await loadPublishedState(t.ctx.db, now);
  const documents = await source({ db: t.ctx.db, config: t.ctx.config, now, state });
  const byPath = new Map(documents.map((d) => [d.path, d]));
  expect(byPath.size).toBe(documents.length); // no two documents answer the same path
  return byPath;
}

export function body(documents: Map<string, PublishedDocument>, path: string): string {
  const document = documents.get(path);
  expect(document, `a document at ${path}`).toBeDefined();
  return String(document!.body);
}

/** Admin API calls used to make incidents and windows the way staff do. */
export function admin(t: TestApp) {
  const call = async <T>(path: string, method: string, json?: unknown): Promise<T> => {
    const res = await t.request(path, { method, json });
    expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return (await res.json()) as T;
  };
  return {
    openIncident: async (json: Record<string, unknown>) => (await call<{ incident: { id: string } }>('/api/admin/incidents', 'POST', json)).incident.id,
    update: (id: string, json: Record<string, unknown>) => call(`/api/admin/incidents/${id}/updates`, 'POST', json),
    schedule: async (json: Record<string, unknown>) => (await call<{ maintenance: { id: string } }>('/api/admin/maintenances', 'POST', json)).maintenance.id,
    reschedule: (id: string, json: Record<string, unknown>) => call(`/api/admin/maintenances/${id}`, 'PATCH', json),
    cancel: (id: string, reason: string) => call(`/api/admin/maintenances/${id}/cancel`, 'POST', { reason }),
  };
}
