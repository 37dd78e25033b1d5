import { describe, expect, it } from 'vitest';
import {
  credentialStandingOn,
  type StandingCredential,
  type StandingInputs,
} from './credential-standing-rules.js';

const ORI = 'CA0194200';
const MET = ['chokehold_ban', 'use_of_force_policy_lawful'];

function cred(id: string, assessedOn: string, patch: Partial<StandingCredential> = {}) {
  return {
    id,
    body: 'calea',
    ori: ORI,
    assessedOn,
    standards: MET,
    mandatoryMet: true,
    revokedOn: null,
    ...patch,
  };
}

function inputs(patch: Partial<StandingInputs> = {}): StandingInputs {
  return {
    ori: ORI,
    jurisdiction: 'local',
    credentials: [],
    affirmations: [],
    bodyInactiveSince: new Map([
      ['calea', null],
      ['old-body', '2026-01-01'],
    ]),
    ...patch,
  };
}

describe('credentialStandingOn', () => {
  it('is none with nothing on record', () => {
    expect(credentialStandingOn(inputs(), '2026-05-01')).toEqual({
      ori: ORI,
      standing: 'none',
      id: null,
      body: null,
      assessedOn: null,
      validUntil: null,
      mandatoryMet: null,
      standards: [],
    });
  });

  it('is credentialed by an assessment up to 36 months old, the newest named', () => {
    const i = inputs({ credentials: [cred('a', '2023-05-01'), cred('b', '2024-01-10')] });
    expect(credentialStandingOn(i, '2026-05-01')).toMatchObject({
      standing: 'credentialed',
      id: 'b',
      body: 'calea',
      validUntil: '2027-01-10',
      mandatoryMet: true,
      standards: MET,
    });
    const one = inputs({ credentials: [cred('a', '2023-05-01')] });
    expect(credentialStandingOn(one, '2026-05-01').standing).toBe('credentialed');
    expect(credentialStandingOn(one, '2026-05-02')).toMatchObject({
      standing: 'expired',
      id: 'a',
      validUntil: '2026-05-01',
    });
  });

  it('ignores a credential assessed after the day', () => {
    const i = inputs({ credentials: [cred('a', '2026-06-01')] });
    expect(credentialStandingOn(i, '2026-05-01').standing).toBe('none');
  });

  it('is revoked from the revocation day on, and before it credentialed', () => {
    const i = inputs({ credentials: [cred('a', '2025-01-01', { revokedOn: '2026-03-01' })] });
    expect(credentialStandingOn(i, '2026-02-28').standing).toBe('credentialed');
    expect(credentialStandingOn(i, '2026-03-01')).toMatchObject({ standing: 'revoked', id: 'a' });
  });

  it("counts a body's credentials only while the body is active", () => {
    const i = inputs({ credentials: [cred('a', '2025-06-01', { body: 'old-body' })] });
    expect(credentialStandingOn(i, '2025-12-31').standing).toBe('credentialed');
    expect(credentialStandingOn(i, '2026-01-01').standing).toBe('revoked');
    const unknown = inputs({ credentials: [cred('a', '2025-06-01', { body: 'ghost' })] });
    expect(credentialStandingOn(unknown, '2025-12-31').standing).toBe('revoked');
  });

  it('falls back on an older credential that still counts when the newest is revoked', () => {
    const i = inputs({
      credentials: [
        cred('old', '2024-06-01'),
        cred('new', '2025-06-01', { revokedOn: '2025-09-01' }),
      ],
    });
    expect(credentialStandingOn(i, '2026-01-01')).toMatchObject({
      standing: 'credentialed',
      id: 'old',
    });
  });

  it('is not credentialed by a credential whose mandatory standards are not both met', () => {
    const i = inputs({
      credentials: [cred('a', '2026-01-01', { mandatoryMet: false, standards: ['chokehold_ban'] })],
    });
    expect(credentialStandingOn(i, '2026-05-01')).toMatchObject({
      standing: 'none',
      id: 'a',
      mandatoryMet: false,
    });
  });

  it('is in_process for 12 months from an affirmation, then follows the rest', () => {
    const i = inputs({
      affirmations: [{ id: 'f', ori: ORI, affirmedOn: '2025-05-01' }],
      credentials: [cred('a', '2022-01-01')],
    });
    expect(credentialStandingOn(i, '2026-05-01')).toMatchObject({
      standing: 'in_process',
      id: 'f',
      body: null,
      assessedOn: '2025-05-01',
      validUntil: '2026-05-01',
      mandatoryMet: null,
    });
    expect(credentialStandingOn(i, '2026-05-02')).toMatchObject({ standing: 'expired', id: 'a' });
  });

  it('prefers a counting credential to an affirmation', () => {
    const i = inputs({
      affirmations: [{ id: 'f', ori: ORI, affirmedOn: '2026-01-01' }],
      credentials: [cred('a', '2026-02-01')],
    });
    expect(credentialStandingOn(i, '2026-05-01').standing).toBe('credentialed');
  });

  it('is exempt for a tribal agency without a counting credential, credentialed with one', () => {
    expect(credentialStandingOn(inputs({ jurisdiction: 'tribal' }), '2026-05-01').standing).toBe(
      'exempt',
    );
    const i = inputs({ jurisdiction: 'tribal', credentials: [cred('a', '2026-01-01')] });
    expect(credentialStandingOn(i, '2026-05-01').standing).toBe('credentialed');
  });

  it('reads only the agency asked about', () => {
    const i = inputs({ credentials: [cred('a', '2026-01-01', { ori: 'TX2270100' })] });
    expect(credentialStandingOn(i, '2026-05-01').standing).toBe('none');
  });
});
