import { Hono } from 'hono';
import { errorBody } from '../http/errors.ts';
import { answerFor } from '../http/representation.ts';
import { requestFactsOf, toResponse } from '../http/fast-path.ts';
import type { ServedSite } from './served-site.ts';

const BUILDING_PAGE =
  '<!doctype html><html lang="es"><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Vigía</title><p>La página de estado se está generando… / The status page is being built…</p></html>';

/**
 * Serves the site's pages and files not yet in memory (the fast path answers the rest), and the site's
 * own 404 page, in the visitor's language, for every other path outside the API.
 */
export function siteRoutes(currentSite: () => ServedSite | null) {
  const routes = new Hono();
  routes.on(['GET', 'HEAD'], '*', async (c) => {
    const site = currentSite();
    const unavailable = () => {
      c.header('Retry-After', '5');
      c.header('Cache-Control', 'no-store');
      return c.html(BUILDING_PAGE, 503);
    };
    if (!site) return unavailable();
    const facts = requestFactsOf(c.req.raw);
    // A page never rendered whose rendering fails now (the renderer restarting) has nothing older to fall back on.
    const rep = await site.representation(c.req.path).catch(() => null);
    if (rep === null) return unavailable();
    if (rep) return toResponse(answerFor(rep, facts));
    const page = await site.notFoundPage(c.req.path, c.req.header('accept-language'));
    if (page) return toResponse(answerFor(page, { method: facts.method }), 404);
    return c.json(errorBody('not_found', `nothing at ${c.req.path}`), 404);
  });
  return routes;
}
