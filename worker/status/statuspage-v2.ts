/**
 * Pure formatters for the public API, shaped like Atlassian Statuspage's public v2 API
 * (same field names and value sets) so existing tools can read a Vigía page.
 * Vigía's own fields (severity, sla, state, source…) are added alongside, never replacing one.
 */
import type { Config } from '../config/load.ts';
import type { ComponentInfo, ComponentRefInfo, IncidentInfo, MaintenanceInfo, PageInfo, StatusInfo, SummaryDocument } from '../core/api-types.ts';
import { isUnderWay } from '../core/vocabulary.ts';
import { slaView } from '../incidents/sla-view.ts';
import { severityPolicy } from '../incidents/targets.ts';
import { iso } from '../lib/iso.ts';
import { componentConditions, effectiveMaintenanceStatus, isOpenIncident, pageIndicator, type ComponentCondition, type ConditionInputs } from './derive.ts';
import type { IncidentView, MaintenanceView, PublishedState } from './views.ts';
import { overallSummary, STATE_DESCRIPTION } from './overall.ts';
import { displayTimeline } from './timeline.ts';
import { messageLocale } from '../config/schema.ts';
import { IMPACT_BY_SEVERITY, INDICATOR_DESCRIPTION, worstComponentStatus } from './vocabulary.ts';

export interface V2Context {
  config: Config;
  state: PublishedState;
  now: Date;
  conditions: Map<string, ComponentCondition>;
}

export function v2Context(config: Config, state: PublishedState, now: Date): V2Context {
  return { config, state, now, conditions: componentConditions(state, now) };
}

/** What formatting one incident or window needs: its components' names and current statuses, not the whole state. */
export interface V2ItemContext {
  config: Config;
  state: Pick<PublishedState, 'components'>;
  now: Date;
  conditions: Map<string, ComponentCondition>;
}

export function v2ItemContext(config: Config, inputs: ConditionInputs, now: Date): V2ItemContext {
  return { config, state: { components: inputs.components }, now, conditions: componentConditions(inputs, now) };
}

