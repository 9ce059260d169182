import { loadSiteData, type SiteData } from './api.ts';

type Params = Record<string, string | undefined>;
type StaticPaths<P> = () => Promise<{ params: Params; props: P }[]>;

/** A page's parameters as one string: `{ lang: 'en', id: 'x' }` and `{ id: 'x', lang: 'en' }` are the same page. */
function keyOf(params: Params): string {
  return Object.keys(params)
    .filter((name) => params[name] !== undefined && params[name] !== '')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

/** Every page's props by its parameters, per published state and per kind of page. */
const indexes = new WeakMap<SiteData, Map<StaticPaths<unknown>, Map<string, unknown>>>();

/**
 * The props of the page being rendered. A static build hands each page the props its `getStaticPaths` made; when a
 * page is rendered on request (the worker's site renderer) there are none, so they are looked up from the same
 * `getStaticPaths` by the request's parameters. Undefined: no such page (the caller answers 404).
 */
export async function pageProps<P extends object>(astro: { props: object; params: Params }, paths: StaticPaths<P>): Promise<P | undefined> {
  if (Object.keys(astro.props).length > 0) return astro.props as P;
  const data = await loadSiteData();
  let byKind = indexes.get(data);
  if (!byKind) indexes.set(data, (byKind = new Map()));
  let index = byKind.get(paths as StaticPaths<unknown>) as Map<string, P> | undefined;
  if (!index) {
    index = new Map((await paths()).map(({ params, props }) => [keyOf(params), props]));
    byKind.set(paths as StaticPaths<unknown>, index);
  }
  return index.get(keyOf(astro.params));
}
