import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { prepareRepresentation, type Representation } from '../http/representation.ts';
import { securityHeadersFor, type SecurityHeaderPolicy } from '../lib/security-headers.ts';
import { etagOf, type EncodedBody } from '../publish/encode.ts';
import type { ServedSite } from './served-site.ts';
import { notFoundPrefix } from './not-found-locale.ts';
import { listFiles } from './precompress.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** Pages change with the published state: short-cached, revalidated in the background. */
export const HTML_CACHE_CONTROL = 'public, max-age=15, stale-while-revalidate=60';

/** Hashed build assets never change under their name; pages change with every build. */
export function cacheControlFor(urlPath: string): string {
  if (urlPath.startsWith('/_astro/')) return 'public, max-age=31536000, immutable';
  if (urlPath.endsWith('/') || urlPath.endsWith('.html')) return HTML_CACHE_CONTROL;
  return 'public, max-age=300';
}

interface SiteFile {
  /** Path relative to the build folder. */
  file: string;
  size: number;
  mtime: Date;
  contentType: string;
  hasGzip: boolean;
  hasBrotli: boolean;
  cacheControl: string;
  /** Key of its representation in the memory cache (the file and how it is cached). */
  cacheKey: string;
}

/** How many bytes of file bodies (all encodings) are kept in memory; the rest is read from disk when asked for. */
const CACHE_BYTES = 48 * 1024 * 1024;

/**
 * One finished site build, served the way a CDN would: an index of its files made once, bodies read on first use and
 * kept in memory (least recently used out first), the precompressed `.gz`/`.br` siblings offered by content
 * negotiation, strong ETags and Last-Modified with `304`s.
 */
export class StaticSite implements ServedSite {
  private readonly cache = new Map<string, Representation>();
  private readonly reading = new Map<string, Promise<Representation>>();
  private cachedBytes = 0;

  private constructor(
    readonly dir: string,
    private readonly files: Map<string, SiteFile>,
    /** Locale path prefixes (`en`, `pt-br`…) that have their own 404 page, lower-cased. */
    private readonly notFoundPrefixes: string[],
    private readonly defaultLocale: string,
    private readonly security: SecurityHeaderPolicy,
  ) {}

  /**
   * Indexes a build folder; `defaultLocale` is the language of the pages at the root (no prefix); `security` whether
   * the site is served over https (HSTS).
   */
  static async load(dir: string, defaultLocale = 'es', security: SecurityHeaderPolicy = { hsts: false }): Promise<StaticSite> {
    const names = new Set(await listFiles(dir));
    const files = new Map<string, SiteFile>();
    for (const name of names) {
      if (name.endsWith('.gz') || name.endsWith('.br')) continue;
      const stat = statSync(join(dir, name));
      const entry: SiteFile = {
        file: name,
        size: stat.size,
        mtime: stat.mtime,
        contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        hasGzip: names.has(`${name}.gz`),
        hasBrotli: names.has(`${name}.br`),
        cacheControl: cacheControlFor(`/${name}`),
        cacheKey: `${name} ${cacheControlFor(`/${name}`)}`,
      };
      files.set(`/${name}`, entry);
      if (name === 'index.html' || name.endsWith('/index.html')) {
        const folder = `/${name.slice(0, -'index.html'.length)}`;
        const asFolder = { ...entry, cacheControl: cacheControlFor(folder), cacheKey: `${name} ${cacheControlFor(folder)}` };
        files.set(folder, asFolder);
        if (folder !== '/') files.set(folder.slice(0, -1), asFolder);
      }
    }
    const prefixes = [...names].filter((n) => /^[^/]+\/404\.html$/.test(n)).map((n) => n.split('/')[0]!.toLowerCase());
    return new StaticSite(dir, files, prefixes, defaultLocale.toLowerCase(), security);
  }

  /** The file a URL path names (`/`, `/en/`, `/incidents/x`, `/_astro/a.css`…), or undefined. */
  has(urlPath: string): boolean {
    return this.files.has(urlPath);
  }

  /** The file's representation, from memory or read now. */
  async representation(urlPath: string): Promise<Representation | undefined> {
    const entry = this.files.get(urlPath);
    if (!entry) return undefined;
    return this.representationOf(entry);
  }

  /** Cached representation only (the synchronous fast path); undefined when it must be read first. */
  cached(urlPath: string): Representation | undefined {
    const entry = this.files.get(urlPath);
    const rep = entry && this.cache.get(entry.cacheKey);
    if (rep) this.touch(entry!.cacheKey, rep);
    return rep;
  }

  /**
   * The 404 page for a path in the visitor's language: the locale of the path's prefix (`/en/…`), else the first
   * language of `Accept-Language` that has one, else the default locale's.
   */
  async notFoundPage(urlPath: string, acceptLanguage: string | undefined): Promise<Representation | undefined> {
    const prefix = notFoundPrefix(urlPath, acceptLanguage, this.notFoundPrefixes, this.defaultLocale);
    const page = prefix ? this.files.get(`/${prefix}/404.html`) : undefined;
    const fallback = this.files.get('/404.html');
    const entry = page ?? fallback;
    return entry ? this.representationOf({ ...entry, cacheControl: 'public, max-age=15', cacheKey: `${entry.file} 404` }) : undefined;
  }

  private representationOf(entry: SiteFile): Promise<Representation> {
    const hit = this.cache.get(entry.cacheKey);
    if (hit) {
      this.touch(entry.cacheKey, hit);
      return Promise.resolve(hit);
    }
    // Every request for a file not in memory yet waits for the same read: a large page asked for by 100 connections
    // at once would otherwise be read 100 times, and each copy kept alive until sent.
    let read = this.reading.get(entry.cacheKey);
    if (!read) {
      read = this.read(entry).finally(() => this.reading.delete(entry.cacheKey));
      this.reading.set(entry.cacheKey, read);
    }
    return read;
  }

  private async read(entry: SiteFile): Promise<Representation> {
    const key = entry.cacheKey;
    const path = join(this.dir, entry.file);
    const [identity, gzip, br] = await Promise.all([
      readFile(path),
      entry.hasGzip ? readFile(`${path}.gz`) : null,
      entry.hasBrotli ? readFile(`${path}.br`) : null,
    ]);
    const body: EncodedBody = { identity, gzip, br, etag: etagOf(identity) };
    const rep = prepareRepresentation(body, {
      contentType: entry.contentType,
      cacheControl: entry.cacheControl,
      lastModified: entry.mtime,
      headers: securityHeadersFor(this.security, entry.contentType, identity),
    });
    const size = identity.length + (gzip?.length ?? 0) + (br?.length ?? 0);
    this.cache.set(key, rep);
    this.cachedBytes += size;
    while (this.cachedBytes > CACHE_BYTES && this.cache.size > 1) {
      const [oldestKey, oldest] = this.cache.entries().next().value!;
      this.cache.delete(oldestKey);
      this.cachedBytes -= oldest.body.identity.length + (oldest.body.gzip?.length ?? 0) + (oldest.body.br?.length ?? 0);
    }
    return rep;
  }

  /** Map order is insertion order: re-inserting marks the entry as most recently used. */
  private touch(key: string, rep: Representation): void {
    this.cache.delete(key);
    this.cache.set(key, rep);
  }
}
