/**
 * POST /v1/checks (docs/node.md "API"): a candidate's identifiers in, the hub's verified answer
 * out, presented for people (node/check/present.ts), with the answer as received and the
 * evidence bundle for the hiring file (protocol/check-evidence.ts).
 *
 *   { "candidate": { "firstName", "middleName"?, "lastName", "dob"?, "ssn"?,
 *                    "license"?: { "state", "number" }, "aliases"?: [{ "firstName"?, "lastName" }] },
 *     "purpose": "hiring", "consentRef": "<opaque>", "candidateRef"?: "<local file ref>",
 *     "requestedBy"?: "<login>" }
 *
 * Refusals are problem+json (problem.ts): 400 VALIDATION_FAILED with `candidate.<field>` errors
 * for identifiers that cannot be normalized, 422 REFERENCE_CONTAINS_IDENTIFIER for a consentRef
 * that carries one of them (node/check/screen-candidate.ts).
 */
import { z } from 'zod';
import { MATCH_KEY_KINDS, MATCH_STRENGTHS } from '../../crypto/match-key-kind.js';
import { CATEGORIES } from '../../protocol/categories.js';
import { CheckAnswerSchema } from '../../protocol/check-answer.js';
import { CheckEvidenceSchema } from '../../protocol/check-evidence.js';
import { CHECK_PURPOSES, MAX_CONSENT_REF_LENGTH } from '../../protocol/check-request.js';
import {
  MATCH_STATUSES,
  MAX_CHECK_MATCHES,
  ReportingAgencySchema,
} from '../../protocol/check-response.js';
import { EFFECTS, REASON_CODES, VERDICTS } from '../../protocol/check-verdict.js';
import { opaqueRef } from '../../protocol/common.js';
import { CHECK_STATES } from '../store/states.js';

const text = (max: number) => z.string().min(1).max(max);

export const CandidateSchema = z.strictObject({
  firstName: text(100),
  middleName: text(100).nullable().optional(),
  lastName: text(100),
  dob: text(10).nullable().optional(),
  ssn: text(11).nullable().optional(),
  license: z
    .strictObject({ state: text(2), number: text(32) })
    .nullable()
    .optional(),
  aliases: z
    .array(z.strictObject({ firstName: text(100).nullable().optional(), lastName: text(100) }))
    .max(8)
    .optional(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

export const CheckBodySchema = z.strictObject({
  candidate: CandidateSchema,
  purpose: z.enum(CHECK_PURPOSES),
  consentRef: opaqueRef(MAX_CONSENT_REF_LENGTH),
  candidateRef: text(200).optional(),
  requestedBy: text(100).optional(),
});
export type CheckBody = z.infer<typeof CheckBodySchema>;

/** 8 aliases of 200 characters and the rest are well under 8 KiB. */
export const MAX_CHECK_BODY_BYTES = 16 * 1024;

const Label = z.string().max(2000);

export const MatchViewSchema = z.object({
  attestationId: z.string().max(64),
  reportingAgency: ReportingAgencySchema,
  category: z.enum(CATEGORIES),
  categoryLabel: Label,
  useOfForce: z.boolean(),
  eventDate: z.string().max(10),
  outcomeDate: z.string().max(10),
  status: z.enum(MATCH_STATUSES),
  statusLabel: Label,
  statusDate: z.string().max(10),
  disputedSince: z.string().max(10).nullable(),
  strength: z.enum(MATCH_STRENGTHS),
  matchedKinds: z.array(z.enum(MATCH_KEY_KINDS)).max(MATCH_KEY_KINDS.length),
  matchedKindLabels: z.array(Label).max(MATCH_KEY_KINDS.length),
  contradictedKinds: z.array(z.enum(MATCH_KEY_KINDS)).max(MATCH_KEY_KINDS.length),
  contradictedKindLabels: z.array(Label).max(MATCH_KEY_KINDS.length),
  effect: z.enum(EFFECTS),
  effectLabel: Label,
  reasons: z.array(z.object({ code: z.enum(REASON_CODES), text: Label })).max(REASON_CODES.length),
});

/** node/check/present.ts CheckPresentation: the CLI's text and the check page come from it. */
export const CheckPresentationSchema = z.object({
  checkId: z.string().max(64),
  checkedAt: z.string().max(40),
  requester: z.string().max(20),
  purpose: z.string().max(40),
  consentRef: z.string().max(MAX_CONSENT_REF_LENGTH),
  epoch: z.int().positive(),
  verdict: z.enum(VERDICTS),
  verdictLabel: Label,
  summary: Label,
  matches: z.array(MatchViewSchema).max(MAX_CHECK_MATCHES),
  reminder: Label,
});

export const CheckResponseSchema = z.object({
  check: z.object({
    id: z.string().max(64),
    hubCheckId: z.string().max(64).nullable(),
    state: z.enum(CHECK_STATES),
    candidateRef: z.string().max(200).nullable(),
    requestedBy: z.string().max(100),
  }),
  result: CheckPresentationSchema,
  /** The hub's signed response as received (also `answer.response`). */
  responseJws: z.string().max(65_536),
  /** The answer as received, with its log evidence: verifiable again without the hub. */
  answer: CheckAnswerSchema,
  evidence: CheckEvidenceSchema,
});
export type CheckResponse = z.infer<typeof CheckResponseSchema>;
