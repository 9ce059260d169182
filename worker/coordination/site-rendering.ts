/**
 * The site's shared rendering (`site_renderings`, one row): the worker holding the `site` lease stores the pages it
 * rendered after a change, with the list of the site's pages, and moves the version; the other workers read the
 * version every second and load the pages when it moved, instead of rendering them themselves.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { siteRenderings } from '../../db/schema/index.ts';

/** The lease whose holder renders the site after a change. */
export const SITE_LEASE = 'site';

export interface SharedPage {
  path: string;
  status: number;
  html: string;
}

export interface SharedRendering {
  version: number;
  holder: string;
  renderedAt: Date;
  /** Every page the site has. */
  paths: string[];
  pages: SharedPage[];
}

const ROW = 1;

/** Stores a rendering in place of the previous one; returns its version (one more than the previous). */
export async function saveSiteRendering(db: DbOrTx, holder: string, now: Date, paths: string[], pages: SharedPage[]): Promise<number> {
  const [row] = await db
    .insert(siteRenderings)
    .values({ id: ROW, version: 1, holder, renderedAt: now, paths: JSON.stringify(paths), pages: JSON.stringify(pages) })
    .onConflictDoUpdate({
      target: siteRenderings.id,
      set: { version: sql`${siteRenderings.version} + 1`, holder, renderedAt: now, paths: JSON.stringify(paths), pages: JSON.stringify(pages) },
    })
    .returning({ version: siteRenderings.version });
  return row?.version ?? 0;
}

/** The version of the stored rendering (0 when none was stored yet): one small read, done every second. */
export async function readSiteRenderingVersion(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ version: siteRenderings.version }).from(siteRenderings).where(eq(siteRenderings.id, ROW));
  return row?.version ?? 0;
}

/** The stored rendering, or null when none was stored yet. */
export async function readSiteRendering(db: DbOrTx): Promise<SharedRendering | null> {
  const [row] = await db.select().from(siteRenderings).where(eq(siteRenderings.id, ROW));
  if (!row) return null;
  return { version: row.version, holder: row.holder, renderedAt: row.renderedAt, paths: JSON.parse(row.paths) as string[], pages: JSON.parse(row.pages) as SharedPage[] };
}
