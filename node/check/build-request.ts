/**
 * The check request a node sends for one candidate (docs/protocol.md §5.7, flow §3.2 step 2).
 * Purpose and consent reference are required by the schema; the policy is the agency's.
 */
import type { MatchKeyKind } from '../../crypto/match-key-kind.js';
import {
  CheckRequestSchema,
  type CheckPolicy,
  type CheckPurpose,
  type CheckRequest,
} from '../../protocol/check-request.js';
import { safeDecode } from '../../protocol/decode.js';
import { CheckError } from './check-error.js';

export interface CheckRequestInput {
  readonly epoch: number;
  /** The candidate's hub indexes (e.g. node/tokenize TokenizedKey); extra members are dropped. */
  readonly keys: readonly { readonly kind: MatchKeyKind; readonly index: string }[];
  readonly purpose: CheckPurpose;
  /** Reference to the candidate's signed consent, kept at this node. */
  readonly consentRef: string;
  readonly policy: CheckPolicy;
}

/**
 * Builds and validates the request. A hub index that repeats (the same key reached twice, e.g.
 * from two candidate records of one person) is sent once; keys keep their first order.
 */
export function buildCheckRequest(input: CheckRequestInput): CheckRequest {
  const seen = new Set<string>();
  const keys = (input.keys ?? [])
    .filter((k) => !seen.has(k.index) && seen.add(k.index))
    .map((k) => ({ kind: k.kind, index: k.index }));
  const members = Object.entries({
    purpose: input.purpose,
    consentRef: input.consentRef,
    epoch: input.epoch,
    keys,
    policy: input.policy,
  }).filter(([, value]) => value !== undefined); // so a missing member reads `required`
  const decoded = safeDecode(CheckRequestSchema, Object.fromEntries(members));
  if (!decoded.ok) {
    throw new CheckError('CHECK_REQUEST_INVALID', 'the check request fails §5.7', {
      errors: decoded.error.errors,
    });
  }
  return decoded.value;
}
