import { Hono } from 'hono';
import type { AppContext } from '../context.ts';
import { notFound } from '../core/errors.ts';
import { maintenanceCalendar } from '../maintenances/ics.ts';
import { loadWindow } from '../notices/maintenance-notices.ts';

/** Public calendar files: `GET /maintenances/<id>.ics`, linked from the site and from every maintenance mail. */
export function calendarRoutes(app: AppContext) {
  const routes = new Hono();
  routes.get('/maintenances/:file{[0-9a-zA-Z_-]+\\.ics}', async (c) => {
    const id = c.req.param('file').slice(0, -'.ics'.length);
    const window = await loadWindow(app.db, id);
    if (!window) throw notFound(`maintenance "${id}"`);
    const body = maintenanceCalendar(window, { url: app.config.site.url, name: app.config.site.name });
    return c.body(body, 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="maintenance-${id}.ics"`,
      'cache-control': 'public, max-age=300',
    });
  });
  return routes;
}
