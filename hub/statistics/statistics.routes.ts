/**
 * GET /v1/statistics (docs/api.md §Statistics): the current release as JSON (default) or, with
 * `?format=csv`, as RFC 4180 CSV. Suppressed cells say only that they are suppressed, not why
 * (hub/statistics/disclosure/render.ts). The JSON metadata says which statements the release covers
 * (`asOf`, `period`, `nextAsOf`); both formats may be cached until the next release.
 */
import { Hono } from 'hono';
import { formatTimestamp } from '../../protocol/common.js';
import { ProtocolError } from '../../protocol/decode.js';
import { statementMediaType } from '../../protocol/statement-types.js';
import { acceptsGzip, noneMatch, type EncodedBody } from './release-bodies.js';
import type { statisticsService, StatisticsRelease } from './statistics.service.js';
import { describeRoute } from '../../platform/http/openapi/index.js';

const tags = ['statistics'];
const cached = {
  'cache-control': { description: 'public, until the next release' },
  'spx-release-version': { description: 'the release’s number' },
  etag: { description: 'of the body as sent (identity or gzip)' },
};

const tableDoc = describeRoute({
  summary: 'The public statistics table, as JSON or CSV',
  description:
    'The current release (docs/statistics.md “Output”): suppressed cells say only that they are suppressed. Sent gzipped to a client that accepts it; `If-None-Match` answers 304.',
  tags,
  parameters: [
    {
      name: 'format',
      in: 'query',
      description: '`json` (default) or `csv`; no other parameter',
      schema: { type: 'string', enum: ['json', 'csv'] },
    },
  ],
  responses: {
    200: {
      description: 'the release',
      headers: cached,
      content: {
        'application/json': {
          schema: { type: 'object', description: 'the release table (docs/statistics.md)' },
        },
        'text/csv; charset=utf-8; header=present': { schema: { type: 'string' } },
      },
    },
    304: { description: 'not modified since the `ETag` given in `If-None-Match`' },
  },
  problems: { 400: 'an unknown or repeated parameter, or another format (`VALIDATION_FAILED`)' },
});

const manifestDoc = describeRoute({
  summary: 'The hub’s signed manifest of the current release',
  description:
    'A compact JWS (docs/protocol.md §5.17): the release’s number, cutoff, coverage, tier, log index and the SHA-256 of its JSON and CSV bodies; verify it with GET /v1/hub/keys.',
  tags,
  responses: {
    200: {
      description: 'the manifest',
      headers: {
        'cache-control': cached['cache-control'],
        'spx-release-version': cached['spx-release-version'],
      },
      content: {
        [statementMediaType('statisticsRelease')]: {
          schema: { type: 'string', description: 'a compact JWS' },
        },
      },
    },
  },
  problems: { 400: 'any query parameter (`VALIDATION_FAILED`)' },
});

/** The query parameters the route knows; anything else is refused rather than ignored. */
const QUERY_PARAMETERS = new Set(['format']);

function parseFormat(queries: Record<string, string[]>): 'json' | 'csv' {
  for (const [name, values] of Object.entries(queries)) {
    if (!QUERY_PARAMETERS.has(name)) {
      throw new ProtocolError('VALIDATION_FAILED', 'unknown query parameter', {
        errors: [
          {
            field: name.slice(0, 64),
            code: 'unknown_field',
            message: 'the only parameter is format',
          },
        ],
      });
    }
    if (values.length > 1) {
      throw new ProtocolError('VALIDATION_FAILED', 'repeated query parameter', {
        errors: [{ field: name, code: 'duplicate', message: `${name} may be given once` }],
      });
    }
  }
  const format = queries['format']?.[0] ?? 'json';
  if (format !== 'json' && format !== 'csv') {
    throw new ProtocolError('VALIDATION_FAILED', 'unknown format', {
      errors: [{ field: 'format', code: 'invalid_value', message: 'format is json or csv' }],
    });
  }
  return format;
}

/**
 * One body of a release as served: the bytes encoded once per release (release-bodies.ts), so
 * the CSV here and at GET /statistics.csv are the very bytes whose digest the manifest signs;
 * cacheable until the next release, with a strong ETag per representation.
 */
export function releaseBodyResponse(
  request: Request,
  release: StatisticsRelease,
  format: 'json' | 'csv',
  at: Date,
  disposition: 'inline' | 'attachment',
): Response {
  const maxAge = Math.max(
    0,
    Math.floor((release.window.replacedAt.getTime() - at.getTime()) / 1000),
  );
  const headers: Record<string, string> = {
    'cache-control': `public, max-age=${maxAge}`,
    vary: 'accept-encoding',
    // The release's number: its signed manifest is GET /v1/statistics/manifest.
    'spx-release-version': String(release.facts.version),
  };
  let body: EncodedBody;
  if (format === 'csv') {
    body = release.csv;
    headers['content-type'] = 'text/csv; charset=utf-8; header=present';
    headers['content-disposition'] = `${disposition}; filename="${releaseCsvName(release)}"`;
  } else {
    body = release.json;
    headers['content-type'] = 'application/json';
  }
  const gzipped = acceptsGzip(request.headers.get('accept-encoding') ?? undefined);
  headers['etag'] = gzipped ? body.gzipEtag : body.etag;
  if (noneMatch(request.headers.get('if-none-match') ?? undefined, body)) {
    return new Response(null, { status: 304, headers });
  }
  if (gzipped) headers['content-encoding'] = 'gzip';
  return new Response(gzipped ? body.gzip : body.identity, { status: 200, headers });
}

/** The file name a release's CSV is offered under: its cutoff, with dashes for colons. */
export function releaseCsvName(release: StatisticsRelease): string {
  return `spx-statistics-${formatTimestamp(release.window.cutoff).replaceAll(':', '-')}.csv`;
}

export function statisticsRoutes(
  statistics: ReturnType<typeof statisticsService>,
  now: () => Date,
): Hono {
  const app = new Hono();
  app.get('/', tableDoc, async (c) => {
    const format = parseFormat(c.req.queries());
    const at = now();
    return releaseBodyResponse(c.req.raw, await statistics.release(at), format, at, 'inline');
  });
  // The hub's signed manifest of the current release (docs/protocol.md §5.17): its number,
  // cutoff, coverage, tier, log index, and the SHA-256 of the JSON and CSV bodies.
  app.get('/manifest', manifestDoc, async (c) => {
    const [unknown] = Object.keys(c.req.queries());
    if (unknown !== undefined) {
      throw new ProtocolError('VALIDATION_FAILED', 'unknown query parameter', {
        errors: [
          { field: unknown.slice(0, 64), code: 'unknown_field', message: 'no parameters here' },
        ],
      });
    }
    const at = now();
    const release = await statistics.release(at);
    const maxAge = Math.max(
      0,
      Math.floor((release.window.replacedAt.getTime() - at.getTime()) / 1000),
    );
    return c.body(release.manifest, 200, {
      'content-type': statementMediaType('statisticsRelease'),
      'cache-control': `public, max-age=${maxAge}`,
      'spx-release-version': String(release.facts.version),
    });
  });
  return app;
}
