/**
 * The messages of the hub's operator socket (docs/hub.md, "Operator commands beside a running
 * hub"), shared by its routes (operator.routes.ts) and its client (operator.client.ts), as the
 * node's local API shares node/api.
 *
 * Requests are checked for shape only: the registry's own rules (docs/protocol.md §5.3, §6.1)
 * and expungement's run in the hub, in the same code as without the socket, so that every
 * refusal reads the same. The body limit bounds them.
 */
import { z } from 'zod';
import { StatementIdSchema } from '../../protocol/common.js';
import { CHECK_PURPOSES } from '../../protocol/check-request.js';
import { AGENCY_STATUSES, RegistryEntrySchema } from '../../protocol/registry-entry.js';
import type { HubErrorCode } from '../errors.js';
import { MAX_AUDIT_LIMIT } from './operations.js';
import { PeriodSchema } from '../../protocol/certification.js';
import { CERTIFICATION_STANDINGS } from '../certifications/certification-status.js';
import { IsoDateSchema } from '../../protocol/common.js';
import { CREDENTIAL_STANDINGS } from '../../protocol/credential-standing.js';
import { BODY_STATUSES, CredentialingBodySchema } from '../../protocol/credentialing-body.js';

/** The most periods one `spx hub certifications` asks about. */
export const MAX_STATUS_PERIODS = 16;

/** Far above any enrollment (a registry entry is under 2 KB). */
export const MAX_OPERATOR_BODY_BYTES = 64 * 1024;

/** POST /v1/agencies: `spx hub enroll`'s flags, as EnrollmentInput. */
export const EnrollBodySchema = z.strictObject({
  ori: z.string(),
  name: z.string(),
  jurisdiction: z.string(),
  state: z.string().nullable(),
  roles: z.array(z.string()),
  jwk: z.unknown(),
  contact: z.strictObject({ name: z.string(), email: z.string(), phone: z.string() }),
});

/** PUT /v1/agencies/{ori}/status: suspend or reinstate. */
export const StatusBodySchema = z.strictObject({ status: z.enum(AGENCY_STATUSES) });

/** POST /v1/agencies/{ori}/keys: rotate to this public JWK. */
export const RotateKeyBodySchema = z.strictObject({ jwk: z.unknown() });

/** GET /v1/audit?ori=&limit= */
export const AuditQuerySchema = z.strictObject({
  ori: z.string().optional(),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/)
    .transform(Number)
    .pipe(z.number().max(MAX_AUDIT_LIMIT)),
});

/** POST /v1/expungements */
export const ExpungeBodySchema = z.strictObject({
  attestationId: StatementIdSchema,
  orderRef: z.string(),
  by: z.string(),
});

export const AgenciesResponseSchema = z.strictObject({ agencies: z.array(RegistryEntrySchema) });

export const AuditResponseSchema = z.strictObject({
  checks: z.array(
    z.strictObject({
      checkId: z.string(),
      requester: z.string(),
      checkedAt: z.iso.datetime().transform((t) => new Date(t)),
      purpose: z.enum(CHECK_PURPOSES),
      consentRef: z.string(),
      epoch: z.number().int(),
      keyCount: z.number().int(),
      outcome: z.enum(['answered', 'too_many_matches']),
      matchCount: z.number().int(),
      matchedAttestationIds: z.array(z.string()),
    }),
  ),
});

export const ExpungeResponseSchema = z.strictObject({
  expunged: z.array(
    z.strictObject({
      id: z.string(),
      issuer: z.string(),
      logIndex: z.number().int().nullable(),
    }),
  ),
});

export const EpochStandingResponseSchema = z.strictObject({
  epochs: z.array(
    z.strictObject({
      epoch: z.number().int(),
      statements: z.number().int(),
      agencies: z.array(z.strictObject({ ori: z.string(), statements: z.number().int() })),
    }),
  ),
});

/**
 * The HubError codes an operator command refuses with, and their HTTP statuses: what the routes
 * send back as a refusal and the client rebuilds as the same HubError. Any other failure is a
 * server error.
 */
export const REFUSAL_STATUS: Readonly<Partial<Record<HubErrorCode, number>>> = {
  ENTRY_INVALID: 422,
  AGENCY_EXISTS: 409,
  AGENCY_UNKNOWN: 404,
  KEY_IN_USE: 409,
  KEY_LIMIT: 409,
  BODY_EXISTS: 409,
  BODY_UNKNOWN: 404,
  BODY_RETIRED: 409,
  ATTESTATION_UNKNOWN: 404,
  ATTESTATION_EXPUNGED: 409,
  PERIOD_INVALID: 422,
  PERIOD_NOT_CLOSED: 422,
  AS_OF_INVALID: 422,
  RULE_UNKNOWN: 422,
  FORMAT_INVALID: 422,
};

export function isRefusalCode(code: string): code is HubErrorCode {
  return Object.hasOwn(REFUSAL_STATUS, code);
}

/**
 * A refusal: problem+json (RFC 9457) with the HubError's code, its message as `detail`, and
 * as extension members its `field` and every field error (`errors`), so that the client can
 * rebuild the same HubError.
 */
export const OperatorProblemSchema = z.object({
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  field: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string(), code: z.string(), message: z.string() }))
    .optional(),
});

export const CertificationQuerySchema = z.strictObject({
  period: z.union([PeriodSchema, z.array(PeriodSchema).min(1).max(MAX_STATUS_PERIODS)]),
});

export const CertificationStatusResponseSchema = z.strictObject({
  certifications: z
    .array(
      z.strictObject({
        ori: z.string(),
        period: PeriodSchema,
        standing: z.enum(CERTIFICATION_STANDINGS),
        deadline: z.string(),
        id: StatementIdSchema.nullable(),
        sworn: z.number().int().nullable(),
        statements: z.number().int().nullable(),
        zeroReport: z.boolean().nullable(),
        versions: z.number().int(),
      }),
    )
    .max(MAX_STATUS_PERIODS * 100_000),
});

/**
 * GET /v1/compliance?period=&asOf=&rule=&format=: shape only (bounded strings); the values are
 * checked by the report itself (hub/compliance/compliance.service.ts), as without the socket.
 */
export const ComplianceQuerySchema = z.strictObject({
  period: z.string().max(64).optional(),
  asOf: z.string().max(64).optional(),
  rule: z.string().max(64).optional(),
  format: z.string().max(64).optional(),
});

/** The response header that carries a report's detached signature. */
export const SIGNATURE_HEADER = 'spx-signature';
/** POST /v1/bodies: `spx hub body enroll`'s flags, as BodyEnrollmentInput. */
export const BodyEnrollBodySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  jwk: z.unknown(),
  contact: z.strictObject({ name: z.string(), email: z.string(), phone: z.string() }),
});

/** PUT /v1/bodies/{id}/status: suspend, reinstate or retire. */
export const BodyStatusBodySchema = z.strictObject({ status: z.enum(BODY_STATUSES) });

export const BodiesResponseSchema = z.strictObject({ bodies: z.array(CredentialingBodySchema) });

/** GET /v1/credential-standings?day= */
export const StandingQuerySchema = z.strictObject({ day: IsoDateSchema });

export const StandingsResponseSchema = z.strictObject({
  standings: z
    .array(
      z.strictObject({
        ori: z.string(),
        standing: z.enum(CREDENTIAL_STANDINGS),
        id: z.string().nullable(),
        body: z.string().nullable(),
        assessedOn: z.string().nullable(),
        validUntil: z.string().nullable(),
        mandatoryMet: z.boolean().nullable(),
        standards: z.array(z.string()),
      }),
    )
    .max(1_000_000),
});
