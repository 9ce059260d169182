import { describe, expect, it } from 'vitest';
import type { SlaTargetsFn } from '../../worker/incidents/targets.ts';
import {
  OPEN_ENDED_WINDOW_MS,
  reconcileSnapshot,
  snapshotState,
  type ReconcileInput,
  type SourceFacts,
  type StoredIncident,
  type StoredMaintenance,
} from '../../worker/upstream/reconcile.ts';
import type { UpstreamIncident, UpstreamMaintenance, UpstreamSnapshot } from '../../worker/upstream/types.ts';

const NOW = new Date('2026-11-17T16:00:00Z');
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

/** Targets that encode their inputs, so a test can see what they were computed from. */
const targets: SlaTargetsFn = (severity, calendarId, startedAt) => ({
  responseDueAt: new Date(startedAt.getTime() + severity * HOUR),
  resolutionDueAt: calendarId ? new Date(startedAt.getTime() + severity * 10 * HOUR) : null,
});

const source: SourceFacts = {
  id: 'genesys',
  name: 'Genesys Cloud',
  type: 'statuspage',
  slaCounts: false,
  componentIds: ['telefonia', 'contact-center'],
  calendarId: 'bogota',
  locale: 'es',
  recentDays: 7,
};

function upstreamIncident(patch: Partial<UpstreamIncident> = {}): UpstreamIncident {
  return {
    upstreamId: 'inc-1',
    title: 'Calls failing',
    status: 'investigating',
    impactRaw: 'major',
    severity: 2,
    startedAt: at('2026-11-17T14:00:00Z'),
    resolvedAt: null,
    url: 'https://status.example/incidents/inc-1',
    componentUpstreamIds: [],
    updates: [{ upstreamId: 'u1', status: 'investigating', body: 'Looking into it.', createdAt: at('2026-11-17T14:10:00Z') }],
    ...patch,
  };
}

function snapshot(patch: Partial<UpstreamSnapshot> = {}): UpstreamSnapshot {
  return { components: [], incidents: [], maintenances: [], unknownWords: [], problems: [], ...patch };
}

function stored(patch: Partial<StoredIncident> = {}): StoredIncident {
  return {
    id: 'vig-1',
    upstreamId: 'inc-1',
    title: 'Calls failing',
    status: 'investigating',
    severity: 2,
    startedAt: at('2026-11-17T14:00:00Z'),
    resolvedAt: null,
    monitoringAt: null,
    respondedAt: at('2026-11-17T14:10:00Z'),
    upstreamUrl: 'https://status.example/incidents/inc-1',
    calendarId: 'bogota',
    responseDueAt: at('2026-11-17T16:00:00Z'),
    resolutionDueAt: at('2026-11-18T10:00:00Z'),
    components: [
      { componentId: 'telefonia', status: 'partial_outage', position: 0 },
      { componentId: 'contact-center', status: 'partial_outage', position: 1 },
    ],
    entries: [{ id: 'e1', upstreamId: 'u1', author: 'upstream', status: 'investigating', body: 'Looking into it.', createdAt: at('2026-11-17T14:10:00Z') }],
    ...patch,
  };
}

function input(patch: Partial<ReconcileInput> = {}): ReconcileInput {
  return { source, snapshot: snapshot(), incidents: [], maintenances: [], now: NOW, targets, ...patch };
}

