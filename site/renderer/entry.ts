/**
 * The server entry of the site renderer: the same pages as the static build, rendered on request by the worker.
 * The worker runs this file as a child process (`node <renderer>/server/entry.mjs`) and talks to it over the IPC
 * channel: each message names a published-state version and the pages to render; pages read the worker's public API
 * (VIGIA_API_URL) once per version, as a static build does once per build. See worker/site/site-renderer.ts.
 */
import type { SSRManifest } from 'astro';
import { App } from 'astro/app';
import { loadSiteData, refreshSiteData } from '../lib/api.ts';
import type { RenderedPage, RenderProgress, RenderReply, RenderRequest } from './protocol.ts';

/**
 * Each route's paths by their parameters, as generated before: the site is listed again after every change, and
 * thousands of its pages (an incident's, in every language) are the same from one listing to the next.
 */
const generated = new Map<string, Map<string, string>>();

/** Every page the site has for the current data: each route's `getStaticPaths`, or the route itself. */
async function listPages(manifest: SSRManifest): Promise<string[]> {
  const paths: string[] = [];
  for (const { routeData } of manifest.routes) {
    if (routeData.type !== 'page' || !routeData.component.startsWith('site/pages/')) continue;
    const load = manifest.pageMap?.get(routeData.component);
    if (!load) continue;
    const page = await (await load()).page();
    const staticPaths = (page as { getStaticPaths?: () => Promise<{ params: Record<string, string | undefined> }[]> }).getStaticPaths;
    const params = staticPaths ? (await staticPaths()).map((p) => p.params) : [{}];
    let known = generated.get(routeData.route);
    if (!known) generated.set(routeData.route, (known = new Map()));
    const next = new Map<string, string>();
    for (const p of params) {
      // A route's parameters come in the same order every time (its getStaticPaths makes them).
      let key = '';
      for (const name in p) key += `${name}=${p[name] ?? ''}&`;
      const path = known.get(key) ?? routeData.generate(p);
      next.set(key, path);
      paths.push(path);
    }
    generated.set(routeData.route, next);
  }
  return paths;
}

export function start(manifest: SSRManifest): void {
  // Imported by Astro's build too (to prerender nothing): only a child process with an IPC channel serves.
  if (!process.send) return;
  const send = (reply: RenderReply | RenderProgress | { ready: true }) => process.send!(reply);
  const app = new App(manifest);
  let version = -1;
  let queue = Promise.resolve();

  async function handle(request: RenderRequest): Promise<void> {
    try {
      const cpu = process.cpuUsage();
      let mark = performance.now();
      const lap = () => -mark + (mark = performance.now());
      // An older version asked for (a page requested during a newer rendering) is rendered from the newer data.
      if (request.version > version) {
        refreshSiteData();
        version = request.version;
        await loadSiteData();
      }
      const data = lap();
      let paths = request.list ? await listPages(manifest) : undefined;
      const list = lap();
      if (paths && request.stream) {
        send({ id: request.id, progress: true, paths });
        paths = undefined;
      }
      const pages: RenderedPage[] = [];
      for (const path of request.paths) {
        const response = await app.render(new Request(new URL(path, 'http://site.invalid')));
        const page = { path, status: response.status, html: await response.text() };
        // Streamed, each page is served while the next one is rendered.
        if (request.stream) send({ id: request.id, progress: true, page });
        else pages.push(page);
      }
      const render = lap();
      const used = process.cpuUsage(cpu);
      send({ id: request.id, pages, paths, timings: { data, list, render, cpu: (used.user + used.system) / 1000 } });
    } catch (error) {
      send({ id: request.id, pages: [], error: (error as Error)?.stack ?? String(error) });
    }
  }

  process.on('message', (request: RenderRequest) => {
    queue = queue.then(() => handle(request));
  });
  // The worker gone, nothing is left to render for. Stopped by the worker, it exits as a normal end (so a profile
  // asked for with --cpu-prof is written).
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  send({ ready: true });
}

export function createExports(): Record<string, never> {
  return {};
}
