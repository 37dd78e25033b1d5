/**
 * What a requesting node checks in a verified check response before trusting it
 * (docs/protocol.md §5.8.3). The hub is honest-but-curious, not trusted: its summary of each
 * match must agree with the attestation the reporting agency signed, and the response must
 * answer the request that was sent. Signature verification itself is §6; these rules run on
 * the decoded payloads.
 */
import type { AttestationPayload } from './attestation.js';
import type { CheckMatch, CheckResponsePayload } from './check-response.js';
import type { CheckRequest } from './check-request.js';
import type { FieldError } from './problem.js';

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
  // The kinds that really matched: a request key whose kind and index both appear.
  const held = new Set(attestation.tokens.keys.map((k) => `${k.kind}:${k.index}`));
  const matched = new Set(
    request.keys.filter((k) => held.has(`${k.kind}:${k.index}`)).map((k) => k.kind),
  );
  const claimed = new Set(match.matchedKinds);
  if (matched.size !== claimed.size || [...matched].some((k) => !claimed.has(k))) {
    errors.push(mismatch('matchedKinds', 'not the kinds that matched the request'));
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
