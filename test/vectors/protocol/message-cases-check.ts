/**
 * Message decoding vectors for intake, check requests, check responses and check answers
 * (docs/protocol.md §5.6–§5.8); see message-cases.ts. Expected outcomes are written by
 * hand.
 */
import type { AttestationPayload } from '../../../protocol/index.js';
import {
  exampleAttestation,
  exampleAttestationJws,
  exampleCheckpointNote,
  exampleCheckRequest,
  exampleInclusionEvidence,
  exampleCheckResponse,
  exampleIntakeBatch,
  exampleIntakeReceipt,
  exampleJws,
  exampleMatch,
  examplePolicy,
} from '../../../protocol/test-support/examples.js';
import { ACCEPTED } from '../../../protocol/outcome.js';
import { bad, omit, type AddCase } from './message-cases.js';

export function addCheckCases(add: AddCase, att: AttestationPayload): void {
  // §5.6 intake
  const batch = exampleIntakeBatch();
  add('intake-batch', 'one attestation', batch, ACCEPTED);
  add(
    'intake-batch',
    'same statement twice',
    { attestations: [batch.attestations[0], batch.attestations[0]] },
    bad('attestations[1]: duplicate'),
  );
  add(
    'intake-batch',
    'JSON object instead of compact JWS',
    { attestations: [att] },
    bad('attestations[0]: invalid_type'),
  );
  const receipt = exampleIntakeReceipt();
  add('intake-receipt', 'accepted', receipt, ACCEPTED);
  add('intake-receipt', 'without the checkpoint', omit(receipt, 'log'), bad('log: required'));
  add(
    'intake-receipt',
    'item without inclusion evidence',
    { ...receipt, receipts: [omit(receipt.receipts[0]!, 'log')] },
    bad('receipts[0].log: required'),
  );
  add(
    'intake-receipt',
    'opaque log evidence instead of index, salt and proof',
    { ...receipt, receipts: [{ ...receipt.receipts[0], log: { treeSize: 7 } }] },
    bad(
      'receipts[0].log.index: required',
      'receipts[0].log.proof: required',
      'receipts[0].log.salt: required',
      'receipts[0].log.treeSize: unknown_field',
    ),
  );
  add(
    'intake-receipt',
    'status rejected',
    { ...receipt, receipts: [{ ...receipt.receipts[0], status: 'rejected' }] },
    bad('receipts[0].status: invalid_value'),
  );

  // §5.7 check requests and policies
  const policy = examplePolicy();
  add('check-policy', 'example policy', policy, ACCEPTED);
  add(
    'check-policy',
    'category in both lists',
    { ...policy, review: ['termination'] },
    bad('review[0]: duplicate'),
  );
  add(
    'check-policy',
    'lookback of 0 years',
    { ...policy, lookbackYears: 0 },
    bad('lookbackYears: too_small'),
  );
  const creq = exampleCheckRequest();
  add('check-request', 'hiring check', creq, ACCEPTED);
  add(
    'check-request',
    'without consent reference',
    omit(creq, 'consentRef'),
    bad('consentRef: required'),
  );
  add(
    'check-request',
    'unknown purpose',
    { ...creq, purpose: 'journalism' },
    bad('purpose: invalid_value'),
  );
  add('check-request', 'no keys', { ...creq, keys: [] }, bad('keys: too_few'));

  // §5.8 check responses and answers
  const second = exampleAttestation({
    id: '0190f1c2-3b4a-7c5d-8e6f-7081ffffffff',
    category: 'suspension',
    status: 'pending_appeal',
  });
  const resp = exampleCheckResponse(creq, [
    exampleMatch(att, ['ssn', 'name_dob', 'last_dob'], 'strong'),
    exampleMatch(second, ['last_dob'], 'weak'),
  ]);
  add('check-response', 'one finding and one review', resp, ACCEPTED);
  add('check-response', 'no matches', exampleCheckResponse(creq, []), ACCEPTED);
  add(
    'check-response',
    'verdict not following the policy',
    { ...resp, verdict: 'review' },
    bad('verdict: mismatch'),
  );
  add(
    'check-response',
    'strength overstated',
    { ...resp, matches: [resp.matches[0], { ...resp.matches[1], strength: 'strong' }] },
    bad('matches[1].strength: mismatch'),
  );
  add(
    'check-response',
    'retracted record returned',
    { ...resp, matches: [{ ...resp.matches[0], status: 'retracted' }, resp.matches[1]] },
    bad('matches[0].status: invalid_value'),
  );
  add(
    'check-response',
    'overturned record returned (never disclosed, §5.8.4)',
    { ...resp, matches: [{ ...resp.matches[0], status: 'overturned' }, resp.matches[1]] },
    bad('matches[0].status: invalid_value'),
  );
  const namesake = exampleCheckResponse(creq, [
    exampleMatch(att, ['name_dob', 'last_dob'], 'moderate', ['ssn']),
  ]);
  add('check-response', 'a namesake under a different SSN (§5.8.1)', namesake, ACCEPTED);
  add(
    'check-response',
    'verdict ignoring a contradiction',
    {
      ...namesake,
      verdict: 'record_found',
      reasons: [{ ...namesake.reasons[0], effect: 'finding', reasons: ['disqualifying_category'] }],
    },
    bad('verdict: mismatch', 'reasons[0]: mismatch'),
  );
  add(
    'check-response',
    'a licence named as contradicted',
    { ...namesake, matches: [{ ...namesake.matches[0], contradictedKinds: ['license'] }] },
    bad('matches[0].contradictedKinds[0]: not_allowed'),
  );
  add(
    'check-response',
    'matches out of order',
    exampleCheckResponse(creq, [resp.matches[1]!, resp.matches[0]!]),
    bad('matches[1].attestationId: out_of_order'),
  );
  const answer = {
    response: exampleJws('spx-check-response+jws', resp, 'hub'),
    attestations: [exampleAttestationJws(att), exampleAttestationJws(second)],
    log: {
      checkpoint: exampleCheckpointNote(9),
      inclusions: [exampleInclusionEvidence(3, 9), exampleInclusionEvidence(8, 9)],
    },
  };
  add('check-answer', 'response and its two attestations', answer, ACCEPTED);
  add('check-answer', 'without log evidence', omit(answer, 'log'), bad('log: required'));
  add(
    'check-answer',
    'attestation not a compact JWS',
    { ...answer, attestations: ['x'] },
    bad('attestations[0]: invalid_format'),
  );
}
