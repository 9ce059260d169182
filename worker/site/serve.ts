import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';

/**
 * Serves whichever site build is current. A serveStatic handler is made per build folder,
 * so swapping builds is just a pointer change.
 */
export function siteRoutes(currentDir: () => string | null) {
  const routes = new Hono();
  const handlers = new Map<string, MiddlewareHandler>();
  routes.get('*', async (c, next) => {
    const dir = currentDir();
    if (!dir) {
      c.header('Retry-After', '5');
      return c.html(
        '<!doctype html><html lang="es"><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Vigía</title><p>La página de estado se está generando… / The status page is being built…</p></html>',
        503,
      );
    }
    let handler = handlers.get(dir);
    if (!handler) {
      handlers.clear();
      handler = serveStatic({
        root: dir,
        onFound: (path, ctx) => {
          // HTML changes with every build; hashed assets never do.
          ctx.header('Cache-Control', path.includes('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=15');
        },
      });
      handlers.set(dir, handler);
    }
    return handler(c, next);
  });
  return routes;
}
