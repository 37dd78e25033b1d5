import { describe, expect, it } from 'vitest';
import {
  addMonths,
  affirmationValidUntil,
  BodyIdSchema,
  credentialValidUntil,
  CredentialPayloadSchema,
  dateInFuture,
  mandatoryMet,
  standardsMet,
  standardsProblem,
} from './credential.js';
import {
  CURRENT_STANDARDS_LIST_VERSION,
  mandatoryStandards,
  standardsList,
} from './credential-standards.js';

describe('standards list', () => {
  it('version 1 has exactly the two mandatory standards of EO 13929 sec. 2(b)', () => {
    const list = standardsList(CURRENT_STANDARDS_LIST_VERSION)!;
    expect(mandatoryStandards(list)).toEqual(['use_of_force_policy_lawful', 'chokehold_ban']);
    const ids = list.standards.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'de_escalation_training',
        'early_warning_system',
        'community_engagement',
        'co_responder_program',
      ]),
    );
  });
});

describe('validity', () => {
  it('adds calendar months, clamping to the month end', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
  });

  it('counts a credential 36 months and an affirmation 12 months from their day', () => {
    expect(credentialValidUntil('2026-05-14')).toBe('2029-05-14');
    expect(affirmationValidUntil('2026-05-14')).toBe('2027-05-14');
  });

  it('finds a date after today or after the signature', () => {
    expect(dateInFuture('2026-05-01', '2026-05-01T00:00:00Z', '2026-05-01')).toBeUndefined();
    expect(dateInFuture('2026-05-02', '2026-05-03T00:00:00Z', '2026-05-01')).toMatch(/after today/);
    expect(dateInFuture('2026-05-02', '2026-05-01T23:00:00Z', '2026-05-03')).toMatch(/signed/);
  });
});

describe('credential payload', () => {
  const payload = {
    v: 1,
    id: '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    body: 'calea',
    ori: 'CA0194200',
    standardsList: 1,
    standards: {
      use_of_force_policy_lawful: true,
      chokehold_ban: false,
      community_engagement: true,
    },
    assessedOn: '2026-04-20',
    issuedAt: '2026-05-01T12:00:00Z',
  };

  it('parses, and reads the standards met and whether the mandatory ones are', () => {
    const p = CredentialPayloadSchema.parse(payload);
    expect(standardsMet(p)).toEqual(['community_engagement', 'use_of_force_policy_lawful']);
    expect(mandatoryMet(p)).toBe(false);
    expect(mandatoryMet({ ...p, standards: { ...p.standards, chokehold_ban: true } })).toBe(true);
    expect(standardsProblem(p, 'credential')).toBeUndefined();
  });

  it('refuses a standard given as text, an upper-case body and an unknown member', () => {
    for (const bad of [
      { ...payload, standards: { chokehold_ban: 'yes' } },
      { ...payload, body: 'CALEA' },
      { ...payload, validUntil: '2029-04-20' },
    ]) {
      expect(CredentialPayloadSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('names unknown, missing mandatory and unsupported-list standards with their codes', () => {
    expect(standardsProblem({ standardsList: 9, standards: {} }, 'c')?.code).toBe(
      'UNSUPPORTED_STANDARDS_LIST',
    );
    expect(
      standardsProblem({ standardsList: 1, standards: { tasers: true } }, 'c')?.errors,
    ).toEqual([expect.objectContaining({ field: 'c.standards.tasers', code: 'invalid_value' })]);
    const missing = standardsProblem({ standardsList: 1, standards: { chokehold_ban: true } }, 'c');
    expect(missing?.code).toBe('MANDATORY_STANDARD_MISSING');
    expect(missing?.errors.map((e) => e.field)).toEqual(['c.standards.use_of_force_policy_lawful']);
  });
});

describe('body id', () => {
  it('is lower case, 3 to 32 characters, never an ORI', () => {
    expect(BodyIdSchema.safeParse('calea').success).toBe(true);
    expect(BodyIdSchema.safeParse('tx-tpcaf').success).toBe(true);
    for (const bad of ['CA0194200', 'ab', 'a-', '-ab', 'x'.repeat(33), 'caléa']) {
      expect(BodyIdSchema.safeParse(bad).success).toBe(false);
    }
  });
});
