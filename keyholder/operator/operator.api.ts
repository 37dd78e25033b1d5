/**
 * The keyholder's operator API, served only on its operator socket (operator-socket.ts;
 * docs/keyholder.md, "Operator commands beside a running keyholder") — never on the public
 * port — and its client. Each route runs one operation (operations.ts) in the keyholder's own
 * process, on its database, so an admission or a quota change applies to the next request it
 * serves.
 *
 * | route                         | command                         |
 * | ----------------------------- | ------------------------------- |
 * | GET  /v1/quotas/{ori}         | `quota --ori`                   |
 * | PUT  /v1/quotas/{ori}         | `quota --daily` / `--clear`     |
 * | POST /v1/admissions           | `admit`                         |
 * | POST /v1/revocations          | `revoke`                        |
 * | GET  /v1/admissions           | `admissions`                    |
 * | GET  /v1/admission-events     | `admissions --events`           |
 * | GET  /v1/keys                 | `keys`, `keyset`                |
 * | POST /v1/retirements          | `retire`                        |
 *
 * Requests are checked as the CLI checks its flags (an ORI, a kid, a bounded note, an allowance
 * in range): the socket is only the operator's, but what it is sent is outside input all the
 * same. The one refusal of an operation, `retire`'s EPOCH_UNKNOWN, comes back as problem+json
 * with its code, message and field, and the client rebuilds the same KeyholderError (revoking
 * nothing is the CLI's own NOT_FOUND); any other failure reaches the CLI as KeyholderError
 * OPERATOR_CHANNEL_FAILED.
 */
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { z } from 'zod';
import { problemErrorHandler, problemNotFound } from '../../platform/http/error-handler.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { logEvent, type LogSink } from '../../platform/logging/json-lines.js';
import { KidSchema } from '../../protocol/agency-key.js';
import { OriSchema } from '../../protocol/common.js';
import { decodeMessage } from '../../protocol/decode.js';
import { MAX_DAILY_QUOTA } from '../config.js';
import { MAX_EPOCH } from '../../protocol/common.js';
import { serviceProblem, type ProblemBody } from '../../platform/http/problem-response.js';
import { isKeyholderError, KeyholderError, type KeyholderErrorCode } from '../errors.js';
import type { KeyholderOperations } from './operations.js';

/** `--note`'s bound (admissions.cli.ts). */
export const MAX_NOTE_CHARS = 200;
/** Far above any request here (an admission is under 1 KB). */
export const MAX_OPERATOR_BODY_BYTES = 16 * 1024;

export const NoteSchema = z
  .string()
  .max(MAX_NOTE_CHARS)
  .regex(/^\P{Cc}*$/u)
  .nullable();

const OriParamSchema = z.strictObject({ ori: OriSchema });
const QuotaBodySchema = z.strictObject({
  /** null: back to the default allowance. */
  daily: z.number().int().min(0).max(MAX_DAILY_QUOTA).nullable(),
});
const AdmitBodySchema = z.strictObject({ ori: OriSchema, kid: KidSchema, note: NoteSchema });
const RevokeBodySchema = z.strictObject({
  ori: OriSchema,
  kid: KidSchema.optional(),
  note: NoteSchema,
});

const RetireBodySchema = z.strictObject({ epoch: z.number().int().min(1).max(MAX_EPOCH) });

/** The KeyholderErrors an operation refuses with, and their statuses. */
const REFUSAL_STATUS: Readonly<Partial<Record<KeyholderErrorCode, number>>> = {
  EPOCH_UNKNOWN: 404,
};

function refusal(e: unknown): ProblemBody | undefined {
  const status = isKeyholderError(e) ? REFUSAL_STATUS[e.code] : undefined;
  if (!isKeyholderError(e) || status === undefined) return undefined;
  return {
    ...serviceProblem(status, e.code, e.message),
    ...(e.field === undefined ? {} : { field: e.field }),
  } as ProblemBody;
}

const isoDate = z.iso.datetime().transform((t) => new Date(t));

export const QuotaResponseSchema = z.strictObject({
  ori: z.string(),
  day: z.string(),
  used: z.number().int(),
  allowance: z.number().int().nullable(),
  defaultDaily: z.number().int(),
});
const AdmitResponseSchema = z.strictObject({ admitted: z.boolean() });
const RevokeResponseSchema = z.strictObject({ revoked: z.array(z.string()) });
const AdmissionsResponseSchema = z.strictObject({
  admissions: z.array(
    z.strictObject({
      ori: z.string(),
      kid: z.string(),
      admittedAt: isoDate,
      revokedAt: isoDate.nullable(),
      note: z.string().nullable(),
    }),
  ),
});
const EventsResponseSchema = z.strictObject({
  events: z.array(
    z.strictObject({
      seq: z.number().int(),
      at: isoDate,
      action: z.enum(['admit', 'revoke']),
      ori: z.string(),
      kid: z.string(),
      note: z.string().nullable(),
    }),
  ),
});
const KeyRecordSchema = z.strictObject({
  epoch: z.number().int(),
  shareIndex: z.number().int(),
  threshold: z.number().int(),
  total: z.number().int(),
  publicKey: z.string(),
  groupPublicKey: z.string(),
  publicShares: z.array(z.string()),
  status: z.enum(['active', 'retired']),
  protection: z.enum(['none', 'aes-256-gcm']),
  createdAt: isoDate,
  retiredAt: isoDate.nullable(),
});
const KeysResponseSchema = z.strictObject({ keys: z.array(KeyRecordSchema) });
const RetireResponseSchema = z.strictObject({ record: KeyRecordSchema, changed: z.boolean() });

