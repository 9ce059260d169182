import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { needs, principalOf } from '../../http/admin-auth.ts';
import { updatePosters } from '../../incidents/posted-by.ts';
import { invalidFields, notFound } from '../../core/errors.ts';
import { impliedComponentStatus, incidentCell, requestedLevel } from '../../incidents/levels.ts';
import { ApiError, readJson, validate } from '../../http/errors.ts';
import { affectedComponentsSchema, incidentStatusSchema, instantSchema, severitySchema } from '../../http/schemas.ts';
import { addIncidentUpdate, createIncident } from '../../incidents/service.ts';
import { isClosedStatus } from '../../core/vocabulary.ts';
import { loadIncidentView, loadPublishedState, type IncidentView } from '../../status/read-model.ts';
import { slaAlerts } from '../../incidents/breach-warnings.ts';
import { v2Context, v2Incident, v2ItemContext, type V2ItemContext } from '../../status/statuspage-v2.ts';
import { loadConditionInputs } from '../../status/condition-inputs.ts';
import type { SlaTargetsFn } from '../../incidents/targets.ts';

// With a priority × impact policy, `priority` and `impact` may stand for `severity` (the level is their cell).
const cellValue = z.string().trim().min(1).max(64);
const createSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  severity: severitySchema.optional(),
  priority: cellValue.optional(),
  impact: cellValue.optional(),
  status: incidentStatusSchema.default('investigating'),
  message: z.string().trim().min(1).max(20_000),
  components: affectedComponentsSchema.default([]),
  started_at: instantSchema.optional(),
});

const updateSchema = z.strictObject({
  status: incidentStatusSchema,
  message: z.string().trim().min(1).max(20_000),
  severity: severitySchema.optional(),
  priority: cellValue.optional(),
  impact: cellValue.optional(),
  severity_reason: z.string().trim().max(2_000).optional(),
  at: instantSchema.optional(),
  components: affectedComponentsSchema.optional(),
});

/** Admin incident endpoints: declare an incident, post updates (status, severity, components). */
export function adminIncidentRoutes(app: AppContext, targets: SlaTargetsFn) {
  const routes = new Hono();

  /** One incident for an admin: with its components' current conditions (read alone, not the whole page). */
  const show = async (incident: IncidentView) => {
    const now = app.now();
    const ctx = v2ItemContext(app.config, await loadConditionInputs(app.db, now, incident.components.map((c) => c.componentId)), now);
    return adminView(ctx, incident, await updatePosters(app.db, [incident.id]));
  };

  /**
   * The public shape plus what admins must act on (targets about to be missed or missed), who posted each update,
   * and the matrix cell of its level when the policy is priority × impact (`impact` itself is Statuspage's word).
   */
  const adminView = (ctx: V2ItemContext, incident: IncidentView, posters: Map<string, string>) => {
    const shown = v2Incident(ctx, incident);
    return {
      ...shown,
      incident_updates: shown.incident_updates.map((u) => ({ ...u, posted_by: posters.get(u.id) ?? null })),
      ...(app.config.policy.matrix ? { cell: incidentCell(app.config, incident.severity) } : {}),
      sla_alerts: slaAlerts(incident, ctx.now, app.config.policy.warningMarginMs).map((a) => ({
        target: a.target,
        due_at: a.due_at.toISOString(),
        breached: a.breached,
      })),
    };
  };

  routes.get('/', needs('viewer'), async (c) => {
    const status = c.req.query('status') ?? 'all';
    if (!['all', 'open', 'resolved'].includes(status)) throw new ApiError(400, 'invalid_request', 'status: must be all, open or resolved');
    const now = app.now();
    const ctx = v2Context(app.config, await loadPublishedState(app.db, now), now);
    const list = ctx.state.incidents.filter((i) => status === 'all' || (status === 'open') === !isClosedStatus(i.status));
    const posters = await updatePosters(app.db, list.map((i) => i.id));
    return c.json({ incidents: list.map((i) => adminView(ctx, i, posters)) });
  });

  routes.post('/', needs('editor'), async (c) => {
    const body = validate(createSchema, await readJson(c));
    const requested = requestedLevel(app.config, body);
    if (!requested) throw invalidFields('body', [{ field: 'severity', message: app.config.policy.matrix ? 'is required, or priority and impact' : 'is required' }]);
    const incident = await app.db.transaction((tx) =>
      createIncident(
        tx,
        {
          title: body.title,
          severity: requested.level,
          status: body.status,
          message: body.message,
          startedAt: body.started_at,
          components: body.components,
        },
        { now: app.now(), actor: 'admin', postedBy: principalOf(c).name, targets, impliedStatus: impliedComponentStatus(app.config) },
      ),
    );
    app.logger.info({ incident: incident.id, severity: requested.level }, 'incident opened');
    app.publishedChanged('incident opened');
    // The answer is what the transaction wrote, not a second read of it.
    return c.json({ incident: await show(incident) }, 201);
  });

  routes.get('/:id', needs('viewer'), async (c) => {
    const id = c.req.param('id');
    const incident = await loadIncidentView(app.db, id);
    if (!incident) throw notFound(`incident "${id}"`);
    return c.json({ incident: await show(incident) });
  });

  routes.post('/:id/updates', needs('editor'), async (c) => {
    const id = c.req.param('id');
    const body = validate(updateSchema, await readJson(c));
    const incident = await app.db.transaction(async (tx) => {
      // A priority or impact alone keeps the other from the incident's cell, so the level is read in the transaction.
      const current = body.priority !== undefined || body.impact !== undefined ? (await loadIncidentView(tx, id))?.severity : undefined;
      const requested = requestedLevel(app.config, body, current);
      return addIncidentUpdate(
        tx,
        id,
        {
          status: body.status,
          message: body.message,
          severity: requested?.level,
          severityReason: [requested?.cellChange, body.severity_reason].filter(Boolean).join(': ') || undefined,
          at: body.at,
          components: body.components,
        },
        { now: app.now(), actor: 'admin', postedBy: principalOf(c).name, targets, impliedStatus: impliedComponentStatus(app.config) },
      );
    });
    app.logger.info({ incident: id, status: body.status, severity: incident.severity }, 'incident updated');
    app.publishedChanged('incident updated');
    return c.json({ incident: await show(incident) }, 201);
  });

  return routes;
}
