/**
 * The transparency log's HTTP routes under /v1/log (docs/api.md, "Transparency log"). Reading
 * is public — an outside auditor needs nothing but these; submitting a cosignature takes an
 * agency with the witness role.
 *
 *   GET  /checkpoint                 latest signed checkpoint with its cosignatures (text/plain)
 *   GET  /checkpoints/{size}         the checkpoint issued at that size
 *   GET  /proof/inclusion            ?index=I&size=N | ?leafHash=H&size=N
 *   GET  /proof/consistency          ?from=M&to=N
 *   GET  /entries                    ?start=S&end=E (at most 1000)
 *   POST /cosignatures               { size, cosignature } (role witness)
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { toBase64url } from '../../crypto/encoding.js';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { protocolProblem } from '../../platform/http/problem-response.js';
import { ProtocolError } from '../../protocol/decode.js';
import {
  CosignatureSubmissionSchema,
  type ConsistencyProofResponse,
  type InclusionProofResponse,
  type LogEntriesResponse,
  ConsistencyProofResponseSchema,
  InclusionProofResponseSchema,
  LogEntriesResponseSchema,
} from '../../protocol/tlog.js';
import type { cosignatureService } from './cosignatures.js';
import {
  parseConsistencyQuery,
  parseEntriesQuery,
  parseInclusionQuery,
  parseSizeParam,
} from './tlog-query.js';
import { readHead, type StoredCheckpoint } from './tlog.repository.js';
import type { TransparencyLog } from './tlog.service.js';
import { consistencyProof, inclusionProof } from './proofs.js';
import {
  describeRoute,
  json,
  named,
  type ParameterDoc,
  type RouteDoc,
} from '../../platform/http/openapi/index.js';
import { CosignatureReceiptSchema } from '../../protocol/service-resources.js';
import { AGENCY } from '../http/api-docs.js';

const tags = ['transparency log'];
const BAD_QUERY =
  'a parameter is missing, unknown, repeated, not a decimal integer or beyond the log’s size (`VALIDATION_FAILED`, naming it)';

function integer(name: string, description: string, required = true): ParameterDoc {
  return {
    name,
    in: 'query',
    required,
    description,
    schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  };
}

const checkpointAnswer: RouteDoc['responses'] = {
  200: {
    description:
      'a C2SP tlog-checkpoint signed as a C2SP signed note by the hub, followed by the witness cosignature lines received for its size (docs/transparency.md)',
    content: { 'text/plain; charset=utf-8': { schema: { type: 'string' } } },
  },
};

const latestDoc = describeRoute({
  summary: 'The log’s latest signed checkpoint',
  tags,
  responses: checkpointAnswer,
  problems: { 404: 'no checkpoint issued yet (`NOT_FOUND`)' },
});
const atSizeDoc = describeRoute({
  summary: 'The checkpoint issued at a size',
  tags,
  parameters: [
    {
      name: 'size',
      in: 'path',
      description: 'a decimal integer',
      schema: { type: 'integer', minimum: 0 },
    },
  ],
  responses: checkpointAnswer,
  problems: {
    400: '`size` is not a decimal integer (`VALIDATION_FAILED`)',
    404: 'none was issued at that size (`NOT_FOUND`)',
  },
});
const inclusionDoc = describeRoute({
  summary: 'An inclusion proof, by leaf index or leaf hash',
  description:
    'Give `index` or `leafHash`, not both. The proof is RFC 9162 §2.1.3’s audit path, deepest first.',
  tags,
  parameters: [
    integer('index', 'the leaf’s index, below `size`', false),
    {
      name: 'leafHash',
      in: 'query',
      description: 'the leaf hash, unpadded base64url: the first leaf below `size` with it',
      schema: { type: 'string', minLength: 43, maxLength: 43 },
    },
    integer('size', 'the tree size, at most the current one'),
  ],
  responses: {
    200: {
      description: 'the proof',
      content: json(named('InclusionProofResponse', InclusionProofResponseSchema)),
    },
  },
  problems: { 400: BAD_QUERY, 404: 'no leaf with this hash below `size` (`NOT_FOUND`)' },
});
const consistencyDoc = describeRoute({
  summary: 'A consistency proof between two sizes',
  description: 'RFC 9162 §2.1.4’s proof, 1 ≤ from ≤ to ≤ the current size; empty when from = to.',
  tags,
  parameters: [integer('from', 'the older size, at least 1'), integer('to', 'the newer size')],
  responses: {
    200: {
      description: 'the proof',
      content: json(named('ConsistencyProofResponse', ConsistencyProofResponseSchema)),
    },
  },
  problems: { 400: BAD_QUERY },
});
const entriesDoc = describeRoute({
  summary: 'Log entries by index range',
  description:
    'Entries `start` to `end` − 1, at most 1000; each the canonical JSON text whose leaf hash is the leaf.',
  tags,
  parameters: [integer('start', 'the first index'), integer('end', 'one past the last index')],
  responses: {
    200: {
      description: 'the entries',
      content: json(named('LogEntriesResponse', LogEntriesResponseSchema)),
    },
  },
  problems: { 400: BAD_QUERY },
});
const cosignatureDoc = describeRoute({
  summary: 'A witness’s cosignature of a checkpoint',
  description:
    'One C2SP tlog-cosignature line by the agency’s active key under the key name `spx-witness/<ORI>`, over the checkpoint issued at `size`. Resubmitting is harmless.',
  tags,
  security: { [AGENCY]: ['witness'] },
  requestBody: {
    content: json(named('CosignatureSubmission', CosignatureSubmissionSchema)),
  },
  responses: {
    200: {
      description: 'what the hub now holds for this witness and size',
      content: json(named('CosignatureReceipt', CosignatureReceiptSchema)),
    },
  },
  problems: {
    404: 'no checkpoint was issued at `size` (`NOT_FOUND`)',
    422: 'not one signature line (`SIG_MALFORMED`), another key (`SIG_UNKNOWN_KEY`), or it does not verify (`SIG_BAD_SIGNATURE`)',
  },
});

export interface LogRoutesDeps {
  readonly log: TransparencyLog;
  readonly cosignatures: ReturnType<typeof cosignatureService>;
  /** agencyAuth for the witness role. */
  readonly witnessAuth: MiddlewareHandler;
  readonly now: () => Date;
}

