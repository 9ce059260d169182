import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MaintenanceNoticeState } from '../../worker/core/vocabulary.ts';
import {
  decideDueReminders,
  maintenanceNoticeKey,
  measuredNotice,
  normaliseReminderOffsets,
  offsetLabel,
  planReminders,
  planRescheduledWindow,
  planScheduledWindow,
  planUpstreamWindow,
  type StoredNotice,
  type WindowState,
} from '../../worker/notices/plan.ts';

const H = 3_600_000;
const now = new Date('2026-11-20T15:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const window = (startsIn: number, endsIn = startsIn + 2 * H, version = 0) => ({ startsAt: at(startsIn), endsAt: at(endsIn), version });

describe('planning a scheduled window', () => {
  it('announces now and reminds 24 h and 1 h before a start two days away', () => {
    expect(planScheduledWindow(window(48 * H), [24 * H, H], now)).toEqual([
      { kind: 'announcement', version: 0, offsetMs: 0, dueAt: now },
      { kind: 'reminder', version: 0, offsetMs: 24 * H, dueAt: at(24 * H) },
      { kind: 'reminder', version: 0, offsetMs: H, dueAt: at(47 * H) },
    ]);
  });

  it('plans only reminders still ahead at scheduling time', () => {
    expect(planReminders(window(9 * H), [24 * H, H], now).map((n) => n.offsetMs)).toEqual([H]);
    expect(planReminders(window(24 * H), [24 * H, H], now).map((n) => n.offsetMs)).toEqual([H]);
    expect(planReminders(window(24 * H + 1), [24 * H, H], now).map((n) => n.offsetMs)).toEqual([24 * H, H]);
    expect(planReminders(window(H), [24 * H, H], now)).toEqual([]);
  });

  it('ignores duplicate and non-positive offsets, whatever their order', () => {
    expect(normaliseReminderOffsets([H, 24 * H, H, 0, -5, 2 * H])).toEqual([24 * H, 2 * H, H]);
    expect(planReminders(window(48 * H), [H, H, 0], now)).toHaveLength(1);
  });

  it('plans no reminders when none are configured', () => {
    expect(planScheduledWindow(window(48 * H), [], now)).toEqual([{ kind: 'announcement', version: 0, offsetMs: 0, dueAt: now }]);
  });

  it('a reschedule tells subscribers now and plans reminders at the new version', () => {
    expect(planRescheduledWindow(window(30 * H, 31 * H, 3), [24 * H, H], now)).toEqual([
      { kind: 'rescheduled', version: 3, offsetMs: 0, dueAt: now },
      { kind: 'reminder', version: 3, offsetMs: 24 * H, dueAt: at(6 * H) },
      { kind: 'reminder', version: 3, offsetMs: H, dueAt: at(29 * H) },
    ]);
  });

  it('upstream windows get the announcement only, and none once over', () => {
    expect(planUpstreamWindow({ ...window(H), status: 'scheduled' }, now)).toEqual([{ kind: 'announcement', version: 0, offsetMs: 0, dueAt: now }]);
    expect(planUpstreamWindow({ ...window(-H, H), status: 'in_progress' }, now)).toHaveLength(1);
    expect(planUpstreamWindow({ ...window(-2 * H, -H), status: 'in_progress' }, now)).toEqual([]);
    expect(planUpstreamWindow({ ...window(H), status: 'cancelled' }, now)).toEqual([]);
  });

  it('every planned reminder is due strictly between now and the start, at start − offset (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * H, max: 30 * 24 * H }), fc.array(fc.integer({ min: -H, max: 10 * 24 * H }), { maxLength: 6 }), (startsIn, offsets) => {
        const w = window(startsIn);
        const plan = planReminders(w, offsets, now);
        const keys = new Set(plan.map((n) => n.offsetMs));
        expect(keys.size).toBe(plan.length);
        for (const n of plan) {
          expect(n.dueAt.getTime()).toBe(w.startsAt.getTime() - n.offsetMs);
          expect(n.dueAt.getTime()).toBeGreaterThan(now.getTime());
          expect(n.dueAt.getTime()).toBeLessThan(w.startsAt.getTime());
        }
        // Nothing usable is left out.
        const expected = new Set(offsets.filter((o) => o > 0 && w.startsAt.getTime() - o > now.getTime()));
        expect(keys).toEqual(expected);
      }),
    );
  });
});

