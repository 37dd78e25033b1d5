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

export function statisticsRoutes(
  statistics: ReturnType<typeof statisticsService>,
  now: () => Date,
): Hono {
  // The release's rendered bodies (a national table is some megabytes of JSON), per cutoff.
  let rendered: { table: StatisticsRelease['table']; json?: string; csv?: string } | undefined;

  const app = new Hono();
  app.get('/', async (c) => {
    const format = c.req.query('format') ?? 'json';
    if (format !== 'json' && format !== 'csv') {
      throw new ProtocolError('VALIDATION_FAILED', 'unknown format', {
        errors: [{ field: 'format', code: 'invalid_value', message: 'format is json or csv' }],
      });
    }
    const at = now();
    const release = await statistics.release(at);
    if (rendered?.table !== release.table) rendered = { table: release.table };
    const maxAge = Math.max(
      0,
      Math.floor((release.window.replacedAt.getTime() - at.getTime()) / 1000),
    );
    const cacheControl = `public, max-age=${maxAge}`;
    if (format === 'csv') {
      rendered.csv ??= toCsv(release.table);
      const asOf = formatTimestamp(release.window.cutoff).replaceAll(':', '-');
      return c.body(rendered.csv, 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `inline; filename="spx-statistics-${asOf}.csv"`,
        'cache-control': cacheControl,
      });
    }
    rendered.json ??= JSON.stringify(releaseDocument(release));
    return c.body(rendered.json, 200, {
      'content-type': 'application/json',
      'cache-control': cacheControl,
    });
  });
  return app;
}
