import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { parseWallDuration } from '../../config/wall-duration.ts';
import type { AppContext } from '../../context.ts';
import { needs } from '../../http/admin-auth.ts';
import { notFound } from '../../core/errors.ts';
import { SOURCE_TYPES } from '../../core/vocabulary.ts';
import { readJson, validate } from '../../http/errors.ts';
import { idListSchema } from '../../http/schemas.ts';
import { iso } from '../../lib/iso.ts';
import {
  addSource,
  changeSource,
  detectSourceFormat,
  getSource,
  listSources,
  removeSource,
  setSourcePaused,
  type SourceDetails,
} from '../../sources/service.ts';
import { storedAddress } from '../../sources/credentials.ts';
import { sourcePayload, type SourcePayload } from '../../sources/payload.ts';
import { followUpstreamComponents, upstreamComponentsOf, type UpstreamComponentsView } from '../../sources/upstream-components.ts';
import { detectedComponents, detectUpstream, type DetectedComponents } from '../../upstream/detect.ts';
import { MAX_COMPONENT_ENTRIES, MAX_COMPONENT_ENTRY } from '../../upstream/component-filter.ts';
import { pollSourceNow, type SourcePollReport } from '../../upstream/run.ts';
import { messageLocale } from '../../config/schema.ts';
import { egressPolicyFromEnv } from '../../lib/egress.ts';
import { redactText, redactUrl, withoutCredentials } from '../../lib/redact.ts';

const sourceId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, "-" or "_" (at most 64)');
const MIN_INTERVAL_SECONDS = 10;
const MAX_INTERVAL_SECONDS = 86_400;

/** A poll interval: seconds as a number, or a duration like the config's (`90s`, `2m`, `1h`). */
const intervalSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  let seconds: number;
  try {
    seconds = typeof value === 'number' ? value : parseWallDuration(value) / 1000;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
  if (!Number.isInteger(seconds) || seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
    ctx.addIssue({ code: 'custom', message: `must be a whole number of seconds from ${MIN_INTERVAL_SECONDS} to ${MAX_INTERVAL_SECONDS} (or a duration like "2m")` });
    return z.NEVER;
  }
  return seconds;
});

const name = z.string().trim().min(1).max(200);
/** Longer than any status page's address; a URL is stored, shown and logged, so it is bounded. */
export const MAX_SOURCE_URL_LENGTH = 2_048;
const sourceUrl = z
  .string()
  .max(MAX_SOURCE_URL_LENGTH, { error: `must be at most ${MAX_SOURCE_URL_LENGTH} characters` })
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));
const settings = z.record(z.string(), z.unknown());
const componentIds = idListSchema();

const createSchema = z.strictObject({
  id: sourceId,
  name,
  type: z.enum([...SOURCE_TYPES, 'auto']),
  url: sourceUrl,
  interval: intervalSchema.default(60),
  sla: z.boolean().default(false),
  settings: settings.default({}),
  component_ids: componentIds.default([]),
  paused: z.boolean().default(false),
});

