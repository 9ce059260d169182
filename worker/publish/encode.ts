import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The largest output chunk zlib is asked for. */
const LARGEST_CHUNK = 512 * 1024;

/** Bodies smaller than this go out as they are: compression would save less than a packet. */
export const MIN_COMPRESS_BYTES = 512;

export type ContentEncoding = 'identity' | 'gzip' | 'br';

/** One body in every encoding it is offered in, compressed once. */
export interface EncodedBody {
  identity: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
  /** Strong validator of the identity body; encoded variants add a suffix (`"…-gz"`, `"…-br"`). */
  etag: string;
}

export const toBuffer = (body: string | Uint8Array): Buffer =>
  typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

export function etagOf(body: Uint8Array): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** The ETag a given encoding is served with: each representation has its own strong validator. */
export function variantEtag(etag: string, encoding: ContentEncoding): string {
  return encoding === 'identity' ? etag : `${etag.slice(0, -1)}-${encoding === 'gzip' ? 'gz' : 'br'}"`;
}

/**
 * Compresses a body in gzip and brotli off the main thread (zlib's thread pool). Brotli quality 11 is kept for
 * assets that never change; quality 6 is within a few per cent of it on HTML and JSON at a thirtieth of the time.
 * gzip at level 6 (zlib's default) is 2 to 3 % larger than at 9 on these bodies for less than half the CPU, which
 * matters for the few-MB documents of a large page compressed again after every write.
 */
export async function encodeBody(body: string | Uint8Array, options: { brotliQuality?: number; compress?: boolean; etag?: string } = {}): Promise<EncodedBody> {
  const identity = toBuffer(body);
  const etag = options.etag ?? etagOf(identity);
  if (options.compress === false || identity.length < MIN_COMPRESS_BYTES) return { identity, gzip: null, br: null, etag };
  // zlib hands each output chunk to the main thread: a few-MB body in 16 KB chunks costs it tens of milliseconds.
  const chunkSize = Math.min(LARGEST_CHUNK, Math.max(16 * 1024, 2 ** Math.ceil(Math.log2(identity.length / 8))));
  const [gz, br] = await Promise.all([
    gzipAsync(identity, { level: 6, chunkSize }),
    brotliAsync(identity, {
      chunkSize,
      params: { [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 6, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
    }),
  ]);
  // An encoding that does not make the body smaller is not offered.
  return { identity, gzip: gz.length < identity.length ? compact(gz) : null, br: br.length < identity.length ? compact(br) : null, etag };
}

/**
 * zlib hands back a view of its output chunk (16 KB or more): a small body kept for long would hold all of it.
 * Hundreds of badges and feeds are such bodies, so those are copied out, to bytes of their own size (or a slice of
 * Node's shared pool for the smallest).
 */
function compact(bytes: Buffer): Buffer {
  return bytes.buffer.byteLength > Math.max(bytes.length, Buffer.poolSize) ? Buffer.from(bytes) : bytes;
}

/**
 * The encoding to send for an `Accept-Encoding` header: brotli, then gzip, when the client accepts them
 * (a `q=0` refuses), else identity.
 */
export function chooseEncoding(acceptEncoding: string | undefined, body: Pick<EncodedBody, 'gzip' | 'br'>): ContentEncoding {
  if (!acceptEncoding || (!body.br && !body.gzip)) return 'identity';
  let br = false;
  let gz = false;
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName!.trim().toLowerCase();
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip') gz = true;
    else if (name === '*') {
      br = true;
      gz = true;
    }
  }
  if (br && body.br) return 'br';
  if (gz && body.gzip) return 'gzip';
  return 'identity';
}

/** Whether an `If-None-Match` header matches the body's validator, in any of its encodings (weak comparison). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const base = etag.slice(1, -1);
  for (const raw of ifNoneMatch.split(',')) {
    let tag = raw.trim();
    if (tag.startsWith('W/')) tag = tag.slice(2);
    if (!tag.startsWith('"') || !tag.endsWith('"')) continue;
    const value = tag.slice(1, -1);
    if (value === base || value === `${base}-gz` || value === `${base}-br`) return true;
  }
  return false;
}
