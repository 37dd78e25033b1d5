/**
 * Credentials (docs/protocol.md §5.16): a credentialing body, enrolled at the hub by its
 * operator (standing for the Attorney General's certification of the body, EO 13929 sec. 2(a)),
 * signs statements about agencies; an agency's chief may sign an "in process" affirmation.
 * Three compact JWS statements, each with its own `typ`:
 *
 *   spx-credential+jws             (signed by the body)
 *   { "v": 1, "id": "<UUIDv7>", "body": "<body id>", "ori": "<ORI>", "standardsList": 1,
 *     "standards": { "use_of_force_policy_lawful": true, "chokehold_ban": true,
 *                    "de_escalation_training": false, … },
 *     "assessedOn": "2026-05-14", "issuedAt": "2026-05-20T15:04:05Z" }
 *
 *   spx-credential-revocation+jws  (signed by the body that issued the credential)
 *   { "v": 1, "id": "<UUIDv7>", "body": "<body id>", "credential": "<UUIDv7>",
 *     "reason": "standards_not_met", "issuedAt": "…" }
 *
 *   spx-credential-affirmation+jws (signed with the agency's key: its chief's affirmation)
 *   { "v": 1, "id": "<UUIDv7>", "issuer": "<ORI>", "affirmedOn": "2026-05-14",
 *     "issuedAt": "…" }
 *
 * `standards` states, per standard of the list `standardsList` (credential-standards.ts),
 * whether the agency meets it: every mandatory standard MUST be stated (met or not); optional
 * ones may be left out (not assessed). A credential counts from `assessedOn` through the same
 * calendar day CREDENTIAL_VALIDITY_MONTHS later ("an assessment up to 36 months old counts");
 * an affirmation from `affirmedOn` through AFFIRMATION_VALIDITY_MONTHS later. A revocation
 * takes effect on the UTC date of its `issuedAt`.
 *
 * Pure: the clock comes in as data.
 */
import { z } from 'zod';
import {
  CompactJwsSchema,
  IsoDateSchema,
  OriSchema,
  StatementIdSchema,
  timestampDate,
  TimestampSchema,
} from './common.js';
import {
  mandatoryStandards,
  MAX_STANDARDS,
  STANDARD_ID_PATTERN,
  standardsList,
  SUPPORTED_STANDARDS_LIST_VERSIONS,
} from './credential-standards.js';
import { ProtocolError } from './decode.js';
import type { FieldError } from './problem.js';
import { ProtocolVersionSchema } from './version.js';

/**
 * EO 13929 sec. 2(b)(i) and the 2020 standards: a credential is valid three years; the 2020
 * standards counted an assessment up to 36 months old.
 */
export const CREDENTIAL_VALIDITY_MONTHS = 36;

/**
 * How long a chief's "in process" affirmation counts. The 2020 standards let an agency that had
 * begun the credentialing process affirm so for the grant year without fixing a length; SPX
 * counts it for 12 months — one DOJ discretionary-grant cycle — from the day it states.
 * A later affirmation counts again from its own day (the compliance report shows the chain).
 */
export const AFFIRMATION_VALIDITY_MONTHS = 12;

/**
 * A credentialing body's identifier at the hub: 3 to 32 lower-case letters, digits and hyphens,
 * starting with a letter (e.g. `calea`, `tx-tpcaf`). Lower case, so it never reads as an ORI.
 */
export const BODY_ID_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
export const BodyIdSchema = z.string().min(3).max(32).regex(BODY_ID_PATTERN);
export type BodyId = z.infer<typeof BodyIdSchema>;

