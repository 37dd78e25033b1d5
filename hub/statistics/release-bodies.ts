/**
 * The encoded bodies of one statistics release, built once and shared by every response.
 *
 * A national release is megabytes of JSON. Handing the HTTP layer a string makes Node encode a
 * fresh copy for every response, and each copy lives until its (possibly never-reading) client
 * has taken it: 300 idle clients once pushed the hub from 465 MB to 2.9 GB. A `Uint8Array` is
 * written by reference, so every response to a release shares the same bytes; the gzip encoding
 * is made once too (a tenth of the size, so slow clients hold less), and the strong ETag lets a
 * returning client revalidate without a body at all (RFC 9110 §8.8.3, §13.1.2).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** One representation: identity bytes, their gzip encoding, and an entity tag for each. */
export interface EncodedBody {
  readonly identity: Uint8Array<ArrayBuffer>;
  readonly gzip: Uint8Array<ArrayBuffer>;
  /** Strong entity tag of the identity bytes, quoted. */
  readonly etag: string;
  /** Strong entity tag of the gzip bytes (a different representation, so a different tag). */
  readonly gzipEtag: string;
}

/** Encodes a body once: utf-8 bytes, gzip (level 6), and a SHA-256-based entity tag. */
export async function encodeBody(text: string): Promise<EncodedBody> {
  const identity = new TextEncoder().encode(text);
  // Encoding and hashing a national release are each some milliseconds: not in one turn.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const tag = createHash('sha256').update(identity).digest('base64url').slice(0, 32);
  const compressed = await gzipAsync(identity, { level: 6 });
  return {
    identity,
    // A copy into an exact ArrayBuffer: zlib's Buffer may be a view of a larger pooled one.
    gzip: new Uint8Array(compressed),
    etag: `"${tag}"`,
    gzipEtag: `"${tag}-gz"`,
  };
}

/**
 * Whether the client's `Accept-Encoding` admits gzip (RFC 9110 §12.5.3): listed (or `*`) with a
 * non-zero quality. Anything unparsable counts as not accepted: the identity body is always safe.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let gzipQ: number | undefined;
  let starQ: number | undefined;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    let q = 1;
    for (const param of params) {
      const [name, value] = param.trim().split('=');
      if (name === 'q') q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value ?? '') ? Number(value) : 0;
    }
    if (coding.trim() === 'gzip' || coding.trim() === 'x-gzip') gzipQ = q;
    else if (coding.trim() === '*') starQ = q;
  }
  return (gzipQ ?? starQ ?? 0) > 0;
}

/**
 * Whether `If-None-Match` matches either representation's tag (weak comparison, as §13.1.2
 * requires for this header), so the answer may be 304 Not Modified.
 */
export function noneMatch(header: string | undefined, body: EncodedBody): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const tags = new Set([body.etag, body.gzipEtag]);
  return header.split(',').some((t) => tags.has(t.trim().replace(/^W\//, '')));
}
