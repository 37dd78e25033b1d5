/**
 * Message decoding vectors for the mailbox (docs/protocol.md §5.12): the signed message's
 * payload, the correction body, a fetched page and an ack; see message-cases.ts. Expected
 * outcomes are written by hand.
 */
import {
  EXAMPLE_IDS,
  exampleAttestation,
  exampleAttestationJws,
  exampleJws,
} from '../../../protocol/test-support/examples.js';
import { ACCEPTED } from '../../../protocol/outcome.js';
import { bad, omit, type AddCase } from './message-cases.js';

export function addMailboxCases(add: AddCase): void {
  const correction = {
    type: 'correction',
    checkId: EXAMPLE_IDS.check,
    checkedAt: '2026-05-01T12:00:00Z',
    attestationId: EXAMPLE_IDS.superseded,
    current: exampleAttestationJws(exampleAttestation()),
    currentId: EXAMPLE_IDS.attestation,
    currentStatus: 'overturned',
    changes: [{ field: 'status', from: 'final', to: 'overturned' }],
  };
  add('correction', 'a status change', correction, ACCEPTED);
  add(
    'correction',
    'an expungement: nothing stands now',
    {
      ...correction,
      current: null,
      currentId: null,
      currentStatus: null,
      changes: [{ field: 'expunged', from: 'final', to: null }],
    },
    ACCEPTED,
  );
  const pastRetention = {
    ...correction,
    currentStatus: 'final',
    changes: [{ field: 'past_retention', from: 'final', to: '2030-11-01' }],
  };
  add(
    'correction',
    "the hub's retention notice: the standing statement, past its due day",
    pastRetention,
    ACCEPTED,
  );
  add(
    'correction',
    'a retention notice with another change',
    { ...pastRetention, changes: [...pastRetention.changes, correction.changes[0]] },
    bad('changes: not_allowed'),
  );
  add(
    'correction',
    'a retention notice without the standing statement',
    { ...pastRetention, current: null, currentId: null, currentStatus: null },
    bad('current: mismatch'),
  );
  add(
    'correction',
    'a retention notice whose due day is not a date',
    { ...pastRetention, changes: [{ field: 'past_retention', from: 'final', to: 'soon' }] },
    bad('changes[0].to: invalid_value'),
  );
  add(
    'correction',
    'current statement without its id',
    { ...correction, currentId: null },
    bad('current: mismatch'),
  );
  add('correction', 'no change named', { ...correction, changes: [] }, bad('changes: too_few'));
  add(
    'correction',
    'the same field twice',
    { ...correction, changes: [correction.changes[0], correction.changes[0]] },
    bad('changes[1].field: duplicate'),
  );
  add(
    'correction',
    'unknown change',
    { ...correction, changes: [{ field: 'category', from: 'a', to: 'b' }] },
    bad('changes[0].field: invalid_value'),
  );
  add('correction', 'missing checkId', omit(correction, 'checkId'), bad('checkId: required'));

  const withdrawn = {
    type: 'monitoring',
    change: 'withdrawn',
    matches: [{ kind: 'ssn', index: exampleAttestation().tokens.keys[0]!.index }],
    statement: null,
    statementId: EXAMPLE_IDS.attestation,
    status: null,
    previousId: EXAMPLE_IDS.attestation,
  };
  add('monitoring', 'a record withdrawn from view', withdrawn, ACCEPTED);
  add(
    'monitoring',
    "the hub's retention withdrawal: the standing statement and its due day",
    { ...withdrawn, pastRetention: '2030-11-01' },
    ACCEPTED,
  );
  add(
    'monitoring',
    'a due day on a notice that reports a statement',
    {
      ...withdrawn,
      change: 'changed',
      statement: exampleAttestationJws(exampleAttestation()),
      status: 'final',
      pastRetention: '2030-11-01',
    },
    bad('pastRetention: not_allowed'),
  );
  add(
    'monitoring',
    'a due day on the withdrawal of an expunged record',
    { ...withdrawn, statementId: null, pastRetention: '2030-11-01' },
    bad('pastRetention: not_allowed'),
  );
  add(
    'monitoring',
    'a due day that is not a date',
    { ...withdrawn, pastRetention: '2030-11' },
    bad('pastRetention: invalid_format'),
  );

  const message = {
    v: 1,
    seq: 42,
    to: 'CA0194200',
    createdAt: '2026-05-02T08:00:00Z',
    body: correction,
  };
  add('mailbox-message', 'a correction for one agency', message, ACCEPTED);
  add(
    'mailbox-message',
    'a type this version does not define (kept by the receiver)',
    { ...message, body: { type: 'record_request', envelope: 'opaque' } },
    ACCEPTED,
  );
  add('mailbox-message', 'seq 0', { ...message, seq: 0 }, bad('seq: too_small'));
  add('mailbox-message', 'seq beyond 2^53 - 1', { ...message, seq: 2 ** 53 }, bad('seq: too_big'));
  add(
    'mailbox-message',
    'lower-case ORI',
    { ...message, to: 'ca0194200' },
    bad('to: invalid_format'),
  );
  add(
    'mailbox-message',
    'body type with capitals',
    { ...message, body: { type: 'Correction' } },
    bad('body.type: invalid_format'),
  );

  add(
    'mailbox-page',
    'two messages and more to come',
    {
      messages: [1, 2].map((i) => exampleJws('spx-mailbox-message+jws', { seq: i }, `m${i}`)),
      more: true,
      expiredUnacknowledged: 0,
    },
    ACCEPTED,
  );
  add(
    'mailbox-page',
    'missing expiredUnacknowledged',
    { messages: [], more: false },
    bad('expiredUnacknowledged: required'),
  );
  add('mailbox-ack', 'three seqs', { seqs: [3, 5, 9] }, ACCEPTED);
  add('mailbox-ack', 'no seq', { seqs: [] }, bad('seqs: too_few'));
  add('mailbox-ack', 'a seq twice', { seqs: [3, 3] }, bad('seqs[1]: duplicate'));
  add(
    'mailbox-ack',
    'more than a page',
    { seqs: Array.from({ length: 101 }, (_, i) => i + 1) },
    bad('seqs: too_many'),
  );
  add(
    'mailbox-ack',
    'a range instead of seqs',
    { upTo: 9 },
    bad('seqs: required', 'upTo: unknown_field'),
  );
}