/** Why a body revokes a credential (the details stay with the body). */
export const REVOCATION_REASONS = [
  'standards_not_met',
  'issued_in_error',
  'agency_request',
  'agency_dissolved',
  'other',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** `day` plus `months` calendar months, clamped to the month's last day (2024-02-29 + 12 → 2025-02-28). */
export function addMonths(day: string, months: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + months;
  const y = year + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = Math.min(Number(day.slice(8, 10)), last);
  return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
}

/** The last day a credential assessed on `assessedOn` counts. */
export function credentialValidUntil(assessedOn: string): string {
  return addMonths(assessedOn, CREDENTIAL_VALIDITY_MONTHS);
}

/** The last day an affirmation of `affirmedOn` counts. */
export function affirmationValidUntil(affirmedOn: string): string {
  return addMonths(affirmedOn, AFFIRMATION_VALIDITY_MONTHS);
}

const StandardsSchema = z
  .record(z.string().max(64).regex(STANDARD_ID_PATTERN), z.boolean())
  .refine((s) => Object.keys(s).length <= MAX_STANDARDS, {
    message: `at most ${MAX_STANDARDS} standards`,
    params: { code: 'too_many' },
  });

/**
 * The dates' order (an assessment or affirmation not after the day it is signed, nor after the
 * receiver's today) is checked by the receiver with its own code, DATE_IN_FUTURE (§5.16.3).
 */
export const CredentialPayloadSchema = z.strictObject({
  v: ProtocolVersionSchema,
  id: StatementIdSchema,
  body: BodyIdSchema,
  ori: OriSchema,
  standardsList: z.int().min(1).max(1000),
  standards: StandardsSchema,
  assessedOn: IsoDateSchema,
  issuedAt: TimestampSchema,
});
export type CredentialPayload = z.infer<typeof CredentialPayloadSchema>;

export const CredentialRevocationPayloadSchema = z.strictObject({
  v: ProtocolVersionSchema,
  id: StatementIdSchema,
  body: BodyIdSchema,
  credential: StatementIdSchema,
  reason: z.enum(REVOCATION_REASONS),
  issuedAt: TimestampSchema,
});
export type CredentialRevocationPayload = z.infer<typeof CredentialRevocationPayloadSchema>;

export const AffirmationPayloadSchema = z.strictObject({
  v: ProtocolVersionSchema,
  id: StatementIdSchema,
  issuer: OriSchema,
  affirmedOn: IsoDateSchema,
  issuedAt: TimestampSchema,
});
export type AffirmationPayload = z.infer<typeof AffirmationPayloadSchema>;

/**
 * The DATE_IN_FUTURE check (§5.16.3) of a credential's `assessedOn` or an affirmation's
 * `affirmedOn`: not after the UTC date of its `issuedAt`, nor after `today` (the receiver's).
 */
export function dateInFuture(day: string, issuedAt: string, today: string): string | undefined {
  if (day > today) return `${day} is after today (${today})`;
  if (day > timestampDate(issuedAt)) return `${day} is after the statement was signed`;
  return undefined;
}

/** POST /v1/credentials */
export const CredentialSubmissionSchema = z.strictObject({ credential: CompactJwsSchema });
/** POST /v1/credentials/revocations */
export const RevocationSubmissionSchema = z.strictObject({ revocation: CompactJwsSchema });
/** POST /v1/credentials/affirmations */
export const AffirmationSubmissionSchema = z.strictObject({ affirmation: CompactJwsSchema });
export type AffirmationSubmission = z.infer<typeof AffirmationSubmissionSchema>;

/**
 * The standards a decoded credential states, checked against its list (§5.16.1), in order:
 * the list version is supported (UNSUPPORTED_STANDARDS_LIST), every standard named is on it
 * (STANDARD_UNKNOWN), every mandatory standard is stated (MANDATORY_STANDARD_MISSING).
 * Field errors sit under `prefix` (e.g. `credential`).
 */
export function standardsProblem(
  credential: Pick<CredentialPayload, 'standardsList' | 'standards'>,
  prefix: string,
): ProtocolError | undefined {
  const list = standardsList(credential.standardsList);
  if (list === undefined) {
    const message = `standards list ${credential.standardsList} is not supported (supported: ${SUPPORTED_STANDARDS_LIST_VERSIONS.join(', ')})`;
    return fail('UNSUPPORTED_STANDARDS_LIST', [
      { field: `${prefix}.standardsList`, code: 'invalid_value', message },
    ]);
  }
  const known = new Set(list.standards.map((s) => s.id));
  const unknown: FieldError[] = Object.keys(credential.standards)
    .filter((id) => !known.has(id))
    .map((id) => ({
      field: `${prefix}.standards.${id}`,
      code: 'invalid_value',
      message: `${id} is not a standard of list ${list.version}`,
    }));
  if (unknown.length > 0) return fail('STANDARD_UNKNOWN', unknown);
  const missing: FieldError[] = mandatoryStandards(list)
    .filter((id) => !Object.hasOwn(credential.standards, id))
    .map((id) => ({
      field: `${prefix}.standards.${id}`,
      code: 'required',
      message: `a credential states whether the mandatory standard ${id} is met`,
    }));
  if (missing.length > 0) return fail('MANDATORY_STANDARD_MISSING', missing);
  return undefined;
}

function fail(
  code: 'UNSUPPORTED_STANDARDS_LIST' | 'STANDARD_UNKNOWN' | 'MANDATORY_STANDARD_MISSING',
  errors: FieldError[],
): ProtocolError {
  return new ProtocolError(code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    errors,
  });
}

/** The standards a credential states met, sorted by identifier. */
export function standardsMet(credential: Pick<CredentialPayload, 'standards'>): string[] {
  return Object.entries(credential.standards)
    .filter(([, met]) => met)
    .map(([id]) => id)
    .sort();
}

/** Whether every mandatory standard of the credential's list is stated met. */
export function mandatoryMet(
  credential: Pick<CredentialPayload, 'standardsList' | 'standards'>,
): boolean {
  const list = standardsList(credential.standardsList);
  return (
    list !== undefined && mandatoryStandards(list).every((id) => credential.standards[id] === true)
  );
}
