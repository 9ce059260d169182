/** Messages between the worker (worker/site/renderer.ts) and the site renderer process (site/renderer/entry.ts). */

export interface RenderRequest {
  id: number;
  /** The published state's version the pages are for; a new one makes the renderer read the API again. */
  version: number;
  /** Site paths to render (`/`, `/en/incidents/abc`…). */
  paths: string[];
  /** Also list every page the site has for this version. */
  list?: boolean;
  /** Send the list and each page as soon as it is ready (`RenderProgress`), before the reply. */
  stream?: boolean;
}

/** Part of a streamed rendering: the list of pages (first), or one page. */
export interface RenderProgress {
  id: number;
  progress: true;
  paths?: string[];
  page?: RenderedPage;
}

export interface RenderedPage {
  path: string;
  status: number;
  html: string;
}

export interface RenderReply {
  id: number;
  /** The pages rendered (none when they were streamed). */
  pages: RenderedPage[];
  paths?: string[];
  /**
   * Where the time went, in ms: reading the API (after a change of version), listing the pages, rendering them; and
   * the renderer process's CPU time for the whole request.
   */
  timings?: { data: number; list: number; render: number; cpu?: number };
  /** Set when the data could not be read or a page could not be rendered at all. */
  error?: string;
}
