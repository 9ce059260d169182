import { Hono } from 'hono';
import type { AppContext } from '../../context.ts';
import { resolveIncidentTemplates } from '../../config/incident-templates.ts';
import { needs } from '../../http/admin-auth.ts';
import { policyLevels } from '../../incidents/levels.ts';

/**
 * The console's incident templates, from the config file (else the shipped ones). Served by the admin API rather
 * than rendered into the console at build: the site is built from the public API alone, and a provider's drafts
 * (which incidents it expects, in what words) are for its staff, not for the public documents.
 */
export function adminIncidentTemplateRoutes(app: AppContext) {
  const routes = new Hono();
  routes.get('/', needs('viewer'), (c) => {
    const { config } = app;
    const { source, templates } = resolveIncidentTemplates(config.incident_templates, { levels: new Set(policyLevels(config)), matrix: config.priority_matrix });
    return c.json({ source, templates });
  });
  return routes;
}
