/**
 * The check response (docs/protocol.md §5.8): the payload the hub signs (compact JWS, typ
 * `spx-check-response+jws`, §6) in answer to a check request, so it can go into the hiring file.
 *
 *   { "v": 1, "checkId": "<UUIDv7>", "requester": "<ORI>", "purpose": "hiring",
 *     "consentRef": "<opaque>", "checkedAt": "2025-01-02T03:04:05Z", "epoch": 3,
 *     "keys": [TokenKey, …],                 the request's keys, echoed (binds the answer)
 *     "policy": CheckPolicy,                 the request's policy, echoed
 *     "matches": [CheckMatch, …],            0..20, ascending attestationId
 *     "verdict": "record_found" | "review" | "no_record",
 *     "reasons": [{ "attestationId", "effect", "reasons": [ReasonCode, …] }, …] }
 *
 * CheckMatch — the current (latest) statement of each attestation chain that shares a hub
 * index with the request; retracted, overturned and expired chains are never returned (§5.8.4):
 *
 *   { "attestationId", "attestationDigest": "<SHA-256 of the attestation's compact JWS>",
 *     "reportingAgency": { "ori", "name", "contact": Contact },
 *     "categoryList", "category", "useOfForce", "eventDate", "outcomeDate",
 *     "status": "notice_sent" | "pending_appeal" | "final", "statusDate",
 *     "disputed", "matchedKinds": [MatchKeyKind, …], "strength": MatchStrength }
 *
 * The attestations themselves travel next to the signed response (check-answer.ts), bound to
 * it by their digests: embedding them would break the statement size limit of §6.5. The
 * summary fields repeat the attestation so pages need not decode it; the requester checks them
 * against it (check-match.ts). verdict and reasons MUST equal computeVerdict (check-verdict.ts)
 * over matches, policy and checkedAt; the schema recomputes them.
 */
import { z } from 'zod';
import {
  CONTRADICTING_KINDS,
  MATCH_KEY_STRENGTH,
  MATCH_STRENGTHS,
  strongest,
} from '../crypto/match-key-kind.js';
import { CATEGORIES, isCategoryIn } from './categories.js';
import {
  CHECK_PURPOSES,
  CheckPolicySchema,
  MAX_CHECK_KEYS,
  MAX_CONSENT_REF_LENGTH,
} from './check-request.js';
import { computeVerdict, EFFECTS, LIMIT_REASONS, REASON_CODES, VERDICTS } from './check-verdict.js';
import {
  addIssue,
  displayText,
  EpochSchema,
  fixedBytes,
  IsoDateSchema,
  MatchKeyKindSchema,
  opaqueRef,
  OriSchema,
  rejectDuplicates,
  StatementIdSchema,
  TimestampSchema,
  TokenKeySchema,
  whenFieldsValid,
} from './common.js';
import { DisputeSchema } from './attestation.js';
import { ContactSchema, MAX_NAME_CODE_POINTS } from './registry-entry.js';
import { CategoryListVersionSchema, ProtocolVersionSchema } from './version.js';

/** The statuses a match may have: those a check discloses (disclosure.ts, §5.8.4). */
export const MATCH_STATUSES = ['notice_sent', 'pending_appeal', 'final'] as const;
/**
 * The most matches one signed response lists. With every field at its bound the response stays
 * under the 65 536-character statement limit of §6.5 (check-response.test.ts computes it); the
 * hub refuses a check that would match more (TOO_MANY_MATCHES) rather than drop any.
 */
export const MAX_CHECK_MATCHES = 20;
/**
 * The most matching chains a hub reads for one check before the disclosure rule (§5.8.1,
 * §5.8.4, §5.13): records it does not disclose do not count toward MAX_CHECK_MATCHES, but
 * reading them is bounded; beyond this many the hub refuses (TOO_MANY_MATCHES) as it cannot
 * know, without reading more, that it drops none.
 */
export const MAX_CHECK_CANDIDATES = 200;

/** base64url(SHA-256(ASCII bytes of a compact JWS)): binds a match to one exact statement. */
export const StatementDigestSchema = fixedBytes(32);

export const ReportingAgencySchema = z.strictObject({
  ori: OriSchema,
  name: displayText(MAX_NAME_CODE_POINTS),
  contact: ContactSchema,
});

