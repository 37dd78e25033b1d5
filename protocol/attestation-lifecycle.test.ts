import { describe, expect, it } from 'vitest';
import { ATTESTATION_STATUSES, type AttestationPayload } from './attestation.js';
import {
  ALLOWED_TRANSITIONS,
  assertSupersession,
  isAllowedTransition,
  isRestatement,
  issuedAtErrors,
  MAX_ISSUED_AT_SKEW_SECONDS,
  supersessionErrors,
} from './attestation-lifecycle.js';
import { isProtocolError } from './decode.js';
import { exampleAttestation } from './test-support/examples.js';

const codes = (errors: { field: string; code: string }[]) =>
  errors.map((e) => `${e.field}: ${e.code}`);

describe('status transitions', () => {
  it('follow notice_sent → pending_appeal → final, with overturned, retracted and expired', () => {
    expect(isAllowedTransition('notice_sent', 'pending_appeal')).toBe(true);
    expect(isAllowedTransition('pending_appeal', 'final')).toBe(true);
    expect(isAllowedTransition('notice_sent', 'final')).toBe(true);
    expect(isAllowedTransition('final', 'overturned')).toBe(true);
    expect(isAllowedTransition('overturned', 'retracted')).toBe(true);
    expect(isAllowedTransition('final', 'expired')).toBe(true);
  });

  it('never leave retracted or expired, and never expire a record that was not final', () => {
    for (const to of ATTESTATION_STATUSES) {
      expect(isAllowedTransition('retracted', to)).toBe(false);
      expect(isAllowedTransition('expired', to)).toBe(false);
    }
    expect(isAllowedTransition('notice_sent', 'expired')).toBe(false);
    expect(isAllowedTransition('pending_appeal', 'expired')).toBe(false);
    expect(isAllowedTransition('pending_appeal', 'notice_sent')).toBe(false);
  });

  it('allow every non-terminal status to be restated and retracted', () => {
    for (const s of ATTESTATION_STATUSES) {
      const terminal = ALLOWED_TRANSITIONS[s].length === 0;
      expect(terminal).toBe(s === 'retracted' || s === 'expired');
      if (!terminal) {
        expect(isAllowedTransition(s, s)).toBe(true);
        expect(isAllowedTransition(s, 'retracted')).toBe(true);
      }
    }
  });
});

describe('supersession', () => {
  const previous = exampleAttestation({ status: 'pending_appeal' });
  const next = (o: Partial<AttestationPayload> = {}) =>
    exampleAttestation({
      id: '0190f1c2-3b4a-7c5d-8e6f-000000000002',
      supersedes: previous.id,
      issuedAt: '2023-12-01T00:00:00Z',
      ...o,
    });

  it('accepts a later statement by the same agency with an allowed status', () => {
    expect(supersessionErrors(previous, next())).toEqual([]);
    expect(() => assertSupersession(previous, next())).not.toThrow();
  });

  it('refuses another agency, an earlier or equal issuedAt, a wrong link and a forbidden transition', () => {
    expect(codes(supersessionErrors(previous, next({ issuer: 'NY0303000' })))).toEqual([
      'issuer: not_allowed',
    ]);
    expect(codes(supersessionErrors(previous, next({ issuedAt: previous.issuedAt })))).toEqual([
      'issuedAt: out_of_order',
    ]);
    expect(codes(supersessionErrors(previous, next({ supersedes: null })))).toEqual([
      'supersedes: mismatch',
    ]);
    expect(codes(supersessionErrors(previous, next({ status: 'notice_sent' })))).toEqual([
      'status: not_allowed',
    ]);
    const retracted = exampleAttestation({
      status: 'retracted',
      supersedes: '0190f1c2-3b4a-7000-8000-000000000001',
    });
    expect(codes(supersessionErrors(retracted, next({ supersedes: retracted.id })))).toEqual([
      'status: not_allowed',
    ]);
  });

  it('lets a chain move to a newer epoch, never back to an older one', () => {
    const epoch = (n: number) => ({ ...previous.tokens, epoch: n });
    const atTwo = { ...previous, tokens: epoch(2) };
    expect(supersessionErrors(previous, next({ tokens: epoch(2) }))).toEqual([]);
    expect(codes(supersessionErrors(atTwo, next({ supersedes: atTwo.id })))).toEqual([
      'tokens.epoch: out_of_order',
    ]);
  });

  it('calls a successor a re-statement only when it changes nothing but its tokens, to a newer epoch', () => {
    const same = (o: Partial<AttestationPayload>) => next({ status: previous.status, ...o });
    const newer = { ...previous.tokens, epoch: 2 };
    expect(isRestatement(previous, same({ tokens: newer }))).toBe(true);
    expect(isRestatement(previous, same({}))).toBe(false);
    expect(isRestatement(previous, same({ tokens: newer, statusDate: '2023-11-02' }))).toBe(false);
    expect(
      isRestatement(previous, same({ tokens: newer, disputed: { since: '2023-11-02' } })),
    ).toBe(false);
    expect(isRestatement(previous, same({ tokens: newer, supersedes: null }))).toBe(false);
  });

  it('throws SUPERSESSION_INVALID with the field errors', () => {
    try {
      assertSupersession(previous, next({ issuer: 'NY0303000' }));
      expect.unreachable();
    } catch (e) {
      expect(isProtocolError(e) && e.code).toBe('SUPERSESSION_INVALID');
      expect(isProtocolError(e) && e.field).toBe('issuer');
    }
  });
});

describe('issuedAt against the receiver’s clock', () => {
  const a = exampleAttestation();
  const issued = Date.parse(a.issuedAt);

  it('tolerates the allowed skew and refuses statements further in the future', () => {
    expect(issuedAtErrors(a, new Date(issued - MAX_ISSUED_AT_SKEW_SECONDS * 1000))).toEqual([]);
    expect(
      codes(issuedAtErrors(a, new Date(issued - MAX_ISSUED_AT_SKEW_SECONDS * 1000 - 1000))),
    ).toEqual(['issuedAt: not_allowed']);
    expect(issuedAtErrors(a, new Date(issued + 10 * 365 * 86_400_000))).toEqual([]);
    expect(codes(issuedAtErrors(a, new Date(issued - 1000), 0))).toEqual(['issuedAt: not_allowed']);
  });
});
