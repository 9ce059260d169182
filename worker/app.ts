import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppContext } from './context.ts';
import { errorBody, isAnsweredError, sendError } from './http/errors.ts';
import type { SlaTargetsFn } from './incidents/targets.ts';
import type { Publisher } from './publish/publisher.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { healthRoutes } from './routes/health.ts';
import { securityHeaders } from './http/security-headers.ts';
import { securityPolicyFor } from './lib/security-headers.ts';
import { publishedDocuments } from './routes/published.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export interface AppDeps {
  targets: SlaTargetsFn;
  /** The published snapshot: every public document, served from memory. */
  publisher: Publisher;
  /** Serves the built static site for every path the API does not own. */
  site?: Hono;
}

/** The whole HTTP surface: public v2 API, admin API, health, and the static site. */
export function createApp(app: AppContext, deps: AppDeps) {
  const http = new Hono();

  http.onError((error, c) => {
    if (isAnsweredError(error)) return sendError(c, error);
    if (error instanceof HTTPException) {
      return c.json(errorBody('http_error', error.message || 'request failed'), error.status);
    }
    app.logger.error({ err: boundedError(error), path: c.req.path.slice(0, 200), method: c.req.method }, 'unhandled error');
    return c.json(errorBody('internal_error', 'something went wrong on our side; it has been logged'), 500);
  });

  http.use('*', securityHeaders(securityPolicyFor(app.config.site.url)));
  http.use('*', publishedDocuments(deps.publisher));
  http.route('/', healthRoutes(app));
  http.route('/api/admin', adminRoutes(app, deps));
  http.route('/api/subscriptions', subscriptionRoutes(app));
  http.route('/api/webhooks', webhookRoutes(app));
  http.route('/', calendarRoutes(app));
  http.all('/api/*', (c) => c.json(errorBody('not_found', `no API endpoint ${c.req.method} ${c.req.path}`), 404));
  if (deps.site) http.route('/', deps.site);
  http.notFound((c) => c.json(errorBody('not_found', `nothing at ${c.req.path}`), 404));
  return http;
}

/** Characters of an unexpected error's message and stack logged at most: a failed query carries its SQL and every parameter. */
const MAX_LOGGED_ERROR = 4_000;

function boundedError(error: Error) {
  const cut = (text: string | undefined) => (text && text.length > MAX_LOGGED_ERROR ? `${text.slice(0, MAX_LOGGED_ERROR)}… (${text.length} characters)` : text);
  return { type: error.name, message: cut(error.message), stack: cut(error.stack) };
}