describe('deciding due reminders (catch-up)', () => {
  const scheduled = (startsIn: number, version = 0): WindowState => ({ ...window(startsIn, startsIn + H, version), status: 'scheduled' });
  const reminder = (id: string, offsetMs: number, w: WindowState, state: MaintenanceNoticeState = 'planned', version = w.version): StoredNotice => ({
    id,
    kind: 'reminder',
    version,
    offsetMs,
    dueAt: new Date(w.startsAt.getTime() - offsetMs),
    state,
  });

  it('leaves reminders that are not yet due alone', () => {
    const w = scheduled(10 * H);
    expect(decideDueReminders([reminder('r1', H, w)], w, now)).toEqual([]);
  });

  it('queues a reminder at its exact moment', () => {
    const w = scheduled(H);
    expect(decideDueReminders([reminder('r1', H, w)], w, now)).toEqual([{ id: 'r1', action: 'queue' }]);
  });

  it('queues a reminder whose moment passed while the worker was down, if the window has not started', () => {
    const w = scheduled(10 * H);
    expect(decideDueReminders([reminder('r24', 24 * H, w), reminder('r1', H, w)], w, now)).toEqual([{ id: 'r24', action: 'queue' }]);
  });

  it('of several overdue reminders queues the one closest to the start and records the others as superseded', () => {
    const w = scheduled(30 * 60_000);
    const decisions = decideDueReminders([reminder('r24', 24 * H, w), reminder('r1', H, w), reminder('r2', 2 * H, w)], w, now);
    expect(decisions).toEqual(
      expect.arrayContaining([
        { id: 'r1', action: 'queue' },
        { id: 'r2', action: 'skip', reason: 'superseded' },
        { id: 'r24', action: 'skip', reason: 'superseded' },
      ]),
    );
    expect(decisions).toHaveLength(3);
  });

  it('skips reminders once the window has started, whether or not the lifecycle job has caught up', () => {
    const byClock = scheduled(-60_000);
    expect(decideDueReminders([reminder('r1', H, byClock)], byClock, now)).toEqual([{ id: 'r1', action: 'skip', reason: 'window_started' }]);
    const started: WindowState = { ...scheduled(H / 2), status: 'in_progress' };
    expect(decideDueReminders([reminder('r1', H, started)], started, now)).toEqual([{ id: 'r1', action: 'skip', reason: 'window_started' }]);
    const cancelled: WindowState = { ...scheduled(H / 2), status: 'cancelled' };
    expect(decideDueReminders([reminder('r1', H, cancelled)], cancelled, now)).toEqual([{ id: 'r1', action: 'skip', reason: 'window_closed' }]);
  });

  it('drops reminders planned for an older version of the window', () => {
    const w = scheduled(H / 2, 2);
    expect(decideDueReminders([reminder('old', H, w, 'planned', 1)], w, now)).toEqual([{ id: 'old', action: 'drop', reason: 'rescheduled' }]);
  });

  it('ignores notices already queued, skipped or dropped', () => {
    const w = scheduled(H / 2);
    expect(decideDueReminders([reminder('a', H, w, 'queued'), reminder('b', 2 * H, w, 'skipped'), reminder('c', 3 * H, w, 'dropped')], w, now)).toEqual([]);
  });

  it('runs of the job at any times never queue a reminder twice, never after the start, and leave none undecided (property)', () => {
    const offsets = fc.uniqueArray(fc.integer({ min: 1, max: 72 }).map((h) => h * H), { maxLength: 5 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 96 }), offsets, fc.array(fc.integer({ min: 0, max: 100 * H }), { maxLength: 12 }), (startsInH, offs, runTimes) => {
        const w = scheduled(startsInH * H);
        const notices: StoredNotice[] = planReminders(w, offs, now).map((p, i) => ({ id: `n${i}`, kind: p.kind, version: p.version, offsetMs: p.offsetMs, dueAt: p.dueAt, state: 'planned' }));
        const queuedAt = new Map<string, number>();
        for (const t of [...runTimes].sort((a, b) => a - b)) {
          const runNow = at(t);
          const decisions = decideDueReminders(notices, w, runNow);
          expect(decisions.filter((d) => d.action === 'queue').length).toBeLessThanOrEqual(1);
          for (const d of decisions) {
            const n = notices.find((x) => x.id === d.id)!;
            expect(n.state).toBe('planned');
            expect(n.dueAt.getTime()).toBeLessThanOrEqual(runNow.getTime());
            if (d.action === 'queue') {
              expect(runNow.getTime()).toBeLessThan(w.startsAt.getTime());
              queuedAt.set(n.id, runNow.getTime());
            }
            n.state = d.action === 'queue' ? 'queued' : d.action === 'drop' ? 'dropped' : 'skipped';
          }
        }
        // A final run after the start settles every remaining reminder.
        const after = at(startsInH * H);
        for (const d of decideDueReminders(notices, w, after)) notices.find((x) => x.id === d.id)!.state = 'skipped';
        expect(notices.every((n) => n.state !== 'planned')).toBe(true);
        // The reminder closest to the start is sent if any run happened between its moment and the start.
        const last = notices.at(-1);
        if (last && runTimes.some((r) => r >= last.dueAt.getTime() - now.getTime() && r < startsInH * H)) expect(last.state).toBe('queued');
      }),
    );
  });
});

describe('notice keys', () => {
  it('are deterministic and name kind, version and recipient', () => {
    expect(maintenanceNoticeKey('m1', { kind: 'announcement', version: 0, offsetMs: 0 }, 's1')).toBe('maintenance:m1:announcement:s1');
    expect(maintenanceNoticeKey('m1', { kind: 'reminder', version: 2, offsetMs: 24 * H }, 's1')).toBe('maintenance:m1:reminder-24h:2:s1');
    expect(maintenanceNoticeKey('m1', { kind: 'reminder', version: 0, offsetMs: 90 * 60_000 }, 's1')).toBe('maintenance:m1:reminder-1h30m:0:s1');
    expect(maintenanceNoticeKey('m1', { kind: 'rescheduled', version: 3, offsetMs: 0 }, 's1')).toBe('maintenance:m1:rescheduled:3:s1');
    expect(maintenanceNoticeKey('m1', { kind: 'cancelled', version: 4, offsetMs: 0 }, 's1')).toBe('maintenance:m1:cancelled:s1');
    expect(maintenanceNoticeKey('m1', { kind: 'started', version: 1, offsetMs: 0 }, 's1')).toBe('maintenance:m1:started:s1');
  });

  it('labels offsets in hours, minutes and seconds', () => {
    expect([offsetLabel(48 * H), offsetLabel(H), offsetLabel(45_000), offsetLabel(H + 1000)]).toEqual(['48h', '1h', '45s', '1h1s']);
  });

  it('the measured notice is the announcement, or the reschedule that brought the start earlier', () => {
    expect(measuredNotice(0)).toEqual({ kind: 'maintenance.announcement', version: null });
    expect(measuredNotice(2)).toEqual({ kind: 'maintenance.rescheduled', version: 2 });
  });
});