/** A cosignature submission is a few hundred bytes. */
const MAX_COSIGNATURE_BODY_BYTES = 4096;

export function logRoutes(deps: LogRoutesDeps): Hono {
  const { log } = deps;
  const repo = log.repo;
  const app = new Hono();

  const note = async (checkpoint: StoredCheckpoint | undefined, what: string) => {
    if (checkpoint === undefined) return protocolProblem('NOT_FOUND', `no checkpoint ${what}`);
    return new Response(await log.served(checkpoint), {
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  };

  app.get('/checkpoint', latestDoc, async () => note(await repo.latestCheckpoint(), 'issued yet'));

  app.get('/checkpoints/:size', atSizeDoc, async (c) => {
    const size = parseSizeParam(c.req.param('size'));
    return note(await repo.checkpointAt(size), `of size ${size}`);
  });

  app.get('/proof/inclusion', inclusionDoc, async (c) => {
    const head = await readHead(log.db);
    const q = parseInclusionQuery(c.req.queries(), head.size);
    const index = q.by === 'index' ? q.index : await repo.indexOfLeaf(q.leafHash, q.size);
    if (index === undefined) {
      throw new ProtocolError('NOT_FOUND', 'no leaf with this hash in the tree', {
        errors: [{ field: 'leafHash', code: 'invalid_value', message: 'not a leaf of this tree' }],
      });
    }
    const leafHash = await repo.leafHashAt(index);
    if (leafHash === undefined) throw new Error(`log entry ${index} is missing`);
    const proof = await inclusionProof(log.db, index, q.size);
    const body: InclusionProofResponse = {
      index,
      size: q.size,
      leafHash: toBase64url(leafHash),
      proof: proof.map(toBase64url),
    };
    return c.json(body);
  });

  app.get('/proof/consistency', consistencyDoc, async (c) => {
    const head = await readHead(log.db);
    const { from, to } = parseConsistencyQuery(c.req.queries(), head.size);
    const proof = await consistencyProof(log.db, from, to);
    const body: ConsistencyProofResponse = { from, to, proof: proof.map(toBase64url) };
    return c.json(body);
  });

  app.get('/entries', entriesDoc, async (c) => {
    const head = await readHead(log.db);
    const { start, end } = parseEntriesQuery(c.req.queries(), head.size);
    const body: LogEntriesResponse = { start, entries: await repo.entries(start, end) };
    return c.json(body);
  });

  app.post(
    '/cosignatures',
    cosignatureDoc,
    jsonBodyLimit(MAX_COSIGNATURE_BODY_BYTES),
    deps.witnessAuth,
    async (c) => {
      const agency = authenticatedAgency(c);
      const submission = await readJsonBody(c, CosignatureSubmissionSchema);
      return c.json(await deps.cosignatures.submit(agency, submission, deps.now()));
    },
  );

  return app;
}