export const CheckMatchSchema = z
  .strictObject({
    attestationId: StatementIdSchema,
    attestationDigest: StatementDigestSchema,
    reportingAgency: ReportingAgencySchema,
    categoryList: CategoryListVersionSchema,
    category: z.enum(CATEGORIES),
    useOfForce: z.boolean(),
    eventDate: IsoDateSchema,
    outcomeDate: IsoDateSchema,
    status: z.enum(MATCH_STATUSES),
    statusDate: IsoDateSchema,
    disputed: DisputeSchema.nullable(),
    matchedKinds: z.array(MatchKeyKindSchema).min(1).max(4),
    strength: z.enum(MATCH_STRENGTHS),
    contradictedKinds: z.array(MatchKeyKindSchema).max(CONTRADICTING_KINDS.length),
  })
  .superRefine((m, ctx) => {
    rejectDuplicates(
      ctx,
      m.matchedKinds,
      (k) => k,
      (i) => ['matchedKinds', i],
    );
    rejectDuplicates(
      ctx,
      m.contradictedKinds,
      (k) => k,
      (i) => ['contradictedKinds', i],
    );
    m.contradictedKinds.forEach((k, i) => {
      if (!CONTRADICTING_KINDS.includes(k)) {
        addIssue(ctx, 'not_allowed', ['contradictedKinds', i], 'not a kind that can contradict');
      } else if (m.matchedKinds.includes(k)) {
        addIssue(ctx, 'mismatch', ['contradictedKinds', i], 'a matched kind does not contradict');
      }
    });
    if (!isCategoryIn(m.categoryList, m.category)) {
      addIssue(ctx, 'invalid_value', ['category'], 'category not in this category list');
    }
    if (strongest(m.matchedKinds.map((k) => MATCH_KEY_STRENGTH[k])) !== m.strength) {
      addIssue(ctx, 'mismatch', ['strength'], 'strength is the strongest matched kind');
    }
  }, whenFieldsValid);
export type CheckMatch = z.infer<typeof CheckMatchSchema>;

export const MatchAssessmentSchema = z.strictObject({
  attestationId: StatementIdSchema,
  effect: z.enum(EFFECTS),
  reasons: z
    .array(z.enum(REASON_CODES))
    .min(1)
    .max(1 + LIMIT_REASONS.length),
});

export const CheckResponsePayloadSchema = z
  .strictObject({
    v: ProtocolVersionSchema,
    checkId: StatementIdSchema,
    requester: OriSchema,
    purpose: z.enum(CHECK_PURPOSES),
    consentRef: opaqueRef(MAX_CONSENT_REF_LENGTH),
    checkedAt: TimestampSchema,
    epoch: EpochSchema,
    keys: z.array(TokenKeySchema).min(1).max(MAX_CHECK_KEYS),
    policy: CheckPolicySchema,
    matches: z.array(CheckMatchSchema).max(MAX_CHECK_MATCHES),
    verdict: z.enum(VERDICTS),
    reasons: z.array(MatchAssessmentSchema).max(MAX_CHECK_MATCHES),
  })
  .superRefine((r, ctx) => {
    rejectDuplicates(
      ctx,
      r.keys,
      (k) => k.index,
      (i) => ['keys', i, 'index'],
    );
    const askedKinds = new Set(r.keys.map((k) => k.kind));
    r.matches.forEach((m, i) => {
      const prev = r.matches[i - 1];
      if (prev !== undefined && prev.attestationId >= m.attestationId) {
        addIssue(ctx, 'out_of_order', ['matches', i, 'attestationId'], 'ascending, no repeats');
      }
      m.matchedKinds.forEach((k, j) => {
        if (!askedKinds.has(k)) {
          addIssue(ctx, 'mismatch', ['matches', i, 'matchedKinds', j], 'kind not in the request');
        }
      });
      m.contradictedKinds.forEach((k, j) => {
        if (!askedKinds.has(k)) {
          addIssue(
            ctx,
            'mismatch',
            ['matches', i, 'contradictedKinds', j],
            'kind not in the request',
          );
        }
      });
    });
    const expected = computeVerdict(r.matches, r.policy, r.checkedAt);
    if (r.verdict !== expected.verdict) {
      addIssue(ctx, 'mismatch', ['verdict'], `the policy gives ${expected.verdict}`);
    }
    if (r.reasons.length !== expected.reasons.length) {
      addIssue(ctx, 'mismatch', ['reasons'], 'one assessment per match');
      return;
    }
    expected.reasons.forEach((want, i) => {
      const got = r.reasons[i]!;
      const same =
        got.attestationId === want.attestationId &&
        got.effect === want.effect &&
        got.reasons.length === want.reasons.length &&
        got.reasons.every((code, j) => code === want.reasons[j]);
      if (!same) addIssue(ctx, 'mismatch', ['reasons', i], 'differs from the policy evaluation');
    });
  }, whenFieldsValid);
export type CheckResponsePayload = z.infer<typeof CheckResponsePayloadSchema>;