describe('reconcileSnapshot: incidents', () => {
  it('creates a new open incident on every component the source feeds, with targets from its severity, calendar and start', () => {
    const plan = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstreamIncident()] }) }));
    expect(plan.incidents).toEqual([
      {
        action: 'create',
        upstreamId: 'inc-1',
        values: {
          title: 'Calls failing',
          status: 'investigating',
          severity: 2,
          startedAt: at('2026-11-17T14:00:00Z'),
          resolvedAt: null,
          monitoringAt: null,
          respondedAt: at('2026-11-17T14:10:00Z'),
          upstreamUrl: 'https://status.example/incidents/inc-1',
          calendarId: 'bogota',
          responseDueAt: at('2026-11-17T16:00:00Z'),
          resolutionDueAt: at('2026-11-18T10:00:00Z'),
          slaCounts: false,
        },
        components: [
          { componentId: 'telefonia', status: 'partial_outage', position: 0 },
          { componentId: 'contact-center', status: 'partial_outage', position: 1 },
        ],
        entries: [{ upstreamId: 'u1', author: 'upstream', status: 'investigating', body: 'Looking into it.', createdAt: at('2026-11-17T14:10:00Z') }],
        notice: 'opened',
      },
    ]);
  });

  it('maps each severity to the component status it implies', () => {
    const statuses = ([1, 2, 3, 4] as const).map((severity) => {
      const [step] = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstreamIncident({ severity })] }) })).incidents;
      return step?.action === 'create' ? step.components[0]?.status : undefined;
    });
    expect(statuses).toEqual(['major_outage', 'partial_outage', 'degraded_performance', 'operational']);
  });

  it('gives a new incident of unknown severity 4, and keeps the stored severity when it becomes unknown', () => {
    const [created] = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstreamIncident({ severity: null, impactRaw: 'catastrophic' })] }) })).incidents;
    expect(created).toMatchObject({ action: 'create', values: { severity: 4 } });
    const plan = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstreamIncident({ severity: null })] }), incidents: [stored()] }));
    expect(plan.incidents).toEqual([]);
  });

  it('changes nothing when the stored incident already says what the snapshot says', () => {
    expect(reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstreamIncident()] }), incidents: [stored()] })).incidents).toEqual([]);
  });

  it('appends only updates not seen before, records a severity change with recomputed targets, and restates the components', () => {
    const upstream = upstreamIncident({
      severity: 1,
      impactRaw: 'critical',
      status: 'identified',
      updates: [
        { upstreamId: 'u1', status: 'investigating', body: 'Looking into it.', createdAt: at('2026-11-17T14:10:00Z') },
        { upstreamId: 'u2', status: 'identified', body: 'Found it.', createdAt: at('2026-11-17T15:00:00Z') },
      ],
    });
    const [step] = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstream] }), incidents: [stored()] })).incidents;
    expect(step).toMatchObject({
      action: 'update',
      incidentId: 'vig-1',
      patch: {
        status: 'identified',
        severity: 1,
        responseDueAt: at('2026-11-17T15:00:00Z'),
        resolutionDueAt: at('2026-11-18T00:00:00Z'),
      },
      severityChange: { from: 2, to: 1, reason: 'upstream impact "critical"' },
      setComponents: [
        { componentId: 'telefonia', status: 'major_outage', position: 0 },
        { componentId: 'contact-center', status: 'major_outage', position: 1 },
      ],
      addComponents: [],
      entries: [{ upstreamId: 'u2', author: 'upstream', status: 'identified', body: 'Found it.', createdAt: at('2026-11-17T15:00:00Z') }],
      editedEntries: [],
      notice: 'updated',
    });
  });

  it('rewrites an update the provider edited, without telling subscribers', () => {
    const upstream = upstreamIncident({ updates: [{ upstreamId: 'u1', status: 'investigating', body: 'Looking into it (edited).', createdAt: at('2026-11-17T14:10:00Z') }] });
    const [step] = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstream] }), incidents: [stored()] })).incidents;
    expect(step).toMatchObject({ action: 'update', entries: [], editedEntries: [{ id: 'e1', status: 'investigating', body: 'Looking into it (edited).' }], notice: null });
  });

  it('keeps the earliest start it has seen (formats that only carry "last update") and links components added since', () => {
    const later = upstreamIncident({ startedAt: at('2026-11-17T15:30:00Z'), updates: [] });
    const [step] = reconcileSnapshot(
      input({
        source: { ...source, componentIds: ['telefonia', 'contact-center', 'ivr'] },
        snapshot: snapshot({ incidents: [later] }),
        incidents: [stored()],
      }),
    ).incidents;
    expect(step).toMatchObject({ action: 'update', addComponents: [{ componentId: 'ivr', status: 'partial_outage', position: 2 }], notice: null });
    expect(step?.action === 'update' && step.patch).toEqual({});
  });

  it('resolves with the upstream resolution time and queues the resolution notice', () => {
    const upstream = upstreamIncident({
      status: 'resolved',
      resolvedAt: at('2026-11-17T15:45:00Z'),
      updates: [
        { upstreamId: 'u1', status: 'investigating', body: 'Looking into it.', createdAt: at('2026-11-17T14:10:00Z') },
        { upstreamId: 'u3', status: 'resolved', body: 'Fixed.', createdAt: at('2026-11-17T15:45:00Z') },
      ],
    });
    const [step] = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstream] }), incidents: [stored()] })).incidents;
    expect(step).toMatchObject({ action: 'update', patch: { status: 'resolved', resolvedAt: at('2026-11-17T15:45:00Z') }, notice: 'resolved' });
  });

  it('never dates anything after now, nor an update before the start', () => {
    const upstream = upstreamIncident({
      startedAt: at('2026-11-17T18:00:00Z'),
      updates: [{ upstreamId: 'u1', status: 'investigating', body: 'Clock skew.', createdAt: at('2026-11-17T19:00:00Z') }],
    });
    const [step] = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstream] }) })).incidents;
    expect(step).toMatchObject({ values: { startedAt: NOW, respondedAt: NOW }, entries: [{ createdAt: NOW }] });
  });

  it('records closed incidents seen for the first time as history, without a notice, and skips those older than the published history', () => {
    const recent = upstreamIncident({ upstreamId: 'old-1', status: 'resolved', resolvedAt: at('2026-11-10T00:00:00Z'), startedAt: at('2026-11-09T00:00:00Z'), updates: [] });
    const ancient = upstreamIncident({ upstreamId: 'old-2', status: 'postmortem', resolvedAt: at('2025-01-10T00:00:00Z'), startedAt: at('2025-01-09T00:00:00Z'), updates: [] });
    const plan = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [recent, ancient] }) }));
    expect(plan.incidents).toEqual([expect.objectContaining({ action: 'create', upstreamId: 'old-1', notice: null })]);
  });

  it('reads per-update statuses the format lacks: the newest update of a closed incident is its resolution', () => {
    const google = upstreamIncident({
      status: 'resolved',
      resolvedAt: at('2026-11-17T15:00:00Z'),
      updates: [
        { upstreamId: 'g1', status: null, body: 'Investigating.', createdAt: at('2026-11-17T14:10:00Z') },
        { upstreamId: 'g2', status: null, body: 'Resolved.', createdAt: at('2026-11-17T15:00:00Z') },
      ],
    });
    const [step] = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [google] }) })).incidents;
    expect(step?.action === 'create' && step.entries.map((e) => e.status)).toEqual(['investigating', 'resolved']);
  });
});

