import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, encodeBody, noneMatch } from './release-bodies.js';

describe('encodeBody', () => {
  it('encodes once: utf-8 bytes, their gzip, and a tag per representation', async () => {
    const body = await encodeBody('{"état":"déjà"}'.repeat(100));
    expect(new TextDecoder().decode(body.identity)).toBe('{"état":"déjà"}'.repeat(100));
    expect(gunzipSync(body.gzip).equals(Buffer.from(body.identity))).toBe(true);
    expect(body.gzip.byteOffset).toBe(0);
    expect(body.gzip.buffer.byteLength).toBe(body.gzip.byteLength);
    expect(body.gzipEtag).not.toBe(body.etag);
    expect((await encodeBody('{}')).etag).not.toBe(body.etag);
    expect((await encodeBody('{"état":"déjà"}'.repeat(100))).etag).toBe(body.etag);
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['GZIP', true],
    ['deflate, gzip;q=0.5', true],
    ['x-gzip', true],
    ['*', true],
    ['br, *;q=0.1', true],
    [undefined, false],
    ['', false],
    ['identity', false],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['gzip;q=2', false],
    ['gzip;q=abc', false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('noneMatch', () => {
  it('matches either tag, weakly, in a list, or *; nothing else', async () => {
    const body = await encodeBody('x');
    expect(noneMatch(body.etag, body)).toBe(true);
    expect(noneMatch(`W/${body.gzipEtag}`, body)).toBe(true);
    expect(noneMatch(`"a", ${body.etag}`, body)).toBe(true);
    expect(noneMatch('*', body)).toBe(true);
    expect(noneMatch(undefined, body)).toBe(false);
    expect(noneMatch('"a"', body)).toBe(false);
    expect(noneMatch(body.etag.slice(1, -1), body)).toBe(false);
  });
});
