import { Hono } from 'hono';
import type { AppContext } from '../../context.ts';
import { adminAuth } from '../../http/admin-auth.ts';
import { auditTrail } from '../../http/audit.ts';
import { limitBody } from '../../http/body-limit.ts';
import type { SlaTargetsFn } from '../../incidents/targets.ts';
import { adminAccountRoutes } from './accounts.ts';
import { adminAuditRoutes } from './audit.ts';
import { adminIncidentTemplateRoutes } from './incident-templates.ts';
import { adminIncidentRoutes } from './incidents.ts';
import { adminMaintenanceRoutes } from './maintenances.ts';
import { adminOutboxRoutes } from './outbox.ts';
import { adminPreviewRoutes } from './previews.ts';
import { adminReportRoutes } from './reports.ts';
import { adminSourceRoutes } from './sources.ts';
import { adminSubscriberRoutes } from './subscribers.ts';

/**
 * An admin JSON body: the longest legitimate one (an update of 20,000 characters, every one escaped) is well under it.
 * The subscriber import has its own limits (`subscribers.ts`).
 */
export const ADMIN_BODY_BYTES = 256 * 1024;
const IMPORT_PATH = /\/subscribers\/import\/?$/;

/**
 * Everything under /api/admin: each route declares the role it needs (`needs(…)`, beside it); `adminAuth` knows the
 * caller and enforces that before the route runs, and every change that succeeds is written to the audit log.
 */
export function adminRoutes(app: AppContext, deps: { targets: SlaTargetsFn }) {
  const routes = new Hono();
  routes.use('*', adminAuth(app));
  routes.use('*', auditTrail(app));
  const limited = limitBody(ADMIN_BODY_BYTES);
  routes.use('*', (c, next) => (IMPORT_PATH.test(c.req.path) ? next() : limited(c, next)));
  routes.route('/', adminAccountRoutes(app));
  routes.route('/audit', adminAuditRoutes(app));
  routes.route('/incident-templates', adminIncidentTemplateRoutes(app));
  routes.route('/incidents', adminIncidentRoutes(app, deps.targets));
  routes.route('/maintenances', adminMaintenanceRoutes(app));
  routes.route('/outbox', adminOutboxRoutes(app));
  routes.route('/previews', adminPreviewRoutes(app));
  routes.route('/reports', adminReportRoutes(app));
  routes.route('/sources', adminSourceRoutes(app));
  routes.route('/subscribers', adminSubscriberRoutes(app));
  return routes;
}