describe('reconcileSnapshot: incidents the provider stops reporting', () => {
  it('resolves an open incident missing from a complete list, with a system update in the page language', () => {
    const [step] = reconcileSnapshot(input({ incidents: [stored()] })).incidents;
    expect(step).toEqual({
      action: 'update',
      incidentId: 'vig-1',
      upstreamId: 'inc-1',
      patch: { status: 'resolved', resolvedAt: NOW },
      severityChange: null,
      setComponents: [],
      addComponents: [],
      entries: [{ upstreamId: null, author: 'system', status: 'resolved', body: 'El proveedor ya no informa este incidente; se da por resuelto.', createdAt: NOW }],
      editedEntries: [],
      notice: 'resolved',
      why: ['no longer reported by the provider'],
    });
    const [english] = reconcileSnapshot(input({ source: { ...source, locale: 'en' }, incidents: [stored()] })).incidents;
    expect(english?.action === 'update' && english.entries[0]?.body).toBe('The provider no longer reports this incident; it is considered resolved.');
  });

  it('leaves closed incidents alone when they fall out of the list', () => {
    expect(reconcileSnapshot(input({ incidents: [stored({ status: 'resolved', resolvedAt: at('2026-11-17T15:00:00Z') })] })).incidents).toEqual([]);
  });

  it('resolves nothing from a snapshot that dropped a row: the unreadable row may be the incident', () => {
    const plan = reconcileSnapshot(input({ snapshot: snapshot({ problems: [{ where: 'summary.json incidents[0]', message: 'id: required', rowDropped: true }] }), incidents: [stored()] }));
    expect(plan.incidents).toEqual([]);
    expect(plan.held).toEqual([expect.stringContaining('dropped a row')]);
    // A replaced value is not a dropped row.
    const patched = reconcileSnapshot(input({ snapshot: snapshot({ problems: [{ where: 'x', message: 'fallback', rowDropped: false }] }), incidents: [stored()] }));
    expect(patched.incidents).toHaveLength(1);
  });

  it('for feeds, counts an absence only inside the window and where the feed reaches back that far', () => {
    const feed: SourceFacts = { ...source, type: 'feed', recentDays: 7 };
    const entry = (id: string, iso: string) => upstreamIncident({ upstreamId: id, startedAt: at(iso), updates: [], status: 'resolved', resolvedAt: at(iso) });
    const open = stored({ startedAt: at('2026-11-16T10:00:00Z'), entries: [] });
    // The feed holds an older entry: ours would have been listed.
    expect(reconcileSnapshot(input({ source: feed, snapshot: snapshot({ incidents: [entry('x', '2026-11-15T00:00:00Z')] }), incidents: [open] })).incidents).toContainEqual(
      expect.objectContaining({ incidentId: 'vig-1', notice: 'resolved' }),
    );
    // An empty feed lists nothing at all: ours is gone too.
    expect(reconcileSnapshot(input({ source: feed, incidents: [open] })).incidents).toHaveLength(1);
    // Only newer entries: the feed may have been cut before ours.
    expect(
      reconcileSnapshot(input({ source: feed, snapshot: snapshot({ incidents: [entry('y', '2026-11-17T12:00:00Z')] }), incidents: [open] })).incidents.filter((s) => s.upstreamId === 'inc-1'),
    ).toEqual([]);
  });

  it('for feeds, resolves an open incident whose last news has left the window, since no feed will list it again', () => {
    const feed: SourceFacts = { ...source, type: 'feed', recentDays: 7 };
    const newer = upstreamIncident({ upstreamId: 'y', startedAt: at('2026-11-17T12:00:00Z'), updates: [], status: 'resolved', resolvedAt: at('2026-11-17T12:00:00Z') });
    // Last news on 1 November, and NOW is 17 November: outside the 7-day window, whatever else the feed holds.
    const aged = stored({ startedAt: at('2026-11-01T10:00:00Z'), entries: [] });
    for (const incidents of [[], [newer]]) {
      const steps = reconcileSnapshot(input({ source: feed, snapshot: snapshot({ incidents }), incidents: [aged] })).incidents.filter((s) => s.upstreamId === 'inc-1');
      expect(steps).toEqual([
        expect.objectContaining({
          patch: { status: 'resolved', resolvedAt: NOW },
          entries: [expect.objectContaining({ author: 'system', status: 'resolved', body: expect.stringContaining('desde hace más de 7 días') })],
          notice: 'resolved',
          why: [expect.stringContaining('no news from the provider for more than 7 days')],
        }),
      ]);
    }
    // Not while the snapshot dropped a row.
    const dropped = snapshot({ problems: [{ where: 'feed entry[0]', message: 'unreadable date', rowDropped: true }] });
    expect(reconcileSnapshot(input({ source: feed, snapshot: dropped, incidents: [aged] })).incidents).toEqual([]);
    // Other formats list every open incident: the age of the last news does not matter there.
    expect(reconcileSnapshot(input({ snapshot: snapshot({ incidents: [newer] }), incidents: [aged] })).incidents.filter((s) => s.upstreamId === 'inc-1')).toEqual([
      expect.objectContaining({ why: ['no longer reported by the provider'] }),
    ]);
  });

  it('reopens an incident that comes back, saying so when the provider adds no update', () => {
    const closed = stored({ status: 'resolved', resolvedAt: at('2026-11-17T15:00:00Z') });
    const [step] = reconcileSnapshot(input({ snapshot: snapshot({ incidents: [upstreamIncident()] }), incidents: [closed] })).incidents;
    expect(step).toMatchObject({
      action: 'update',
      patch: { status: 'investigating', resolvedAt: null },
      entries: [{ author: 'system', status: 'investigating', body: 'El proveedor vuelve a informar este incidente.', createdAt: NOW }],
      notice: 'updated',
    });
  });

  it('records nothing for a source that feeds no component, and says why', () => {
    const plan = reconcileSnapshot(input({ source: { ...source, componentIds: [] }, snapshot: snapshot({ incidents: [upstreamIncident()] }), incidents: [stored()] }));
    expect(plan.incidents).toEqual([]);
    expect(plan.held).toEqual([expect.stringContaining('feeds no component')]);
  });
});

