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

  app.get('/checkpoint', async () => note(await repo.latestCheckpoint(), 'issued yet'));

  app.get('/checkpoints/:size', async (c) => {
    const size = parseSizeParam(c.req.param('size'));
    return note(await repo.checkpointAt(size), `of size ${size}`);
  });

  app.get('/proof/inclusion', async (c) => {
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

  app.get('/proof/consistency', async (c) => {
    const head = await readHead(log.db);
    const { from, to } = parseConsistencyQuery(c.req.queries(), head.size);
    const proof = await consistencyProof(log.db, from, to);
    const body: ConsistencyProofResponse = { from, to, proof: proof.map(toBase64url) };
    return c.json(body);
  });

  app.get('/entries', async (c) => {
    const head = await readHead(log.db);
    const { start, end } = parseEntriesQuery(c.req.queries(), head.size);
    const body: LogEntriesResponse = { start, entries: await repo.entries(start, end) };
    return c.json(body);
  });

  app.post(
    '/cosignatures',
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