const PAGE_ID = 'vigia';
export const groupId = (name: string) =>
  `group-${name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

export function v2Page(ctx: V2Context): PageInfo {
  return {
    id: PAGE_ID,
    name: ctx.config.site.name,
    url: ctx.config.site.url,
    time_zone: ctx.config.site.timezone,
    updated_at: ctx.state.updatedAt.toISOString(),
  };
}

/**
 * Statuspage's `indicator` and `description`, then Vigía's overall state (see `overall.ts`): `state` is never
 * `operational` while a component cannot be checked, and `affected_components` names every component not operational.
 * `description` follows the state where the indicator has no word for it ("Some services cannot be checked").
 */
export function v2Status(ctx: V2Context): StatusInfo {
  const indicator = pageIndicator(ctx.conditions.values());
  const overall = overallSummary(ctx.state.components, ctx.conditions);
  const language = messageLocale(ctx.config.site.default_locale);
  const description = (indicator === 'none' ? STATE_DESCRIPTION[overall.state]?.[language] : undefined) ?? INDICATOR_DESCRIPTION[indicator][language];
  return { indicator, description, state: overall.state, affected_components: overall.affected, component_counts: overall.counts };
}

export function v2Components(ctx: V2Context): ComponentInfo[] {
  const out: ComponentInfo[] = [];
  const groups = new Map<string, string[]>();
  ctx.state.components.forEach((c) => {
    if (c.groupName) groups.set(c.groupName, [...(groups.get(c.groupName) ?? []), c.id]);
  });
  let position = 1;
  for (const [name, memberIds] of groups) {
    const members = memberIds.map((id) => ctx.conditions.get(id)!);
    out.push({
      id: groupId(name),
      name,
      status: worstComponentStatus(members.map((m) => m.status)),
      created_at: ctx.state.updatedAt.toISOString(),
      updated_at: ctx.state.updatedAt.toISOString(),
      position: position++,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: PAGE_ID,
      group: true,
      only_show_if_degraded: false,
      components: memberIds,
    });
  }
  for (const c of ctx.state.components) {
    const condition = ctx.conditions.get(c.id)!;
    const sources = ctx.state.sourcesByComponent.get(c.id) ?? [];
    out.push({
      id: c.id,
      name: c.name,
      status: condition.status,
      created_at: c.createdAt.toISOString(),
      updated_at: c.updatedAt.toISOString(),
      position: position++,
      description: c.description,
      showcase: true,
      start_date: null,
      group_id: c.groupName ? groupId(c.groupName) : null,
      page_id: PAGE_ID,
      group: false,
      only_show_if_degraded: false,
      // Vigía's own fields:
      state: condition.state,
      unknown_since: iso(condition.unknownSince),
      group_name: c.groupName,
      sources: sources.map((s) => ({
        id: s.id,
        name: s.name,
        state: s.paused ? 'paused' : s.state,
        // The public sees that a source cannot be read and since when, never why: an upstream's error names its
        // address and says what the network did (the admin API keeps the detail, redacted).
        // (an unknown source never read is unknown since it was added, as its component's `unknown_since` says).
        state_since: s.paused ? null : iso(s.stateSince ?? (s.state === 'unknown' ? s.createdAt : null)),
        last_success_at: iso(s.lastSuccessAt),
      })),
    });
  }
  return out;
}

function componentRef(ctx: V2ItemContext, id: string): ComponentRefInfo {
  const c = ctx.state.components.find((x) => x.id === id);
  const condition = ctx.conditions.get(id);
  return c
    ? { id: c.id, name: c.name, status: condition?.status ?? 'operational', group_id: c.groupName ? groupId(c.groupName) : null, page_id: PAGE_ID }
    : { id, name: id, status: 'operational', group_id: null, page_id: PAGE_ID };
}

export function v2Incident(ctx: V2ItemContext, i: IncidentView): IncidentInfo {
  const shortlink = `${ctx.config.site.url.replace(/\/$/, '')}/incidents/${i.id}`;
  return {
    id: i.id,
    name: i.title,
    status: i.status,
    // The policy's own mapping (`statuspage_impact`), else 1 critical, 2 major, 3 minor, 4 and beyond none.
    impact: severityPolicy(ctx.config, i.severity, i.calendarId)?.statuspageImpact ?? IMPACT_BY_SEVERITY[i.severity] ?? 'none',
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
    monitoring_at: iso(i.monitoringAt),
    resolved_at: iso(i.resolvedAt),
    started_at: i.startedAt.toISOString(),
    shortlink,
    page_id: PAGE_ID,
    // Newest first by display time: a back-dated incident's opening post is shown at its start (see timeline.ts).
    incident_updates: displayTimeline(i, i.updates).map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: u.createdAt.toISOString(),
      updated_at: u.createdAt.toISOString(),
      display_at: u.displayAt.toISOString(),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: i.components.map((c) => componentRef(ctx, c.componentId)),
    // Vigía's own fields:
    severity: i.severity,
    sla: slaView(i, ctx.now),
    severity_history: i.severityHistory.map((h) => ({
      from: h.fromSeverity,
      to: h.toSeverity,
      at: h.changedAt.toISOString(),
      by: h.changedBy,
      reason: h.reason,
    })),
    affected_components_status: i.components.map((c) => ({ id: c.componentId, status: c.status })),
    source: i.sourceId ? { id: i.sourceId, upstream_id: i.upstreamId, url: i.upstreamUrl } : null,
  };
}

export function v2Maintenance(ctx: V2ItemContext, m: MaintenanceView): MaintenanceInfo {
  const status = effectiveMaintenanceStatus(m, ctx.now);
  return {
    id: m.id,
    name: m.title,
    status,
    impact: 'maintenance',
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    monitoring_at: null,
    resolved_at: iso(m.completedAt),
    started_at: iso(m.startedAt) ?? (status === 'scheduled' ? null : m.startsAt.toISOString()),
    shortlink: `${ctx.config.site.url.replace(/\/$/, '')}/maintenances/${m.id}`,
    page_id: PAGE_ID,
    scheduled_for: m.startsAt.toISOString(),
    scheduled_until: m.endsAt.toISOString(),
    incident_updates: m.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: m.id,
      created_at: u.createdAt.toISOString(),
      updated_at: u.createdAt.toISOString(),
      display_at: u.createdAt.toISOString(),
      affected_components: null,
      deliver_notifications: m.notify,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: m.componentIds.map((id) => componentRef(ctx, id)),
    // Vigía's own fields:
    message: m.message,
    source: m.sourceId ? { id: m.sourceId, upstream_id: m.upstreamId, url: m.upstreamUrl } : null,
  };
}

const visibleMaintenances = (ctx: V2Context) => ctx.state.maintenances.filter((m) => m.status !== 'cancelled');
const byStartAsc = (a: MaintenanceView, b: MaintenanceView) => a.startsAt.getTime() - b.startsAt.getTime();

export function upcomingMaintenances(ctx: V2Context) {
  return visibleMaintenances(ctx).filter((m) => effectiveMaintenanceStatus(m, ctx.now) === 'scheduled').sort(byStartAsc);
}
export function activeMaintenances(ctx: V2Context) {
  return visibleMaintenances(ctx)
    .filter((m) => isUnderWay(effectiveMaintenanceStatus(m, ctx.now)))
    .sort(byStartAsc);
}

/** summary.json; its open incidents may be given already formatted (they are most of it, and all of unresolved.json). */
export function v2Summary<T = IncidentInfo[]>(ctx: V2Context, openIncidents?: T): Omit<SummaryDocument, 'incidents'> & { incidents: T | IncidentInfo[] } {
  return {
    page: v2Page(ctx),
    components: v2Components(ctx),
    incidents: openIncidents ?? ctx.state.incidents.filter(isOpenIncident).map((i) => v2Incident(ctx, i)),
    scheduled_maintenances: [...activeMaintenances(ctx), ...upcomingMaintenances(ctx)].map((m) => v2Maintenance(ctx, m)),
    status: v2Status(ctx),
  };
}

/** The 50 most recent incidents, open or not, as Statuspage lists them (incidents.json; every open one is in summary.json). */
export const v2RecentIncidents = (ctx: V2Context) => ctx.state.incidents.slice(0, 50).map((i) => v2Incident(ctx, i));

export const v2Maintenances = (ctx: V2Context, which: 'all' | 'upcoming' | 'active') =>
  (which === 'all' ? visibleMaintenances(ctx) : which === 'upcoming' ? upcomingMaintenances(ctx) : activeMaintenances(ctx))
    .slice(0, 50)
    .map((m) => v2Maintenance(ctx, m));
