/**
 * POST /v1/checks: a candidate's identifiers in, the hub's verified answer out, presented for
 * people (node/check), under the agency's policy from configuration.
 *
 *   { "candidate": { "firstName", "middleName"?, "lastName", "dob"?, "ssn"?,
 *                    "license"?: { "state", "number" }, "aliases"?: [{ "firstName"?, "lastName" }] },
 *     "purpose": "hiring", "consentRef": "<opaque>", "candidateRef"?: "<local file ref>",
 *     "requestedBy"?: "<login>" }
 *
 * The check is stored (checks table: purpose, consent reference, who asked, the hub's signed
 * response, verdict, match count) — never the candidate's identifiers, match keys or tokens.
 * Identifiers that cannot be normalized are a 422 before anything is stored or sent; so is a
 * consentRef that contains one of the candidate's identifiers (422
 * REFERENCE_CONTAINS_IDENTIFIER): the hub keeps it in its audit.
 *
 * The answer comes back with `evidence` (protocol/check-evidence.ts): the request sent, the
 * answer received, and the registry entries and hub keys it was verified with, for the hiring
 * file to verify again later without the hub (`spx node verify-evidence`). It holds hub indexes
 * and consentRef, not candidateRef, requestedBy or any identifier.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { tryDeriveMatchKeys, type Identity } from '../../crypto/match-keys/index.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import {
  problemResponse,
  protocolProblem,
  serviceProblem,
} from '../../platform/http/problem-response.js';
import { CHECK_PURPOSES, MAX_CONSENT_REF_LENGTH } from '../../protocol/check-request.js';
import { opaqueRef } from '../../protocol/common.js';
import { newStatementId } from '../../protocol/statement-id.js';
import {
  agencyResolver,
  buildCheckEvidence,
  checkCandidate,
  recordingResolver,
} from '../check/index.js';
import { identifierInReference, REFERENCE_IDENTIFIER_LABELS } from '../reference-guard.js';
import { checksRepository } from '../store/index.js';
import type { NodeAppDeps } from './app.js';

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

export const CheckBodySchema = z.strictObject({
  candidate: CandidateSchema,
  purpose: z.enum(CHECK_PURPOSES),
  consentRef: opaqueRef(MAX_CONSENT_REF_LENGTH),
  candidateRef: text(200).optional(),
  requestedBy: text(100).optional(),
});
export type CheckBody = z.infer<typeof CheckBodySchema>;

/** 8 aliases of 200 characters and the rest are well under 8 KiB. */
const MAX_CHECK_BODY_BYTES = 16 * 1024;

export function registerCheckRoute(app: Hono, deps: NodeAppDeps): void {
  const { db, now, log } = deps;
  app.post('/v1/checks', jsonBodyLimit(MAX_CHECK_BODY_BYTES), async (c) => {
    const body = await readJsonBody(c, CheckBodySchema);
    const candidate: Identity = body.candidate;
    // Refuse unusable identifiers before a check is recorded or a keyholder is asked.
    const local = tryDeriveMatchKeys(candidate, { asOf: now() });
    if (!local.ok) {
      return protocolProblem(
        'VALIDATION_FAILED',
        'the candidate identifiers cannot be used',
        local.errors.map((e) => ({
          field: `candidate.${e.field ?? ''}`.replace(/\.$/, ''),
          code: 'invalid_value',
          message: `${e.code}: ${e.message}`,
        })),
      );
    }
    const inConsentRef = identifierInReference(body.consentRef, candidate);
    if (inConsentRef !== undefined) {
      const message = `consentRef contains the candidate's ${REFERENCE_IDENTIFIER_LABELS[inConsentRef]}; the hub keeps it, so use a reference that carries no identifier`;
      return problemResponse({
        ...serviceProblem(422, 'REFERENCE_CONTAINS_IDENTIFIER', message),
        errors: [{ field: 'consentRef', code: 'not_allowed', message }],
      });
    }
    const hubKeys = await deps.hubKeys();
    const checks = checksRepository(db);
    const at = now();
    const check = await checks.create(
      {
        id: newStatementId(at.getTime(), deps.rng),
        purpose: body.purpose,
        consentRef: body.consentRef,
        candidateRef: body.candidateRef ?? null,
        requestedBy: body.requestedBy ?? 'node-admin',
      },
      at,
    );
    // The registry entries the verification uses, kept for the evidence bundle.
    const agencies = recordingResolver(agencyResolver(deps.hub));
    let outcome;
    try {
      outcome = await checkCandidate(
        { candidate, purpose: body.purpose, consentRef: body.consentRef, policy: deps.policy },
        {
          keyholders: deps.keyholders,
          hub: deps.hub,
          requester: deps.ori,
          hubKeys,
          resolveAgency: agencies.resolveAgency,
          rng: deps.rng,
          now,
          logView: deps.transparency?.view,
        },
      );
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      await checks.recordFailure(
        check.id,
        typeof code === 'string' ? code : 'INTERNAL_ERROR',
        now(),
      );
      log('warn', 'check_failed', {
        check: check.id,
        code: typeof code === 'string' ? code : null,
      });
      throw e;
    }
    if (!outcome.ok) {
      // Derivation agreed above; only a key-count limit can differ here.
      await checks.recordFailure(check.id, 'CANDIDATE_INVALID', now());
      return protocolProblem(
        'VALIDATION_FAILED',
        'the candidate identifiers cannot be used',
        outcome.errors.map((e) => ({
          field: `candidate.${e.field ?? ''}`.replace(/\.$/, ''),
          code: 'invalid_value',
          message: `${e.code}: ${e.message}`,
        })),
      );
    }
    const { payload, answer } = outcome.verified;
    const evidence = buildCheckEvidence({
      requester: deps.ori,
      request: outcome.request,
      verified: outcome.verified,
      resolved: agencies.resolved,
      hubKeys,
      verifiedAt: now(),
    });
    const stored = await checks.recordAnswer(
      check.id,
      {
        hubCheckId: payload.checkId,
        responseJws: answer.response,
        verdict: payload.verdict,
        matchCount: payload.matches.length,
        answer,
      },
      now(),
    );
    log('info', 'check', {
      check: check.id,
      purpose: body.purpose,
      verdict: payload.verdict,
      matches: payload.matches.length,
    });
    return c.json({
      check: {
        id: stored.id,
        hubCheckId: stored.hubCheckId,
        state: stored.state,
        candidateRef: stored.candidateRef,
        requestedBy: stored.requestedBy,
      },
      result: outcome.presentation,
      responseJws: answer.response,
      // The answer as received, with its log evidence: verifiable again without the hub.
      answer,
      evidence,
    });
  });
}
