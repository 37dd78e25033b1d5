/**
 * Flow §3.2 end to end for one candidate: tokenize (the keyholders cannot tell a check from a
 * publication), build the request, ask the hub, verify the answer completely, present it.
 * Storing the check (the hiring file) is the caller's: the outcome carries the answer as
 * received and the request as sent.
 */
import type { Rng } from '../../crypto/oprf/index.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import type { CheckPolicy, CheckPurpose, CheckRequest } from '../../protocol/check-request.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import type { HubClient } from '../clients/index.js';
import {
  tokenizeIdentities,
  type IdentityError,
  type KeyholderSet,
  type TokenizedKey,
} from '../tokenize/index.js';
import { holdAnswerCheckpoint, type AnswerLogView } from './answer-log.js';
import { buildCheckRequest } from './build-request.js';
import { presentCheck, type CheckPresentation } from './present.js';
import type { ScreenedCandidate } from './screen-candidate.js';
import { verifyCheckAnswer, type ResolveAgency, type VerifiedCheck } from './verify-answer.js';

export interface CandidateCheckInput {
  /** Screened with this consentRef (screen-candidate.ts): usable, and not in the reference. */
  readonly candidate: ScreenedCandidate;
  readonly purpose: CheckPurpose;
  readonly consentRef: string;
  readonly policy: CheckPolicy;
}

export interface CandidateCheckDeps {
  readonly keyholders: KeyholderSet;
  readonly hub: HubClient;
  /** This node's ORI. */
  readonly requester: string;
  readonly hubKeys: readonly PublicKeyInfo[];
  /** Default: the hub's registry, one lookup per issuer per check. */
  readonly resolveAgency?: ResolveAgency | undefined;
  readonly rng: Rng;
  readonly now: () => Date;
  /**
   * The node's view of the hub's log: the origin to expect, and the answer's checkpoint held
   * against the last verified one (answer-log.ts). Absent: the answer's evidence is verified
   * on its own, taking the origin it names.
   */
  readonly logView?: AnswerLogView | undefined;
}

export type CandidateCheckOutcome =
  | {
      readonly ok: true;
      readonly request: CheckRequest;
      /** The candidate's keys by kind (hub indexes only): which kinds were asked about. */
      readonly keys: readonly TokenizedKey[];
      readonly verified: VerifiedCheck;
      readonly presentation: CheckPresentation;
    }
  /** The candidate's identifiers are not usable: nothing was sent anywhere. */
  | { readonly ok: false; readonly errors: readonly IdentityError[] };

/**
 * Throws TokenizeError, ClientError or CheckError. The candidate was screened, so a bad one is
 * rare here (a keyholder batch smaller than the candidate's keys); it is a result, not a throw.
 */
export async function checkCandidate(
  input: CandidateCheckInput,
  deps: CandidateCheckDeps,
): Promise<CandidateCheckOutcome> {
  const tokens = await tokenizeIdentities([input.candidate], {
    keyholders: deps.keyholders,
    rng: deps.rng,
    asOf: deps.now(),
  });
  const candidate = tokens.identities[0]!;
  if (!candidate.ok) return { ok: false, errors: candidate.errors };
  const request = buildCheckRequest({
    epoch: tokens.epoch,
    keys: candidate.keys,
    purpose: input.purpose,
    consentRef: input.consentRef,
    policy: input.policy,
  });
  const answer = await deps.hub.check(request);
  const verified = await verifyCheckAnswer(answer, {
    request,
    requester: deps.requester,
    hubKeys: deps.hubKeys,
    resolveAgency: deps.resolveAgency ?? agencyResolver(deps.hub),
    logOrigin: deps.logView && (await deps.logView.trust()).origin,
  });
  if (deps.logView) await holdAnswerCheckpoint(deps.logView, verified.checkpoint);
  return {
    ok: true,
    request,
    keys: candidate.keys,
    verified,
    presentation: presentCheck(verified),
  };
}

/** Registry lookups through the hub, each agency fetched at most once per resolver. */
export function agencyResolver(hub: Pick<HubClient, 'agency'>): ResolveAgency {
  const cache = new Map<string, Promise<RegistryEntry | undefined>>();
  return (ori) => {
    let entry = cache.get(ori);
    if (entry === undefined) {
      entry = hub.agency(ori);
      cache.set(ori, entry);
    }
    return entry;
  };
}
