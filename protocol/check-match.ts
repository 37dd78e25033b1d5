/**
 * What a requesting node checks in a verified check response before trusting it
 * (docs/protocol.md §5.8.3). The hub is honest-but-curious, not trusted: its summary of each
 * match must agree with the attestation the reporting agency signed, and the response must
 * answer the request that was sent. Signature verification itself is §6; these rules run on
 * the decoded payloads.
 */
import {
  CONTRADICTING_KINDS,
  MATCH_KEY_KINDS,
  type MatchKeyKind,
} from '../crypto/match-key-kind.js';
import type { AttestationPayload } from './attestation.js';
import type { CheckMatch, CheckResponsePayload } from './check-response.js';
import type { CheckRequest } from './check-request.js';
import type { FieldError } from './problem.js';

/** A token key: its kind and hub index (the request's keys, an attestation's `tokens.keys`). */
export interface KindIndex {
  readonly kind: MatchKeyKind;
  readonly index: string;
}

/** How a check's keys compare with one attestation's (docs/protocol.md §5.8.2). */
export interface KeyComparison {
  /** Kinds with a key of the same kind and index on both sides, in MATCH_KEY_KINDS order. */
  readonly matchedKinds: MatchKeyKind[];
  /**
   * CONTRADICTING_KINDS that both sides carry without any key in common — e.g. both carry an
   * SSN and the SSNs differ. In MATCH_KEY_KINDS order; never a matched kind.
   */
  readonly contradictedKinds: MatchKeyKind[];
}

/** Pure: compares the request's keys with an attestation's, kind by kind. */
export function compareKeys(
  requestKeys: readonly KindIndex[],
  attestationKeys: readonly KindIndex[],
): KeyComparison {
  const held = new Set(attestationKeys.map((k) => `${k.kind}:${k.index}`));
  const heldKinds = new Set(attestationKeys.map((k) => k.kind));
  const askedKinds = new Set(requestKeys.map((k) => k.kind));
  const matched = new Set(
    requestKeys.filter((k) => held.has(`${k.kind}:${k.index}`)).map((k) => k.kind),
  );
  return {
    matchedKinds: MATCH_KEY_KINDS.filter((k) => matched.has(k)),
    contradictedKinds: MATCH_KEY_KINDS.filter(
      (k) =>
        CONTRADICTING_KINDS.includes(k) && askedKinds.has(k) && heldKinds.has(k) && !matched.has(k),
    ),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.length === b.length && new Set(a).size === set.size && a.every((x) => set.has(x));
}

function mismatch(field: string, message: string): FieldError {
  return { field, code: 'mismatch', message };
}

/**
 * Errors (fields relative to the match) where the hub's `match` disagrees with the signed
 * `attestation` it carries, or claims kinds that did not match the request's keys.
 */
export function matchErrors(
  match: CheckMatch,
  attestation: AttestationPayload,
  request: Pick<CheckRequest, 'epoch' | 'keys'>,
): FieldError[] {
  const errors: FieldError[] = [];
  if (attestation.id !== match.attestationId) {
    errors.push(mismatch('attestationId', 'not the id of the attestation'));
  }
  if (attestation.issuer !== match.reportingAgency.ori) {
    errors.push(mismatch('reportingAgency.ori', 'not the issuer of the attestation'));
  }
  const same = [
    'categoryList',
    'category',
    'useOfForce',
    'eventDate',
    'outcomeDate',
    'status',
    'statusDate',
  ] as const;
  for (const f of same) {
    if (attestation[f] !== match[f]) errors.push(mismatch(f, `differs from the attestation`));
  }
  if ((attestation.disputed?.since ?? null) !== (match.disputed?.since ?? null)) {
    errors.push(mismatch('disputed', 'differs from the attestation'));
  }
  if (attestation.tokens.epoch !== request.epoch) {
    errors.push(mismatch('attestation', 'tokens of another epoch'));
    return errors;
  }
  // The kinds that really matched (a request key whose kind and index both appear) and those
  // that contradict: recomputed from the signed tokens, so the hub can neither hide nor invent
  // a contradiction.
  const real = compareKeys(request.keys, attestation.tokens.keys);
  if (!sameSet(real.matchedKinds, match.matchedKinds)) {
    errors.push(mismatch('matchedKinds', 'not the kinds that matched the request'));
  }
  if (!sameSet(real.contradictedKinds, match.contradictedKinds)) {
    errors.push(mismatch('contradictedKinds', 'not the kinds that contradict the request'));
  }
  return errors;
}

/** Errors where `response` does not answer `request` sent by agency `requester`. */
export function responseRequestErrors(
  response: CheckResponsePayload,
  request: CheckRequest,
  requester: string,
): FieldError[] {
  const errors: FieldError[] = [];
  if (response.requester !== requester) errors.push(mismatch('requester', 'not the requester'));
  if (response.purpose !== request.purpose) errors.push(mismatch('purpose', 'not the request'));
  if (response.consentRef !== request.consentRef) {
    errors.push(mismatch('consentRef', 'not the request'));
  }
  if (response.epoch !== request.epoch) errors.push(mismatch('epoch', 'not the request'));
  const sent = request.keys.map((k) => `${k.kind}:${k.index}`);
  const echoed = response.keys.map((k) => `${k.kind}:${k.index}`);
  if (sent.length !== echoed.length || sent.some((k, i) => k !== echoed[i])) {
    errors.push(mismatch('keys', 'not the keys of the request, in order'));
  }
  if (
    JSON.stringify(sortedPolicy(response.policy)) !== JSON.stringify(sortedPolicy(request.policy))
  ) {
    errors.push(mismatch('policy', 'not the policy of the request'));
  }
  return errors;
}

/** A policy with its members in a fixed order, for comparison (category lists keep theirs). */
function sortedPolicy(p: CheckRequest['policy']): unknown[] {
  return [
    p.categoryList,
    p.disqualifying,
    p.review,
    p.otherCategories,
    p.useOfForce,
    p.findingStrength,
    p.lookbackYears,
    p.disputed,
  ];
}
