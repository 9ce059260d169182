/**
 * What this process knows of its own health: for each part, when it last worked and when it last failed. The parts
 * report as they go (a job's run, a mail batch's answer, a rendering, a poll); `/healthz` reads the board. A part
 * made of several things (the jobs, the sources) is failing when any of them failed last.
 *
 * Messages are meant for the public health check: short and fixed ("the provider answered 500"), never a path, an
 * address or a stack; the details are in the log.
 */

export const HEALTH_PARTS = ['database', 'jobs', 'mail', 'site', 'upstream'] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];

/** The parts the notice promise rests on: while one fails, the health check answers 503. A provider that cannot be read does not. */
export const PROMISE_PARTS: readonly HealthPart[] = ['database', 'jobs', 'mail'];

interface Outcome {
  at: Date;
  message?: string;
}

interface MemberState {
  lastSuccess: Outcome | null;
  lastError: Outcome | null;
  /** The first failure since the last success. */
  failingSince: Date | null;
}

export type PartState = 'ok' | 'failing' | 'unknown' | 'off';

export interface PartReport {
  state: PartState;
  /** Whether a failure here answers 503. */
  keeps_notice_promise: boolean;
  last_success_at: string | null;
  last_error: { at: string; message: string } | null;
  failing_since: string | null;
  /** The jobs or sources failing now, by name (parts made of several). */
  failing?: string[];
}

export interface HealthReport {
  status: 'ok' | 'failing';
  /** The notice-promise parts failing now. */
  failing: HealthPart[];
  parts: Record<HealthPart, PartReport>;
}

export class HealthBoard {
  private readonly members = new Map<HealthPart, Map<string, MemberState>>(HEALTH_PARTS.map((p) => [p, new Map()]));
  private readonly off = new Set<HealthPart>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** A part this process does not run (jobs off, no site): reported as `off`, never failing. */
  disable(part: HealthPart): void {
    this.off.add(part);
  }

  succeeded(part: HealthPart, member: string = part): void {
    const state = this.member(part, member);
    state.lastSuccess = { at: this.now() };
    state.failingSince = null;
  }

  failed(part: HealthPart, message: string, member: string = part): void {
    const state = this.member(part, member);
    const at = this.now();
    state.lastError = { at, message };
    state.failingSince ??= at;
  }

  /** Forgets the members that no longer exist (removed sources). */
  retain(part: HealthPart, members: ReadonlySet<string>): void {
    const known = this.members.get(part)!;
    for (const name of [...known.keys()]) if (!members.has(name)) known.delete(name);
  }

  report(): HealthReport {
    const parts = Object.fromEntries(HEALTH_PARTS.map((p) => [p, this.partReport(p)])) as Record<HealthPart, PartReport>;
    const failing = PROMISE_PARTS.filter((p) => parts[p].state === 'failing');
    return { status: failing.length ? 'failing' : 'ok', failing, parts };
  }

  private member(part: HealthPart, member: string): MemberState {
    const members = this.members.get(part)!;
    let state = members.get(member);
    if (!state) members.set(member, (state = { lastSuccess: null, lastError: null, failingSince: null }));
    return state;
  }

  private partReport(part: HealthPart): PartReport {
    const members = [...this.members.get(part)!.entries()];
    const latest = (pick: (m: MemberState) => Outcome | null) =>
      members.map(([, m]) => pick(m)).reduce<Outcome | null>((a, b) => (b && (!a || b.at > a.at) ? b : a), null);
    const failingMembers = members.filter(([, m]) => m.failingSince !== null);
    const lastSuccess = latest((m) => m.lastSuccess);
    const lastError = latest((m) => m.lastError);
    const since = failingMembers.map(([, m]) => m.failingSince!).reduce<Date | null>((a, b) => (!a || b < a ? b : a), null);
    const state: PartState = failingMembers.length ? 'failing' : lastSuccess ? 'ok' : this.off.has(part) ? 'off' : 'unknown';
    const several = part === 'jobs' || part === 'upstream';
    return {
      state,
      keeps_notice_promise: PROMISE_PARTS.includes(part),
      last_success_at: lastSuccess?.at.toISOString() ?? null,
      last_error: lastError ? { at: lastError.at.toISOString(), message: lastError.message ?? 'failed' } : null,
      failing_since: since?.toISOString() ?? null,
      ...(several ? { failing: failingMembers.map(([name]) => name).sort() } : {}),
    };
  }
}
