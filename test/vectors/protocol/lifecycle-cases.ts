/**
 * Lifecycle vectors (docs/protocol.md §5.5.3): the transition table as data, and
 * supersession cases (a previous and a next attestation) with the field errors expected, written
 * here by hand.
 */
import { ALLOWED_TRANSITIONS, type AttestationPayload } from '../../../protocol/index.js';
import { exampleAttestation } from '../../../protocol/test-support/examples.js';

export interface SupersessionCase {
  readonly name: string;
  readonly previous: AttestationPayload;
  readonly next: AttestationPayload;
  /** `field: code`, in the order the rules are listed in §5.5.3. */
  readonly expect: readonly string[];
}

export function buildLifecycle(): {
  allowedTransitions: typeof ALLOWED_TRANSITIONS;
  supersession: SupersessionCase[];
} {
  const previous = exampleAttestation({ status: 'pending_appeal' });
  const next = (o: Partial<AttestationPayload>) =>
    exampleAttestation({
      id: '0190f1c2-3b4a-7c5d-8e6f-000000000002',
      supersedes: previous.id,
      issuedAt: '2023-12-01T00:00:00Z',
      ...o,
    });
  const c = (
    name: string,
    n: AttestationPayload,
    expect: string[],
    prev = previous,
  ): SupersessionCase => ({ name, previous: prev, next: n, expect });
  const retracted = exampleAttestation({
    status: 'retracted',
    supersedes: '0190f1c2-3b4a-7000-8000-000000000001',
  });
  return {
    allowedTransitions: ALLOWED_TRANSITIONS,
    supersession: [
      c('appeal decided: final', next({ status: 'final' }), []),
      c('appeal decided: overturned', next({ status: 'overturned' }), []),
      c(
        'dispute added, status restated',
        next({ status: 'pending_appeal', disputed: { since: '2023-11-02' } }),
        [],
      ),
      c('another agency', next({ issuer: 'NY0303000' }), ['issuer: not_allowed']),
      c('issued at the same second', next({ issuedAt: previous.issuedAt }), [
        'issuedAt: out_of_order',
      ]),
      c('names another predecessor', next({ supersedes: '0190f1c2-3b4a-7c5d-8e6f-000000000009' }), [
        'supersedes: mismatch',
      ]),
      c('back to notice_sent', next({ status: 'notice_sent' }), ['status: not_allowed']),
      c('pending appeal cannot expire', next({ status: 'expired' }), ['status: not_allowed']),
      c(
        'nothing follows a retraction',
        next({ supersedes: retracted.id, status: 'final' }),
        ['status: not_allowed'],
        retracted,
      ),
    ],
  };
}
