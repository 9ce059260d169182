import { Hono } from 'hono';
import { z } from 'zod';
import { messageLocale } from '../../config/schema.ts';
import { isLocale } from '../../core/vocabulary.ts';
import type { AppContext } from '../../context.ts';
import { invalidFields } from '../../core/errors.ts';
import { needs } from '../../http/admin-auth.ts';
import { requestedLevel } from '../../incidents/levels.ts';
import { readJson, validate } from '../../http/errors.ts';
import { affectedComponentsSchema, incidentStatusSchema, severitySchema } from '../../http/schemas.ts';
import { createMailRenderer } from '../../mail/render.ts';

const incidentDraft = z.strictObject({
  title: z.string().trim().min(1).max(200),
  // As when declaring: a level, or with a priority × impact policy the cell that gives it.
  severity: severitySchema.optional(),
  priority: z.string().trim().min(1).max(64).optional(),
  impact: z.string().trim().min(1).max(64).optional(),
  status: incidentStatusSchema.default('investigating'),
  message: z.string().trim().max(20_000).default(''),
  components: affectedComponentsSchema.default([]),
  locale: z.string().refine(isLocale, 'must be one of the page\'s languages').optional(),
});

/**
 * What subscribers would receive, before anything is sent: the e-mail an incident being declared would produce,
 * rendered by the same templates as the real one (nothing is stored or queued).
 */
export function adminPreviewRoutes(app: AppContext) {
  const routes = new Hono();
  const render = createMailRenderer(app);

  routes.post('/incident', needs('editor'), async (c) => {
    const draft = validate(incidentDraft, await readJson(c));
    const requested = requestedLevel(app.config, draft);
    if (!requested) throw invalidFields('body', [{ field: 'severity', message: app.config.policy.matrix ? 'is required, or priority and impact' : 'is required' }]);
    const { site } = app.config;
    const mail = await render({
      notice: {
        kind: 'incident.opened',
        incidentId: 'preview',
        updateId: null,
        title: draft.title,
        severity: requested.level,
        status: draft.status,
        message: draft.message,
        components: draft.components.map((c) => app.config.components.find((x) => x.id === c.id)?.name ?? c.id),
        startedAt: app.now().toISOString(),
      },
      target: 'suscriptor@example.com',
      locale: draft.locale ?? messageLocale(site.default_locale),
      timeZone: site.timezone,
      // Links in the footer are made for no real subscriber.
      subscriberId: 'preview',
    });
    return c.json({ preview: { subject: mail.subject, html: mail.html, text: mail.text } });
  });

  return routes;
}
