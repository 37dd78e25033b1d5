/**
 * GET /v1/statistics (docs/api.md §Statistics): the current release as JSON (default) or, with
 * `?format=csv`, as RFC 4180 CSV. Suppressed cells say only that they are suppressed, not why
 * (hub/statistics/disclosure/render.ts). The JSON metadata says which statements the release covers
 * (`asOf`, `period`, `nextAsOf`); both formats may be cached until the next release.
 */
import { Hono } from 'hono';
import { formatTimestamp } from '../../protocol/common.js';
import { ProtocolError } from '../../protocol/decode.js';
import { toCsv, toPublication } from './disclosure/index.js';
import { acceptsGzip, encodeBody, noneMatch, type EncodedBody } from './release-bodies.js';
import { periodDuration } from './statistics-period.js';
import type { StatisticsRelease, statisticsService } from './statistics.service.js';

/** The public JSON document of a release: the table's metadata plus what the release covers. */
export function releaseDocument(release: StatisticsRelease) {
  const { metadata, rows } = toPublication(release.table);
  const { generatedAt, ...rest } = metadata;
  return {
    metadata: {
      generatedAt,
      /** Statements received before this instant are counted. */
      asOf: formatTimestamp(release.window.cutoff),
      period: periodDuration(release.period),
      /** The cutoff of the next release. */
      nextAsOf: formatTimestamp(release.window.nextCutoff),
      ...rest,
    },
    rows,
  };
}

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

export function statisticsRoutes(
  statistics: ReturnType<typeof statisticsService>,
  now: () => Date,
): Hono {
  // The release's encoded bodies, per cutoff: built once, shared by every response
  // (release-bodies.ts says why a string per response is not good enough).
  let rendered:
    | { table: StatisticsRelease['table']; json?: Promise<EncodedBody>; csv?: Promise<EncodedBody> }
    | undefined;

  const app = new Hono();
  app.get('/', async (c) => {
    const format = parseFormat(c.req.queries());
    const at = now();
    const release = await statistics.release(at);
    if (rendered?.table !== release.table) rendered = { table: release.table };
    const maxAge = Math.max(
      0,
      Math.floor((release.window.replacedAt.getTime() - at.getTime()) / 1000),
    );
    let body: EncodedBody;
    const headers: Record<string, string> = {
      'cache-control': `public, max-age=${maxAge}`,
      vary: 'accept-encoding',
    };
    if (format === 'csv') {
      body = await (rendered.csv ??= encodeBody(toCsv(release.table)));
      const asOf = formatTimestamp(release.window.cutoff).replaceAll(':', '-');
      headers['content-type'] = 'text/csv; charset=utf-8; header=present';
      headers['content-disposition'] = `inline; filename="spx-statistics-${asOf}.csv"`;
    } else {
      body = await (rendered.json ??= new Promise((resolve) => setImmediate(resolve)).then(() =>
        encodeBody(JSON.stringify(releaseDocument(release))),
      ));
      headers['content-type'] = 'application/json';
    }
    const gzipped = acceptsGzip(c.req.header('accept-encoding'));
    headers['etag'] = gzipped ? body.gzipEtag : body.etag;
    if (noneMatch(c.req.header('if-none-match'), body)) return c.body(null, 304, headers);
    if (gzipped) headers['content-encoding'] = 'gzip';
    return c.body(gzipped ? body.gzip : body.identity, 200, headers);
  });
  return app;
}
