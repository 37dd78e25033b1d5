/**
 * POST /v1/attestations (docs/api.md §Intake): a reporting agency's batch of signed
 * attestations → one receipt per statement, all or nothing (docs/protocol.md §5.6).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { ProtocolError } from '../../protocol/decode.js';
import { IntakeBatchSchema, IntakeReceiptSchema } from '../../protocol/intake.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { intakeBatchExample, intakeReceiptExample } from '../../protocol/api-examples.js';
import { AGENCY } from '../http/api-docs.js';
import type { intakeService } from './intake.service.js';

const doc = describeRoute({
  summary: 'Intake of a batch of signed attestations',
  description:
    'All or nothing: one receipt per statement, with its inclusion in the transparency log (docs/protocol.md §5.5, §5.6). Limit `SPX_HUB_MAX_INTAKE_BYTES`; at most `SPX_HUB_MAX_BATCH` statements.',
  tags: ['statements'],
  security: { [AGENCY]: ['reporter'] },
  requestBody: {
    content: json(named('IntakeBatch', IntakeBatchSchema), {
      one: { summary: 'one attestation', value: intakeBatchExample },
    }),
  },
  responses: {
    200: {
      description: 'every statement stored (or already held): their receipts',
      content: json(named('IntakeReceipt', IntakeReceiptSchema), {
        accepted: { summary: 'accepted', value: intakeReceiptExample },
      }),
    },
  },
  problems: {
    403: 'a statement’s issuer is not the requesting agency (`ISSUER_MISMATCH`)',
    409: 'a statement conflicts with one held (`CONFLICT`, `SUPERSESSION_INVALID`)',
    422: 'a statement’s signature, header, key or epoch is refused (`SIG_*`, `EPOCH_UNKNOWN`), with the field of the statement',
  },
});

export interface IntakeRoutesDeps {
  readonly intake: ReturnType<typeof intakeService>;
  /** agencyAuth for the reporter role. */
  readonly auth: MiddlewareHandler;
  readonly maxBodyBytes: number;
  /** At most the protocol's 500 (MAX_INTAKE_BATCH); an operator may lower it. */
  readonly maxBatch: number;
  readonly now: () => Date;
}

export function intakeRoutes(deps: IntakeRoutesDeps): Hono {
  const app = new Hono();
  app.post('/', doc, jsonBodyLimit(deps.maxBodyBytes), deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const batch = await readJsonBody(c, IntakeBatchSchema);
    if (batch.attestations.length > deps.maxBatch) {
      throw new ProtocolError('VALIDATION_FAILED', 'batch too large', {
        errors: [
          {
            field: 'attestations',
            code: 'too_many',
            message: `this hub accepts at most ${deps.maxBatch} attestations per batch`,
          },
        ],
      });
    }
    return c.json(await deps.intake.intake(batch.attestations, agency.ori, deps.now()));
  });
  return app;
}
