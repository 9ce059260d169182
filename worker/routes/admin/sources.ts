import { Hono, type Context } from 'hono';
import { and, asc, count, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/client.ts';
import { components, componentSources, incidents, sources } from '../../../db/schema/index.ts';
import { parseWallDuration } from '../../config/wall-duration.ts';
import type { AppContext } from '../../context.ts';
import { ApiError, notFound, readJson, validate } from '../../http/errors.ts';
import { clearCache } from '../../upstream/cache-store.ts';
import { detectUpstream } from '../../upstream/detect.ts';
import { unknownPeriodStep } from '../../upstream/poll-state.ts';
import { removeSource } from '../../upstream/remove-source.ts';
import { pollSourceNow, type SourcePollReport } from '../../upstream/run.ts';
import { forgetSnapshot, watchRuntime } from '../../upstream/runtime.ts';
import { checkSourceSettings } from '../../upstream/settings.ts';
import { ADAPTER_TYPES, type AdapterType } from '../../upstream/types.ts';
import { applyUnknownPeriodStep } from '../../sources/unknown-periods.ts';
import { messageLocale } from '../../config/schema.ts';

type SourceRow = typeof sources.$inferSelect;

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
const settings = z.record(z.string(), z.unknown());
const componentIds = z.array(z.string().min(1)).max(200);

const createSchema = z.strictObject({
  id: sourceId,
  name,
  type: z.enum([...ADAPTER_TYPES, 'auto']),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
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

const detectSchema = z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function sourceView(row: SourceRow, links: string[], openIncidents: number) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    url: row.url,
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
    last_error: row.lastError,
    consecutive_failures: row.consecutiveFailures,
    failing_since: iso(row.failingSince),
    next_poll_at: iso(row.nextPollAt),
    last_latency_ms: row.lastLatencyMs,
    last_warnings: row.lastWarnings,
    unknown_words: row.unknownWords,
    component_ids: links,
    open_incidents: openIncidents,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function reportView(report: SourcePollReport) {
  return {
    outcome: report.outcome,
    latency_ms: report.latencyMs,
    error: report.error,
    retryable: report.retryable,
    state: report.state,
    previous_state: report.previousState,
    published_change: report.publishedChange,
    incidents: report.incidents,
    maintenances: report.maintenances,
    new_unknown_words: report.newUnknownWords,
    warnings: report.warnings,
    held: report.held,
    next_poll_at: iso(report.nextPollAt),
  };
}

const OPEN = ['resolved', 'postmortem'];

async function loadViews(db: DbOrTx, ids?: string[]) {
  const rows = await db.select().from(sources).where(ids ? inArray(sources.id, ids) : undefined).orderBy(asc(sources.id));
  if (rows.length === 0) return [];
  const rowIds = rows.map((r) => r.id);
  const [links, open] = await Promise.all([
    db
      .select({ sourceId: componentSources.sourceId, componentId: componentSources.componentId })
      .from(componentSources)
      .innerJoin(components, eq(components.id, componentSources.componentId))
      .where(inArray(componentSources.sourceId, rowIds))
      .orderBy(asc(components.position)),
    db
      .select({ sourceId: incidents.sourceId, open: count() })
      .from(incidents)
      .where(and(inArray(incidents.sourceId, rowIds), notInArray(incidents.status, OPEN)))
      .groupBy(incidents.sourceId),
  ]);
  return rows.map((row) =>
    sourceView(
      row,
      links.filter((l) => l.sourceId === row.id).map((l) => l.componentId),
      open.find((o) => o.sourceId === row.id)?.open ?? 0,
    ),
  );
}

/** Validates settings against the adapter's options: 400 naming the setting. */
function assertSettings(type: AdapterType, value: Record<string, unknown>): void {
  const check = checkSourceSettings(type, value);
  if (check.ok) return;
  const problems = check.issues.map((issue) => `settings${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}: ${issue.message}`);
  throw new ApiError(400, 'invalid_request', `invalid body: ${problems.join('; ')}`, { fields: check.issues.map((i) => ['settings', ...i.path].join('.')) });
}

async function assertComponents(db: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db.select({ id: components.id }).from(components).where(and(inArray(components.id, ids), isNull(components.retiredAt)));
  const known = new Set(rows.map((r) => r.id));
  ids.forEach((id, i) => {
    if (!known.has(id)) throw new ApiError(422, 'unknown_component', `component_ids[${i}]: unknown component "${id}"`);
  });
}

async function linkComponents(tx: DbOrTx, id: string, componentIds: string[]): Promise<void> {
  await tx.delete(componentSources).where(eq(componentSources.sourceId, id));
  const unique = [...new Set(componentIds)];
  if (unique.length) await tx.insert(componentSources).values(unique.map((componentId) => ({ componentId, sourceId: id })));
}

function fromConfig(row: SourceRow, what: string): ApiError {
  return new ApiError(
    409,
    'config_source',
    `source "${row.id}" comes from the config file: ${what} in vigia.config.yaml (only pausing and resuming are done here)`,
  );
}

/** A body is optional for actions like pause: an empty request is an empty object. */
async function optionalJson(c: Context): Promise<unknown> {
  const length = c.req.header('content-length');
  if (!c.req.header('content-type') && (length === undefined || length === '0')) return {};
  return readJson(c);
}

/**
 * Admin endpoints for upstream sources: list with poll state, add (with format detection), change, pause and
 * resume, remove (admin-added ones; what was recorded stays), poll now, detect a page's format.
 */
export function adminSourceRoutes(app: AppContext) {
  const routes = new Hono();
  const runtime = watchRuntime(app.db);
  /** The upstream watch writes through the same lock (one connection on `:memory:`). */
  const locked = <T>(work: () => Promise<T>) => runtime.lock.run(work);

  const show = async (id: string) => {
    const [view] = await locked(() => loadViews(app.db, [id]));
    if (!view) throw notFound(`source "${id}"`);
    return view;
  };
  const load = async (id: string): Promise<SourceRow> => {
    const row = (await locked(() => app.db.select().from(sources).where(eq(sources.id, id)).limit(1)))[0];
    if (!row) throw notFound(`source "${id}"`);
    return row;
  };

  routes.get('/', async (c) => c.json({ sources: await locked(() => loadViews(app.db)) }));

  routes.post('/detect', async (c) => {
    const body = validate(detectSchema, await readJson(c));
    const found = await detectUpstream(body.url);
    if ('error' in found) throw new ApiError(422, 'not_detected', `url: ${found.error}`, { tried: found.tried });
    return c.json({ detected: found });
  });

  routes.get('/:id', async (c) => c.json({ source: await show(c.req.param('id')) }));

  routes.post('/', async (c) => {
    const body = validate(createSchema, await readJson(c));
    let type: AdapterType;
    let url = body.url;
    let detected: { type: AdapterType; url: string } | null = null;
    if (body.type === 'auto') {
      const found = await detectUpstream(body.url);
      if ('error' in found) throw new ApiError(422, 'not_detected', `url: ${found.error}`, { tried: found.tried });
      ({ type, url } = found);
      detected = found;
    } else type = body.type;
    assertSettings(type, body.settings);
    const now = app.now();
    await locked(() =>
      app.db.transaction(async (tx) => {
        if ((await tx.select({ id: sources.id }).from(sources).where(eq(sources.id, body.id))).length) {
          throw new ApiError(409, 'source_exists', `id: a source "${body.id}" already exists`);
        }
        await assertComponents(tx, body.component_ids);
        await tx.insert(sources).values({
          id: body.id,
          name: body.name,
          type,
          url,
          intervalSeconds: body.interval,
          settings: body.settings,
          slaCounts: body.sla,
          origin: 'admin',
          paused: body.paused,
          // Polled at the next tick.
          nextPollAt: null,
          createdAt: now,
          updatedAt: now,
        });
        await linkComponents(tx, body.id, body.component_ids);
      }),
    );
    app.logger.info({ source: body.id, type, url }, 'upstream source added');
    if (body.component_ids.length) app.publishedChanged(`source ${body.id} added`);
    return c.json({ source: await show(body.id), ...(detected ? { detected } : {}) }, 201);
  });

  routes.patch('/:id', async (c) => {
    const row = await load(c.req.param('id'));
    const body = validate(updateSchema, await readJson(c));
    if (row.origin === 'config') {
      const fields = (['name', 'interval', 'sla', 'settings', 'component_ids'] as const).filter((f) => body[f] !== undefined);
      if (fields.length) throw fromConfig(row, `change ${fields.join(', ')}`);
    }
    if (body.settings) assertSettings(row.type as AdapterType, body.settings);
    const now = app.now();
    await locked(() =>
      app.db.transaction(async (tx) => {
        const patch: Partial<typeof sources.$inferInsert> = { updatedAt: now };
        if (body.name !== undefined) patch.name = body.name;
        if (body.sla !== undefined) patch.slaCounts = body.sla;
        if (body.paused !== undefined) patch.paused = body.paused;
        if (body.paused === false && row.paused) patch.nextPollAt = null;
        if (body.interval !== undefined) {
          patch.intervalSeconds = body.interval;
          const sooner = now.getTime() + body.interval * 1000;
          if (row.nextPollAt && row.nextPollAt.getTime() > sooner) patch.nextPollAt = new Date(sooner);
        }
        if (body.settings !== undefined || body.component_ids !== undefined) {
          // What the next snapshot means changed: read every endpoint afresh, soon, and reconcile it in full.
          await clearCache(tx, row.id);
          forgetSnapshot(app.db, row.id);
          patch.nextPollAt = null;
          if (body.settings !== undefined) patch.settings = body.settings;
        }
        if (body.component_ids !== undefined) {
          await assertComponents(tx, body.component_ids);
          await linkComponents(tx, row.id, body.component_ids);
        }
        await tx.update(sources).set(patch).where(eq(sources.id, row.id));
        // A paused source is not shown unknown: pausing ends its unknown period, resuming an unreadable one opens one.
        if (patch.paused !== undefined) await applyUnknownPeriodStep(tx, row.id, unknownPeriodStep(row, { ...row, paused: patch.paused }, now));
      }),
    );
    if (body.paused !== undefined || body.component_ids !== undefined || body.name !== undefined) app.publishedChanged(`source ${row.id} changed`);
    return c.json({ source: await show(row.id) });
  });

  const setPaused = (paused: boolean) => async (c: Context) => {
    const row = await load(c.req.param('id')!);
    await optionalJson(c);
    if (row.paused !== paused) {
      const now = app.now();
      await locked(() =>
        app.db.transaction(async (tx) => {
          await tx
            .update(sources)
            .set({ paused, updatedAt: now, ...(paused ? {} : { nextPollAt: null }) })
            .where(eq(sources.id, row.id));
          await applyUnknownPeriodStep(tx, row.id, unknownPeriodStep(row, { ...row, paused }, now));
        }),
      );
      app.logger.info({ source: row.id }, paused ? 'upstream source paused' : 'upstream source resumed');
      app.publishedChanged(`source ${row.id} ${paused ? 'paused' : 'resumed'}`);
    }
    return c.json({ source: await show(row.id) });
  };
  routes.post('/:id/pause', setPaused(true));
  routes.post('/:id/resume', setPaused(false));

  routes.post('/:id/poll', async (c) => {
    const id = c.req.param('id');
    await optionalJson(c);
    const report = await pollSourceNow(app, id);
    if (!report) throw notFound(`source "${id}"`);
    return c.json({ source: await show(id), poll: reportView(report) });
  });

  routes.delete('/:id', async (c) => {
    const row = await load(c.req.param('id'));
    if (row.origin === 'config') throw fromConfig(row, 'remove it');
    const now = app.now();
    const closed = await locked(async () => {
      const done = await app.db.transaction((tx) => removeSource(tx, row, now, messageLocale(app.config.site.default_locale)));
      forgetSnapshot(app.db, row.id);
      return done;
    });
    app.logger.info({ source: row.id, ...closed }, 'upstream source removed');
    app.publishedChanged(`source ${row.id} removed`);
    return c.json({ deleted: row.id, incidents_closed: closed.incidents, maintenances_cancelled: closed.maintenances });
  });

  return routes;
}
