/** What a poller fetches for one source: one or more endpoints, each parsed together by the source's adapter. */

export type ExpectedContent = 'json' | 'xml' | 'any';

export interface EndpointSpec<K extends string = string> {
  /** The name the adapter's parse() reads the response under. */
  key: K;
  url: string;
  /** A failed required endpoint fails the poll; a failed optional one is reported and parsed without. */
  required: boolean;
  /** What the body must look like; anything else is a `bad_content` fetch error. */
  expect: ExpectedContent;
  /**
   * History or catalogue only (resolved incidents, past maintenances, product names): the other endpoints alone
   * show what is happening now, so while they are unchanged this one may be checked less often (see poll.ts).
   */
  secondary?: boolean;
}

/**
 * `path` under the source URL's path: `https://host/status` + `api/v2/summary.json` →
 * `https://host/status/api/v2/summary.json`. Query and fragment of the source are dropped.
 */
export function underBase(sourceUrl: string, path: string): string {
  const base = new URL(sourceUrl);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  return new URL(path, base).href;
}
