import type { Representation } from '../http/representation.ts';

/** What the HTTP layer asks of the site being served (worker/http/fast-path.ts, worker/site/serve.ts). */
export interface ServedSite {
  /** A page or file ready in memory (the synchronous fast path); undefined when it must be read or rendered first. */
  cached(urlPath: string): Representation | undefined;
  /** The page or file at a path, read or rendered now if need be; undefined when the site has nothing there. */
  representation(urlPath: string): Promise<Representation | undefined>;
  /** The site's 404 page in the visitor's language. */
  notFoundPage(urlPath: string, acceptLanguage: string | undefined): Promise<Representation | undefined>;
}
