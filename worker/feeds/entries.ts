/**
 * What the RSS and Atom feeds say: one entry per incident and per maintenance window on the page, with its
 * timeline. Pure: the same published state gives the same entries (no "now" in them).
 */
import type { Config } from '../config/load.ts';
import { absoluteUrl, localizedPath } from '../publish/public-url.ts';
import type { IncidentView, MaintenanceView, PublishedState } from '../status/views.ts';
import { regionLevel } from '../config/policy.ts';
import { severityTexts } from '../policy/public-policy.ts';
import { embedStrings, formatInstant, localized } from './strings.ts';

export interface FeedEntry {
  /** A tag URI that never changes for the incident or window (RFC 4151). */
  id: string;
  kind: 'incident' | 'maintenance';
  title: string;
  link: string;
  /** When it was first posted. */
  published: Date;
  /** Its latest news. */
  updated: Date;
  /** The timeline as HTML (escaped again by the XML writer). */
  html: string;
  categories: string[];
}

/** Entries in a feed, newest news first. */
export const FEED_LIMIT = 100;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Plain text with its line breaks kept. */
const paragraph = (text: string) => escapeHtml(text.trim()).replace(/\r?\n/g, '<br>');
const ymd = (d: Date) => d.toISOString().slice(0, 10);
const latest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

export function tagUri(siteUrl: string, kind: FeedEntry['kind'], id: string, createdAt: Date): string {
  return `tag:${new URL(siteUrl).hostname},${ymd(createdAt)}:${kind}/${id}`;
}

export interface FeedScope {
  config: Config;
  state: PublishedState;
  locale: string;
  /** Only what touches this component; the whole page when absent. */
  componentId?: string;
  /**
   * Entries already written for this locale and these component names, by incident or window object: one page's
   * feeds share them, and so do rebuilds while an item is the same object.
   */
  memo?: WeakMap<IncidentView | MaintenanceView, FeedEntry>;
}

export function feedEntries({ config, state, locale, componentId, memo = new WeakMap() }: FeedScope): FeedEntry[] {
  const names = new Map(state.components.map((c) => [c.id, c.name]));
  const incidents = state.incidents.filter((i) => !componentId || i.components.some((c) => c.componentId === componentId));
  const windows = state.maintenances.filter((m) => !componentId || m.componentIds.includes(componentId));
  const once = <T extends IncidentView | MaintenanceView>(item: T, write: (item: T) => FeedEntry) => memo.get(item) ?? memo.set(item, write(item)).get(item)!;
  return [
    ...incidents.map((i) => once(i, () => incidentEntry(config, i, locale, names))),
    ...windows.map((m) => once(m, () => maintenanceEntry(config, m, locale, names))),
  ]
    .sort((a, b) => b.updated.getTime() - a.updated.getTime() || a.id.localeCompare(b.id))
    .slice(0, FEED_LIMIT);
}

function pageLink(config: Config, locale: string, path: string) {
  return absoluteUrl(config.site.url, localizedPath(locale, config.site.default_locale, path));
}

function incidentEntry(config: Config, incident: IncidentView, locale: string, names: Map<string, string>): FeedEntry {
  const s = embedStrings(locale);
  const zone = config.site.timezone;
  // Named as its region names the level when its region has levels of its own, as on the page and in mail.
  const severityName = regionLevel(config.policy, incident.severity, incident.calendarId)?.name ?? severityTexts(config, incident.severity)?.name;
  const severityText = `${s.severity} ${incident.severity}${severityName ? ` (${localized(severityName, locale)})` : ''}`;
  const affected = incident.components.map((c) => names.get(c.componentId) ?? c.componentId);
  const status = s.incidentStatus[incident.status] ?? incident.status;
  // The read model lists updates newest first; back-dated ones are ordered by when they happened.
  const updates = [...incident.updates].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
  const html = [
    `<p>${escapeHtml(`${status} · ${severityText}`)}${affected.length ? `<br>${escapeHtml(`${s.affects}: ${affected.join(', ')}`)}` : ''}</p>`,
    ...updates.map(
      (u) =>
        `<p><strong>${escapeHtml(s.incidentStatus[u.status] ?? u.status)}</strong> · ${escapeHtml(formatInstant(u.createdAt, locale, zone))}<br>${paragraph(u.body)}</p>`,
    ),
  ].join('\n');
  return {
    id: tagUri(config.site.url, 'incident', incident.id, incident.createdAt),
    kind: 'incident',
    title: `${incident.title} (${status})`,
    link: pageLink(config, locale, `/incidents/${incident.id}/`),
    published: incident.createdAt,
    updated: latest([incident.createdAt, ...updates.map((u) => u.createdAt)]),
    html,
    categories: [s.incident, severityText, ...affected],
  };
}

function maintenanceEntry(config: Config, window: MaintenanceView, locale: string, names: Map<string, string>): FeedEntry {
  const s = embedStrings(locale);
  const zone = config.site.timezone;
  const affected = window.componentIds.map((id) => names.get(id) ?? id);
  // The stored status: a feed entry must not change by itself as time passes, only when the window does.
  const status = s.maintenanceStatus[window.status] ?? window.status;
  const updates = [...window.updates].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
  const html = [
    `<p>${escapeHtml(`${s.window}: ${formatInstant(window.startsAt, locale, zone)} – ${formatInstant(window.endsAt, locale, zone)}`)}${
      affected.length ? `<br>${escapeHtml(`${s.affects}: ${affected.join(', ')}`)}` : ''
    }</p>`,
    ...(window.message.trim() ? [`<p>${paragraph(window.message)}</p>`] : []),
    ...(window.status === 'cancelled' && window.cancelReason ? [`<p><strong>${escapeHtml(s.cancelled)}</strong><br>${paragraph(window.cancelReason)}</p>`] : []),
    ...updates.map(
      (u) =>
        `<p><strong>${escapeHtml(s.maintenanceStatus[u.status] ?? u.status)}</strong> · ${escapeHtml(formatInstant(u.createdAt, locale, zone))}<br>${paragraph(u.body)}</p>`,
    ),
  ].join('\n');
  return {
    id: tagUri(config.site.url, 'maintenance', window.id, window.createdAt),
    kind: 'maintenance',
    title: `${s.maintenance}: ${window.title} (${status})`,
    link: pageLink(config, locale, `/maintenances/${window.id}/`),
    published: window.createdAt,
    updated: latest([window.createdAt, window.updatedAt, ...updates.map((u) => u.createdAt)]),
    html,
    categories: [s.maintenance, ...affected],
  };
}