export interface OperatorAppDeps {
  readonly operations: KeyholderOperations;
  readonly log: LogSink;
  readonly now: () => Date;
}

export function createOperatorApp(deps: OperatorAppDeps): Hono {
  const { operations: ops, log, now } = deps;
  const app = new Hono();
  // One line per command: route pattern and status, never an ORI or a note.
  app.use('*', async (c, next) => {
    const started = now();
    await next();
    logEvent(log, started, c.res.status >= 500 ? 'error' : 'info', 'operator_request', {
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      durationMs: now().getTime() - started.getTime(),
    });
  });
  app.onError(
    problemErrorHandler({
      mapError: refusal,
      report: (e) =>
        logEvent(log, now(), 'error', 'operator_request_failed', {
          error: e instanceof Error ? e.name : typeof e,
        }),
    }),
  );
  app.notFound(problemNotFound);
  app.use('*', jsonBodyLimit(MAX_OPERATOR_BODY_BYTES));

  app.get('/v1/quotas/:ori', async (c) => {
    const { ori } = decodeMessage(OriParamSchema, { ori: c.req.param('ori') });
    return c.json(await ops.quota(ori, undefined));
  });
  app.put('/v1/quotas/:ori', async (c) => {
    const { ori } = decodeMessage(OriParamSchema, { ori: c.req.param('ori') });
    const { daily } = await readJsonBody(c, QuotaBodySchema);
    return c.json(await ops.quota(ori, daily === null ? { clear: true } : { daily }));
  });
  app.post('/v1/admissions', async (c) => {
    const { ori, kid, note } = await readJsonBody(c, AdmitBodySchema);
    return c.json({ admitted: await ops.admit(ori, kid, note) });
  });
  app.post('/v1/revocations', async (c) => {
    const { ori, kid, note } = await readJsonBody(c, RevokeBodySchema);
    return c.json({ revoked: await ops.revoke(ori, kid, note) });
  });
  app.get('/v1/admissions', async (c) => c.json({ admissions: await ops.admissions() }));
  app.get('/v1/admission-events', async (c) => c.json({ events: await ops.admissionEvents() }));
  app.get('/v1/keys', async (c) => c.json({ keys: await ops.listKeys() }));
  app.post('/v1/retirements', async (c) => {
    const { epoch } = await readJsonBody(c, RetireBodySchema);
    return c.json(await ops.retire(epoch));
  });
  return app;
}

export type OperatorFetch = (request: Request) => Promise<Response>;

/** The URL's host is never looked at by the socket; it names what answers, for messages. */
const BASE = 'http://keyholder-operator';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ProblemSchema = z.object({
  code: z.string(),
  detail: z.string().optional(),
  field: z.string().optional(),
});

/**
 * KeyholderOperations sent to the running keyholder through any fetch: `socketFetch(path)` in
 * the CLI, an app's `request` in tests. Transport failures are the socket's PlatformErrors
 * (platform/operator-socket); any answer this client cannot use is KeyholderError
 * OPERATOR_CHANNEL_FAILED.
 */
export function operatorClient(fetch: OperatorFetch): KeyholderOperations {
  async function call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.output<S>> {
    const response = await fetch(
      new Request(`${BASE}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      }),
    );
    const json = parseJson(await response.text());
    const route = `${method} ${path.replace(/\/v1\/quotas\/[^/]+$/, '/v1/quotas/{ori}')}`;
    if (!response.ok) {
      const problem = ProblemSchema.safeParse(json);
      if (problem.success && Object.hasOwn(REFUSAL_STATUS, problem.data.code)) {
        const { code, detail, field } = problem.data;
        throw new KeyholderError(code as KeyholderErrorCode, detail ?? code, {
          ...(field === undefined ? {} : { field }),
        });
      }
      const code = problem.success ? problem.data.code : `HTTP ${response.status}`;
      throw new KeyholderError(
        'OPERATOR_CHANNEL_FAILED',
        response.status >= 500
          ? `the running keyholder failed to carry out ${route} (${code}; its log has an operator_request_failed line)`
          : `the running keyholder refused ${route} with ${code}: ${problem.data?.detail ?? response.statusText} (a keyholder of another version?)`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new KeyholderError(
        'OPERATOR_CHANNEL_FAILED',
        `the running keyholder's answer to ${route} is not what this CLI reads (a keyholder of another version?)`,
      );
    }
    return parsed.data;
  }
  const quotaPath = (ori: string) => `/v1/quotas/${encodeURIComponent(ori)}`;
  return {
    quota: (ori, change) =>
      change === undefined
        ? call(QuotaResponseSchema, 'GET', quotaPath(ori))
        : call(QuotaResponseSchema, 'PUT', quotaPath(ori), {
            daily: 'daily' in change ? change.daily : null,
          }),
    admit: async (ori, kid, note) =>
      (await call(AdmitResponseSchema, 'POST', '/v1/admissions', { ori, kid, note })).admitted,
    revoke: async (ori, kid, note) =>
      (
        await call(RevokeResponseSchema, 'POST', '/v1/revocations', {
          ori,
          ...(kid === undefined ? {} : { kid }),
          note,
        })
      ).revoked,
    admissions: async () =>
      (await call(AdmissionsResponseSchema, 'GET', '/v1/admissions')).admissions,
    admissionEvents: async () =>
      (await call(EventsResponseSchema, 'GET', '/v1/admission-events')).events,
    listKeys: async () => (await call(KeysResponseSchema, 'GET', '/v1/keys')).keys,
    retire: (epoch) => call(RetireResponseSchema, 'POST', '/v1/retirements', { epoch }),
  };
}
