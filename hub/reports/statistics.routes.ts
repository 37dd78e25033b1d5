/**
 * GET /v1/statistics (docs/api.md §Statistics): the public table as JSON (default) or, with
 * `?format=csv`, as RFC 4180 CSV. Suppressed cells say only that they are suppressed, not why
 * (hub/statistics/render.ts).
 */
import { Hono } from 'hono';
import { ProtocolError } from '../../protocol/decode.js';
import { toCsv, toPublication } from '../statistics/index.js';
import type { statisticsService } from './statistics.service.js';

export function statisticsRoutes(
  statistics: ReturnType<typeof statisticsService>,
  now: () => Date,
): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const format = c.req.query('format') ?? 'json';
    if (format !== 'json' && format !== 'csv') {
      throw new ProtocolError('VALIDATION_FAILED', 'unknown format', [
        { field: 'format', code: 'invalid_value', message: 'format is json or csv' },
      ]);
    }
    const table = await statistics.table(now());
    if (format === 'csv') {
      return c.body(toCsv(table), 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': 'inline; filename="spx-statistics.csv"',
      });
    }
    return c.json(toPublication(table));
  });
  return app;
}
