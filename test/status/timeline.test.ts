import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { displayTimeline } from '../../worker/status/timeline.ts';
import { testApp } from '../helpers/app.ts';

const at = (iso: string) => new Date(iso);

describe('incident timeline order (pure)', () => {
  it('shows the opening post of a back-dated incident at its start, below the updates dated after it', () => {
    const incident = { createdAt: at('2026-11-20T15:00:00Z'), startedAt: at('2026-11-19T13:00:00Z') };
    const updates = [
      { id: 'opening', createdAt: at('2026-11-20T15:00:00Z'), body: 'Investigando' },
      { id: 'resolved', createdAt: at('2026-11-19T18:00:00Z'), body: 'Resuelto' },
      { id: 'identified', createdAt: at('2026-11-19T14:00:00Z'), body: 'Identificado' },
    ];
    const shown = displayTimeline(incident, updates);
    expect(shown.map((u) => u.id)).toEqual(['resolved', 'identified', 'opening']);
    expect(shown.find((u) => u.id === 'opening')!.displayAt).toEqual(incident.startedAt);
    // When each was written is kept.
    expect(shown.find((u) => u.id === 'opening')!.createdAt).toEqual(incident.createdAt);
  });

  it('moves nothing when the incident was opened as it started', () => {
    const incident = { createdAt: at('2026-11-20T15:00:00Z'), startedAt: at('2026-11-20T15:00:00Z') };
    const updates = [
      { id: 'a', createdAt: at('2026-11-20T15:00:00Z') },
      { id: 'b', createdAt: at('2026-11-20T16:00:00Z') },
    ];
    expect(displayTimeline(incident, updates).map((u) => [u.id, u.displayAt.toISOString()])).toEqual([
      ['b', '2026-11-20T16:00:00.000Z'],
      ['a', '2026-11-20T15:00:00.000Z'],
    ]);
  });

  it('leaves provider updates (none written with the incident) at their own times', () => {
    const incident = { createdAt: at('2026-11-20T15:00:00Z'), startedAt: at('2026-11-20T09:00:00Z') };
    const updates = [
      { id: 'up-2', createdAt: at('2026-11-20T12:00:00Z') },
      { id: 'up-1', createdAt: at('2026-11-20T09:05:00Z') },
    ];
    expect(displayTimeline(incident, updates).map((u) => u.displayAt.toISOString())).toEqual(['2026-11-20T12:00:00.000Z', '2026-11-20T09:05:00.000Z']);
  });

  it('never takes a note Vigía writes into a provider\'s incident in the instant it was recorded for an opening post', () => {
    const incident = { createdAt: at('2026-11-17T16:00:00Z'), startedAt: at('2026-11-17T14:00:00Z'), upstreamId: 'inc-1' };
    const updates = [
      { id: 'no-longer-watched', createdAt: at('2026-11-17T16:00:00Z') },
      { id: 'provider', createdAt: at('2026-11-17T15:30:00Z') },
    ];
    expect(displayTimeline(incident, updates).map((u) => [u.id, u.displayAt.toISOString()])).toEqual([
      ['no-longer-watched', '2026-11-17T16:00:00.000Z'],
      ['provider', '2026-11-17T15:30:00.000Z'],
    ]);
  });

  it('never moves a note of the worker or an update of a provider incident, even written at the same instant', () => {
    const incident = { createdAt: at('2026-11-20T15:00:00Z'), startedAt: at('2026-11-20T09:00:00Z') };
    const updates = [
      { id: 'closing-note', createdAt: at('2026-11-20T15:00:00Z'), author: 'system' },
      { id: 'provider', createdAt: at('2026-11-20T12:00:00Z'), author: 'upstream' },
    ];
    expect(displayTimeline(incident, updates).map((u) => u.id)).toEqual(['closing-note', 'provider']);
    const fromProvider = { ...incident, sourceId: 'genesys' };
    const staff = [{ id: 'staff', createdAt: at('2026-11-20T15:00:00Z'), author: 'staff' }, ...updates];
    expect(displayTimeline(fromProvider, staff).map((u) => u.displayAt.toISOString())).toEqual([
      '2026-11-20T15:00:00.000Z',
      '2026-11-20T15:00:00.000Z',
      '2026-11-20T12:00:00.000Z',
    ]);
  });

  it('puts the later written first when two updates share a display time', () => {
    const incident = { createdAt: at('2026-11-20T15:00:00Z'), startedAt: at('2026-11-20T10:00:00Z') };
    const updates = [
      { id: 'opening', createdAt: at('2026-11-20T15:00:00Z') },
      { id: 'same-time', createdAt: at('2026-11-20T10:00:00Z') },
    ];
    expect(displayTimeline(incident, updates).map((u) => u.id)).toEqual(['same-time', 'opening']);
  });
});

describe('back-dated incident in the public API', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T15:00:00Z' });
  });
  afterEach(() => t.close());

  it('lists updates by display time, the opening post at the start, the latest by time first', async () => {
    const opened = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Caída de ayer', severity: 2, message: 'Estamos investigando.', components: ['hosting'], started_at: '2026-11-19T08:00:00-05:00' },
    });
    expect(opened.status).toBe(201);
    const id = ((await opened.json()) as any).incident.id;
    t.clock.advance(60_000);
    const resolved = await t.request(`/api/admin/incidents/${id}/updates`, {
      method: 'POST',
      json: { status: 'resolved', message: 'Resuelto desde las 13:00.', at: '2026-11-19T13:00:00-05:00' },
    });
    expect(resolved.status).toBeLessThan(300);
    const body = (await (await t.request('/api/v2/incidents.json')).json()) as any;
    const incident = body.incidents.find((i: any) => i.id === id);
    expect(incident.incident_updates.map((u: any) => [u.status, u.display_at])).toEqual([
      ['resolved', '2026-11-19T18:00:00.000Z'],
      ['investigating', '2026-11-19T13:00:00.000Z'],
    ]);
    // The opening post keeps when it was written.
    expect(incident.incident_updates[1].created_at).toBe('2026-11-20T15:00:00.000Z');
  });
});
