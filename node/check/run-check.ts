/**
 * One check as the node's API runs it (POST /v1/checks, docs/node.md "API"): screen the
 * candidate, record the check, run flow §3.2 (checkCandidate), store the hub's signed answer,
 * and answer with the presentation, the answer as received and the evidence bundle.
 *
 * The check is stored (checks table: purpose, consent reference, who asked, the hub's signed
 * response, verdict, match count) — never the candidate's identifiers, match keys or tokens.
 * A refusal (screen-candidate.ts) is a result, returned before anything is stored or sent; an
 * upstream failure (TokenizeError, ClientError, CheckError) marks the check `failed` with its
 * code and is thrown on for the HTTP shell to map (node/service/app.ts).
 *
 * The evidence (protocol/check-evidence.ts) holds hub indexes and consentRef, not candidateRef,
 * requestedBy or any identifier.
 */
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import type { Logger } from '../../platform/logging/json-lines.js';
import type { CheckPolicy } from '../../protocol/check-request.js';
import { newStatementId } from '../../protocol/statement-id.js';
import type { CheckBody, CheckResponseSchema } from '../api/check.js';
import type { Sent } from '../api/index.js';
import { isClientError, type HubClient } from '../clients/index.js';
import { checksRepository, type NodeDatabase } from '../store/index.js';
import { isTokenizeError, type KeyholderSet } from '../tokenize/index.js';
import type { AnswerLogView } from './answer-log.js';
import { agencyResolver, checkCandidate } from './check-candidate.js';
import { isCheckError } from './check-error.js';
import { buildCheckEvidence, recordingResolver } from './check-evidence.js';
import { identityRefusal, screenCandidate, type CheckRefusal } from './screen-candidate.js';

export interface RunCheckDeps {
  readonly db: NodeDatabase;
  /** This node's ORI. */
  readonly ori: string;
  readonly keyholders: KeyholderSet;
  readonly hub: HubClient;
  /** The hub's statement-signing keys (pinned, or fetched once). */
  readonly hubKeys: () => Promise<readonly PublicKeyInfo[]>;
  readonly policy: CheckPolicy;
  readonly now: () => Date;
  readonly rng: (n: number) => Uint8Array;
  readonly log: Logger;
  /** The node's view of the hub's log (check-candidate.ts); absent in tests of other parts. */
  readonly logView?: AnswerLogView | undefined;
}

export type RunCheckResult =
  | { readonly ok: true; readonly response: Sent<typeof CheckResponseSchema> }
  | { readonly ok: false; readonly refusal: CheckRefusal };

/** The code a failed check is stored and logged with. */
export function failureCode(e: unknown): string {
  return isTokenizeError(e) || isClientError(e) || isCheckError(e) ? e.code : 'INTERNAL_ERROR';
}

export async function runCheck(deps: RunCheckDeps, body: CheckBody): Promise<RunCheckResult> {
  const { db, now, log } = deps;
  const screening = screenCandidate(body.candidate, body.consentRef, now());
  if (!screening.ok) return screening;
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
      {
        candidate: screening.candidate,
        purpose: body.purpose,
        consentRef: body.consentRef,
        policy: deps.policy,
      },
      {
        keyholders: deps.keyholders,
        hub: deps.hub,
        requester: deps.ori,
        hubKeys,
        resolveAgency: agencies.resolveAgency,
        rng: deps.rng,
        now,
        logView: deps.logView,
      },
    );
  } catch (e) {
    const code = failureCode(e);
    await checks.recordFailure(check.id, code, now());
    log('warn', 'check_failed', { check: check.id, code });
    throw e;
  }
  if (!outcome.ok) {
    await checks.recordFailure(check.id, 'CANDIDATE_INVALID', now());
    return { ok: false, refusal: identityRefusal(outcome.errors) };
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
      evidence,
    },
    now(),
  );
  log('info', 'check', {
    check: check.id,
    purpose: body.purpose,
    verdict: payload.verdict,
    matches: payload.matches.length,
  });
  return {
    ok: true,
    response: {
      check: {
        id: stored.id,
        hubCheckId: stored.hubCheckId,
        state: stored.state,
        candidateRef: stored.candidateRef,
        requestedBy: stored.requestedBy,
      },
      result: outcome.presentation,
      responseJws: answer.response,
      answer,
      evidence,
    },
  };
}
