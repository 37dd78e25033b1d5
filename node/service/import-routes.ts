/**
 * POST /v1/import/officers and /v1/import/outcomes (node/api/import.ts): a `text/csv` body up to
 * the configured size, `?dryRun=true`, the import run by node/import with its progress streamed
 * to a client that asks (progress-stream.ts); a rejected file is 422 IMPORT_REJECTED listing its
 * issues row by row.
 */
import type { Context, ErrorHandler, Hono } from 'hono';
import { jsonBodyLimit, readRequestBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { Sent } from '../api/index.js';
import type { ImportRejectedSchema, ImportResponseSchema } from '../api/import.js';
import {
  DEFAULT_IMPORT_LIMITS,
  importOfficers,
  importOutcomes,
  type ImportResult,
} from '../import/index.js';
import type { NodeAppDeps } from './app.js';
import { respondWithProgress } from './progress-stream.js';
import { describeRoute, json, named, type RouteDoc } from '../../platform/http/openapi/index.js';
import {
  ImportRejectedSchema as Rejected,
  ImportResponseSchema as Imported,
} from '../api/import.js';
import { ADMIN_ONLY, PROGRESS_CONTENT } from './api-docs.js';

function importDoc(file: 'officers' | 'outcomes'): RouteDoc {
  return {
    summary: `Import the ${file} CSV`,
    description: `The ${file} file of docs/csv-formats.md; all or nothing. \`?dryRun=true\` checks without writing.`,
    tags: ['records'],
    security: ADMIN_ONLY,
    parameters: [
      {
        name: 'dryRun',
        in: 'query',
        description: '`true` or `1`: validate only',
        schema: { type: 'string', enum: ['true', '1', 'false', '0'] },
      },
    ],
    requestBody: {
      content: { 'text/csv': { schema: { type: 'string', description: 'RFC 4180, UTF-8' } } },
    },
    responses: {
      200: {
        description: 'imported (or, dry, importable): the counts',
        content: { ...json(named('ImportResponse', Imported)), ...PROGRESS_CONTENT },
      },
      422: {
        description:
          'the file is refused, nothing written (`IMPORT_REJECTED`): its issues row by row',
        content: { 'application/problem+json': { schema: named('ImportRejected', Rejected) } },
      },
    },
    problems: {
      413: 'the file exceeds the node’s limit (`PAYLOAD_TOO_LARGE`)',
      415: 'the body is not `text/csv` (`UNSUPPORTED_MEDIA_TYPE`)',
    },
  };
}

function flag(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

function importResponse(c: Context, result: ImportResult): Response {
  if (result.ok) return c.json(result satisfies Sent<typeof ImportResponseSchema>);
  const body = {
    ...serviceProblem(422, 'IMPORT_REJECTED', `${result.issueCount} problem(s) in the file`),
    code: 'IMPORT_REJECTED',
    dryRun: result.dryRun,
    issueCount: result.issueCount,
    issues: result.issues,
  } satisfies Sent<typeof ImportRejectedSchema>;
  return problemResponse(body);
}

export function registerImportRoutes(app: Hono, deps: NodeAppDeps, onError: ErrorHandler): void {
  const { db, now, log } = deps;
  const maxCsv = deps.maxCsvBytes ?? DEFAULT_IMPORT_LIMITS.maxFileBytes;
  // The platform's bounded body (platform/http/json-body.ts, for any media type despite its
  // name): a declared length over the limit is refused unread, a chunked body is counted as
  // it arrives and refused past the limit, and a body cut short by a disconnect is never
  // imported as if whole.
  const csvLimit = jsonBodyLimit(maxCsv);
  for (const [path, run, file] of [
    ['/v1/import/officers', importOfficers, 'officers'],
    ['/v1/import/outcomes', importOutcomes, 'outcomes'],
  ] as const) {
    app.post(path, describeRoute(importDoc(file)), csvLimit, async (c) => {
      const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'text/csv') {
        return problemResponse(
          serviceProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be text/csv'),
        );
      }
      const bytes = await readRequestBody(c);
      const dryRun = flag(c.req.query('dryRun'));
      return respondWithProgress(c, onError, async (onProgress) => {
        const limits = { maxFileBytes: maxCsv };
        const result = await run(db, bytes, { now, dryRun, limits, onProgress });
        log('info', 'import', {
          file: path.slice('/v1/import/'.length),
          dryRun,
          ok: result.ok,
          rows: result.ok ? result.summary.rows : null,
          issues: result.ok ? 0 : result.issueCount,
        });
        return importResponse(c, result);
      });
    });
  }
}
