/**
 * POST /v1/attestations (docs/api.md §Intake): a reporting agency's batch of signed
 * attestations → one receipt per statement, all or nothing (docs/protocol.md §5.6).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { ProtocolError } from '../../protocol/decode.js';
import { IntakeBatchSchema } from '../../protocol/intake.js';
import type { intakeService } from './intake.service.js';

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
  app.post('/', jsonBodyLimit(deps.maxBodyBytes), deps.auth, async (c) => {
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