function upstreamWindow(patch: Partial<UpstreamMaintenance> = {}): UpstreamMaintenance {
  return {
    upstreamId: 'mnt-1',
    title: 'Database upgrade',
    status: 'scheduled',
    startsAt: at('2026-11-19T02:00:00Z'),
    endsAt: at('2026-11-19T04:00:00Z'),
    url: 'https://status.example/incidents/mnt-1',
    body: 'We will upgrade the database.',
    componentUpstreamIds: [],
    ...patch,
  };
}

function storedWindow(patch: Partial<StoredMaintenance> = {}): StoredMaintenance {
  return {
    id: 'vm-1',
    upstreamId: 'mnt-1',
    title: 'Database upgrade',
    message: 'We will upgrade the database.',
    status: 'scheduled',
    startsAt: at('2026-11-19T02:00:00Z'),
    endsAt: at('2026-11-19T04:00:00Z'),
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
    upstreamUrl: 'https://status.example/incidents/mnt-1',
    version: 0,
    componentIds: ['telefonia', 'contact-center'],
    ...patch,
  };
}

describe('reconcileSnapshot: maintenances', () => {
  it('creates a provider window on the source components with its first entry', () => {
    const [step] = reconcileSnapshot(input({ snapshot: snapshot({ maintenances: [upstreamWindow()] }) })).maintenances;
    expect(step).toEqual({
      action: 'create',
      upstreamId: 'mnt-1',
      values: {
        title: 'Database upgrade',
        message: 'We will upgrade the database.',
        status: 'scheduled',
        startsAt: at('2026-11-19T02:00:00Z'),
        endsAt: at('2026-11-19T04:00:00Z'),
        startedAt: null,
        completedAt: null,
        cancelledAt: null,
        cancelReason: null,
        upstreamUrl: 'https://status.example/incidents/mnt-1',
        version: 0,
      },
      componentIds: ['telefonia', 'contact-center'],
      entry: { status: 'scheduled', body: 'We will upgrade the database.', createdAt: NOW },
    });
  });

  it('follows the provider status and bumps the version only when the provider moves the window', () => {
    const started = reconcileSnapshot(input({ snapshot: snapshot({ maintenances: [upstreamWindow({ status: 'in_progress', startsAt: at('2026-11-17T15:00:00Z'), endsAt: at('2026-11-17T17:00:00Z') })] }), maintenances: [storedWindow({ startsAt: at('2026-11-17T15:00:00Z'), endsAt: at('2026-11-17T17:00:00Z') })] })).maintenances[0];
    expect(started).toMatchObject({ action: 'update', patch: { status: 'in_progress', startedAt: at('2026-11-17T15:00:00Z') }, entry: { status: 'in_progress', body: 'El proveedor informa que el mantenimiento está en curso.' } });
    expect(started?.action === 'update' && started.patch.version).toBeUndefined();

    const moved = reconcileSnapshot(input({ snapshot: snapshot({ maintenances: [upstreamWindow({ startsAt: at('2026-11-20T02:00:00Z'), endsAt: at('2026-11-20T04:00:00Z') })] }), maintenances: [storedWindow()] })).maintenances[0];
    expect(moved).toMatchObject({ action: 'update', patch: { startsAt: at('2026-11-20T02:00:00Z'), endsAt: at('2026-11-20T04:00:00Z'), version: 1 }, entry: null });
  });

  it('keeps an open-ended window open an hour past now at every poll, without a new version', () => {
    const [created] = reconcileSnapshot(input({ snapshot: snapshot({ maintenances: [upstreamWindow({ status: 'in_progress', startsAt: at('2026-11-17T15:00:00Z'), endsAt: null })] }) })).maintenances;
    expect(created).toMatchObject({ values: { endsAt: new Date(NOW.getTime() + OPEN_ENDED_WINDOW_MS), startedAt: at('2026-11-17T15:00:00Z') } });
    const later = new Date(NOW.getTime() + 10 * 60_000);
    const [step] = reconcileSnapshot(
      input({
        now: later,
        snapshot: snapshot({ maintenances: [upstreamWindow({ status: 'in_progress', startsAt: at('2026-11-17T15:00:00Z'), endsAt: null })] }),
        maintenances: [storedWindow({ status: 'in_progress', startsAt: at('2026-11-17T15:00:00Z'), endsAt: new Date(NOW.getTime() + OPEN_ENDED_WINDOW_MS), startedAt: at('2026-11-17T15:00:00Z') })],
      }),
    ).maintenances;
    expect(step).toMatchObject({ patch: { endsAt: new Date(later.getTime() + OPEN_ENDED_WINDOW_MS) } });
    expect(step?.action === 'update' && step.patch.version).toBeUndefined();
  });

  it('cancels a window the provider stops publishing before its start, and completes one that had started', () => {
    const [cancelled] = reconcileSnapshot(input({ maintenances: [storedWindow()] })).maintenances;
    expect(cancelled).toMatchObject({ patch: { status: 'cancelled', cancelledAt: NOW, cancelReason: 'El proveedor ya no publica esta ventana de mantenimiento.' }, entry: { status: 'cancelled' } });
    const running = storedWindow({ status: 'in_progress', startsAt: at('2026-11-17T15:00:00Z'), endsAt: at('2026-11-17T17:00:00Z'), startedAt: at('2026-11-17T15:00:00Z') });
    const [completed] = reconcileSnapshot(input({ maintenances: [running] })).maintenances;
    expect(completed).toMatchObject({ patch: { status: 'completed', completedAt: NOW }, entry: { status: 'completed' } });
  });

  it('for feeds, completes a window still marked in progress once its end has left the window', () => {
    const feed: SourceFacts = { ...source, type: 'feed', recentDays: 7 };
    const newer = upstreamIncident({ upstreamId: 'y', startedAt: at('2026-11-17T12:00:00Z'), updates: [], status: 'resolved', resolvedAt: at('2026-11-17T12:00:00Z') });
    const old = storedWindow({ status: 'in_progress', startsAt: at('2026-11-01T02:00:00Z'), endsAt: at('2026-11-01T04:00:00Z'), startedAt: at('2026-11-01T02:00:00Z') });
    const [completed] = reconcileSnapshot(input({ source: feed, snapshot: snapshot({ incidents: [newer] }), maintenances: [old] })).maintenances;
    expect(completed).toMatchObject({ patch: { status: 'completed', completedAt: at('2026-11-01T04:00:00Z') }, entry: { status: 'completed' } });
    // A recent window the feed may merely have cut off is left as it is.
    const recent = storedWindow({ status: 'in_progress', startsAt: at('2026-11-16T02:00:00Z'), endsAt: at('2026-11-16T04:00:00Z'), startedAt: at('2026-11-16T02:00:00Z') });
    expect(reconcileSnapshot(input({ source: feed, snapshot: snapshot({ incidents: [newer] }), maintenances: [recent] })).maintenances).toEqual([]);
  });
});

describe('snapshotState', () => {
  it('is the worst component state, unknown above operational', () => {
    const component = (state: UpstreamSnapshot['components'][number]['state']) => ({ upstreamId: state, name: state, state });
    expect(snapshotState(snapshot({ components: [component('operational'), component('degraded_performance')] }))).toBe('degraded_performance');
    expect(snapshotState(snapshot({ components: [component('operational'), component('unknown')] }))).toBe('unknown');
    expect(snapshotState(snapshot({ components: [component('partial_outage'), component('unknown')] }))).toBe('partial_outage');
  });

  it('without components, follows open incidents of known severity', () => {
    expect(snapshotState(snapshot())).toBe('operational');
    expect(snapshotState(snapshot({ incidents: [upstreamIncident({ severity: null })] }))).toBe('operational');
    expect(snapshotState(snapshot({ incidents: [upstreamIncident({ severity: 1 })] }))).toBe('major_outage');
    expect(snapshotState(snapshot({ incidents: [upstreamIncident({ severity: 1, status: 'resolved' })] }))).toBe('operational');
  });
});
