/**
 * Lifecycle vectors (docs/protocol.md §5.5.3): the transition table as data, and
 * supersession cases (a previous and a next attestation) with the field errors expected and
 * whether the next one is a re-statement under a newer epoch, written here by hand.
 */
import { ALLOWED_TRANSITIONS, type AttestationPayload } from '../../../protocol/index.js';
import { exampleAttestation, exampleB64 } from '../../../protocol/test-support/examples.js';

export interface SupersessionCase {
  readonly name: string;
  readonly previous: AttestationPayload;
  readonly next: AttestationPayload;
  /** `field: code`, in the order the rules are listed in §5.5.3. */
  readonly expect: readonly string[];
  /** Whether `next` re-states `previous` (§5.5.3: only its tokens change, to a newer epoch). */
  readonly restatement: boolean;
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
  /** A successor that repeats the previous status. */
  const same = (o: Partial<AttestationPayload>) => next({ status: previous.status, ...o });
  const c = (
    name: string,
    n: AttestationPayload,
    expect: string[],
    prev = previous,
    restatement = false,
  ): SupersessionCase => ({ name, previous: prev, next: n, expect, restatement });
  // The same officer's hub indexes under epoch 2 (§4.8): other values, the same kinds.
  const epoch2 = {
    epoch: 2,
    keys: previous.tokens.keys.map((k, i) => ({
      kind: k.kind,
      index: exampleB64(`officer-a/epoch-2/${i}`, 32),
    })),
  };
  const restated = exampleAttestation({
    id: '0190f1c2-3b4a-7c5d-8e6f-000000000003',
    tokens: epoch2,
    status: 'pending_appeal',
    supersedes: '0190f1c2-3b4a-7000-8000-000000000001',
    issuedAt: '2024-01-01T00:00:00Z',
  });
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
      c('re-stated under a newer epoch', same({ tokens: epoch2 }), [], previous, true),
      c('restated unchanged under the same epoch', same({}), []),
      c('newer epoch and a new status', next({ tokens: epoch2, status: 'final' }), []),
      c(
        'newer epoch and a dispute added',
        same({ tokens: epoch2, disputed: { since: '2023-11-02' } }),
        [],
      ),
      c('newer epoch and another local reference', same({ tokens: epoch2, localRef: null }), []),
      c(
        'back to an older epoch',
        same({ supersedes: restated.id, issuedAt: '2024-02-01T00:00:00Z' }),
        ['tokens.epoch: out_of_order'],
        restated,
      ),
    ],
  };
}