const updateSchema = z
  .strictObject({
    name: name.optional(),
    interval: intervalSchema.optional(),
    sla: z.boolean().optional(),
    settings: settings.optional(),
    paused: z.boolean().optional(),
    component_ids: componentIds.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change: send name, interval, sla, settings, paused or component_ids' });

const detectSchema = z.strictObject({ url: sourceUrl });

/** The upstream components to follow, by the ids the page lists them with, or `"all"` for the whole page. */
const followSchema = z.strictObject({
  follow: z.union([z.literal('all'), z.array(z.string().trim().min(1).max(MAX_COMPONENT_ENTRY)).min(1).max(MAX_COMPONENT_ENTRIES)]),
});

function pageComponentsView(found: DetectedComponents) {
  return { setting: found.setting, components: found.components, error: found.error };
}

function upstreamComponentsView(view: UpstreamComponentsView) {
  return {
    source_id: view.sourceId,
    type: view.type,
    setting: view.setting,
    follows_all: view.followsAll,
    read_at: iso(view.readAt),
    components: view.components,
    error: view.error === null ? null : redactText(view.error),
  };
}

function payloadView(payload: SourcePayload) {
  return {
    source_id: payload.sourceId,
    type: payload.type,
    bodies: payload.bodies.map((b) => ({ endpoint: b.endpoint, stored_at: b.storedAt.toISOString(), bytes: b.bytes, format: b.format, content_type: b.contentType, body: b.body })),
    last_error: payload.lastError === null ? null : redactText(payload.lastError),
    last_error_at: iso(payload.lastErrorAt),
    failed_at: payload.failedAt,
  };
}

function sourceView({ row, componentIds, openIncidents }: SourceDetails) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    url: redactUrl(row.url),
    // Credentials are sent, never shown: only whether there are any.
    credentials_set: row.credentials !== null,
    interval_seconds: row.intervalSeconds,
    sla: row.slaCounts,
    settings: row.settings,
    origin: row.origin,
    paused: row.paused,
    state: row.state,
    state_since: iso(row.stateSince),
    reported_state: row.reportedState,
    last_polled_at: iso(row.lastPolledAt),
    last_success_at: iso(row.lastSuccessAt),
    last_error_at: iso(row.lastErrorAt),
    last_error: row.lastError === null ? null : redactText(row.lastError),
    consecutive_failures: row.consecutiveFailures,
    failing_since: iso(row.failingSince),
    next_poll_at: iso(row.nextPollAt),
    last_latency_ms: row.lastLatencyMs,
    last_warnings: row.lastWarnings.map(redactText),
    unknown_words: row.unknownWords,
    component_ids: componentIds,
    open_incidents: openIncidents,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function reportView(report: SourcePollReport) {
  return {
    outcome: report.outcome,
    latency_ms: report.latencyMs,
    error: report.error === null ? null : redactText(report.error),
    retryable: report.retryable,
    state: report.state,
    previous_state: report.previousState,
    published_change: report.publishedChange,
    incidents: report.incidents,
    maintenances: report.maintenances,
    new_unknown_words: report.newUnknownWords,
    warnings: report.warnings.map(redactText),
    held: report.held,
    next_poll_at: iso(report.nextPollAt),
  };
}

/** A body is optional for actions like pause: an empty request is an empty object. */
async function optionalJson(c: Context): Promise<unknown> {
  const length = c.req.header('content-length');
  if (!c.req.header('content-type') && (length === undefined || length === '0')) return {};
  return readJson(c);
}

/**
 * Admin endpoints for upstream sources: list with poll state, add (with format detection), change, pause and
 * resume, remove (admin-added ones; what was recorded stays), poll now, detect a page's format. The sources service
 * holds the rules and the writes.
 */
export function adminSourceRoutes(app: AppContext) {
  const routes = new Hono();

  routes.get('/', needs('viewer'), async (c) => c.json({ sources: (await listSources(app.db)).map(sourceView) }));

  // Detection fetches the address an admin typed: under the deployment's egress policy, like every poll.
  const detect = (url: string) => detectUpstream(url, { fetch: { egress: egressPolicyFromEnv(app.env) } });

  routes.post('/detect', needs('editor'), async (c) => {
    const body = validate(detectSchema, await readJson(c));
    const detected = await detectSourceFormat(body.url, detect);
    // The page's own list of components, read through the detected adapter, to choose from before adding it.
    const address = storedAddress(detected.url);
    const listed = await detectedComponents({ type: detected.type, ...address }, { now: app.now(), fetch: { egress: egressPolicyFromEnv(app.env) } });
    return c.json({ detected: { ...detected, url: redactUrl(withoutCredentials(detected.url)) }, upstream_components: pageComponentsView(listed) });
  });

  routes.get('/:id', needs('viewer'), async (c) => c.json({ source: sourceView(await getSource(app.db, c.req.param('id'))) }));

  routes.get('/:id/upstream-components', needs('viewer'), async (c) =>
    c.json(upstreamComponentsView(await upstreamComponentsOf(app.db, c.req.param('id'), app.now()))),
  );

  routes.put('/:id/upstream-components', needs('editor'), async (c) => {
    const id = c.req.param('id');
    const body = validate(followSchema, await readJson(c));
    const { source, pageChanged } = await followUpstreamComponents(app.db, id, body.follow, app.now());
    if (pageChanged) app.publishedChanged(`source ${id} changed`);
    return c.json({ ...upstreamComponentsView(await upstreamComponentsOf(app.db, id, app.now())), source: sourceView(source) });
  });

  routes.get('/:id/payload', needs('viewer'), async (c) => c.json(payloadView(await sourcePayload(app.db, c.req.param('id')))));

  routes.post('/', needs('editor'), async (c) => {
    const body = validate(createSchema, await readJson(c));
    const { source, detected, pageChanged } = await addSource(
      app.db,
      {
        id: body.id,
        name: body.name,
        type: body.type,
        url: body.url,
        intervalSeconds: body.interval,
        slaCounts: body.sla,
        settings: body.settings,
        componentIds: body.component_ids,
        paused: body.paused,
      },
      { now: app.now(), detect },
    );
    app.logger.info({ source: body.id, type: source.row.type, url: source.row.url }, 'upstream source added');
    if (pageChanged) app.publishedChanged(`source ${body.id} added`);
    return c.json({ source: sourceView(source), ...(detected ? { detected } : {}) }, 201);
  });

  routes.patch('/:id', needs('editor'), async (c) => {
    const id = c.req.param('id');
    const body = validate(updateSchema, await readJson(c));
    const { source, pageChanged } = await changeSource(
      app.db,
      id,
      { name: body.name, intervalSeconds: body.interval, slaCounts: body.sla, settings: body.settings, paused: body.paused, componentIds: body.component_ids },
      { now: app.now() },
    );
    if (pageChanged) app.publishedChanged(`source ${id} changed`);
    return c.json({ source: sourceView(source) });
  });

  const setPaused = (paused: boolean) => async (c: Context) => {
    const id = c.req.param('id')!;
    await optionalJson(c);
    const { source, pageChanged } = await setSourcePaused(app.db, id, paused, { now: app.now() });
    if (pageChanged) {
      app.logger.info({ source: id }, paused ? 'upstream source paused' : 'upstream source resumed');
      app.publishedChanged(`source ${id} ${paused ? 'paused' : 'resumed'}`);
    }
    return c.json({ source: sourceView(source) });
  };
  routes.post('/:id/pause', needs('editor'), setPaused(true));
  routes.post('/:id/resume', needs('editor'), setPaused(false));

  routes.post('/:id/poll', needs('editor'), async (c) => {
    const id = c.req.param('id');
    await optionalJson(c);
    // The upstream watch polls and records (through the sources service); the answer shows the source after it.
    const report = await pollSourceNow(app, id);
    if (!report) throw notFound(`source "${id}"`);
    return c.json({ source: sourceView(await getSource(app.db, id)), poll: reportView(report) });
  });

  routes.delete('/:id', needs('editor'), async (c) => {
    const id = c.req.param('id');
    const removed = await removeSource(app.db, id, { now: app.now(), locale: messageLocale(app.config.site.default_locale) });
    app.logger.info({ source: id, ...removed }, 'upstream source removed');
    app.publishedChanged(`source ${id} removed`);
    return c.json({ deleted: id, incidents_closed: removed.incidents, maintenances_cancelled: removed.maintenances });
  });

  return routes;
}
