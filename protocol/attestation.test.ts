import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCH_KEY_KINDS } from '../crypto/match-key-kind.js';
import { toBase64url } from '../crypto/encoding.js';
import {
  ATTESTATION_STATUSES,
  AttestationPayloadSchema,
  MAX_ATTESTATION_KEYS,
  NOTIFIED_REQUIRED_STATUSES,
  SUPERSEDING_ONLY_STATUSES,
  type AttestationPayload,
} from './attestation.js';
import { CATEGORIES } from './categories.js';
import { MAX_EPOCH } from './common.js';
import { decodeJson, encodeMessage } from './decode.js';
import { EXAMPLE_IDS, exampleAttestation, exampleB64 } from './test-support/examples.js';
import { decodeOutcome, rejected } from './outcome.js';
import { newStatementId } from './statement-id.js';

const outcome = (input: unknown) => decodeOutcome(AttestationPayloadSchema, input);
const att = exampleAttestation;
const ok = { ok: true };
const invalid = (...errors: string[]) => rejected('VALIDATION_FAILED', ...errors);

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** Valid attestations: four ordered dates, a status, and the flags each status allows. */
const arbAttestation: fc.Arbitrary<AttestationPayload> = fc
  .record({
    start: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) }),
    gaps: fc.tuple(fc.nat(2000), fc.nat(400), fc.nat(400), fc.nat(86_399)),
    idRandom: fc.uint8Array({ minLength: 10, maxLength: 10 }),
    keys: fc.uniqueArray(
      fc.record({
        kind: fc.constantFrom(...MATCH_KEY_KINDS),
        index: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toBase64url),
      }),
      { minLength: 1, maxLength: MAX_ATTESTATION_KEYS, selector: (k) => k.index },
    ),
    status: fc.constantFrom(...ATTESTATION_STATUSES),
    category: fc.constantFrom(...CATEGORIES),
    useOfForce: fc.boolean(),
    notified: fc.boolean(),
    disputed: fc.boolean(),
    localRef: fc.option(fc.constantFrom('IA-2023-0042', 'case:17', 'x'), { nil: null }),
    epoch: fc.integer({ min: 1, max: MAX_EPOCH }),
  })
  .map((r) => {
    const event = r.start;
    const outcome = event + r.gaps[0] * DAY;
    const status = outcome + r.gaps[1] * DAY;
    const issued = status + r.gaps[2] * DAY + r.gaps[3] * 1000;
    const strongKey = { kind: 'ssn' as const, index: exampleB64(`strong/${r.keys.length}`, 32) };
    const keys = r.keys.some((k) => k.kind !== 'last_dob')
      ? r.keys
      : [...r.keys.slice(0, MAX_ATTESTATION_KEYS - 1), strongKey];
    const id = newStatementId(issued, () => r.idRandom);
    return {
      v: 1,
      id,
      issuer: 'TX2270100',
      tokens: { epoch: r.epoch, keys },
      categoryList: 1,
      category: r.category,
      useOfForce: r.category === 'civil_judgment_use_of_force' ? true : r.useOfForce,
      eventDate: day(event),
      outcomeDate: day(outcome),
      status: r.status,
      statusDate: day(status),
      notified: NOTIFIED_REQUIRED_STATUSES.includes(r.status) ? true : r.notified,
      disputed: r.disputed ? { since: day(status) } : null,
      supersedes: SUPERSEDING_ONLY_STATUSES.includes(r.status) ? EXAMPLE_IDS.superseded : null,
      localRef: r.localRef,
      issuedAt: new Date(Math.floor(issued / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    };
  });

describe('attestation payload', () => {
  it('accepts and round-trips any attestation that follows the rules', () => {
    fc.assert(
      fc.property(arbAttestation, (a) => {
        expect(outcome(a)).toEqual(ok);
        expect(
          decodeJson(AttestationPayloadSchema, encodeMessage(AttestationPayloadSchema, a)),
        ).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects unknown members and missing ones', () => {
    expect(outcome({ ...att(), officerName: 'x' })).toEqual(invalid('officerName: unknown_field'));
    const { notified: _n, ...rest } = att();
    expect(outcome(rest)).toEqual(invalid('notified: required'));
  });

  it('rejects an unknown protocol version or category list before anything else', () => {
    expect(outcome({ ...att(), v: 2, newField: 1 })).toEqual(
      rejected('UNSUPPORTED_VERSION', 'v: unsupported_version'),
    );
    expect(outcome({ ...att(), categoryList: 2, category: 'chokehold' })).toEqual(
      rejected('UNSUPPORTED_CATEGORY_LIST', 'categoryList: unsupported_category_list'),
    );
    expect(outcome({ ...att(), category: 'chokehold' })).toEqual(
      invalid('category: invalid_value'),
    );
  });

  describe('tokens', () => {
    const keys = att().tokens.keys;
    it('refuses an epoch above 2^31-1, which no service column can hold, naming the field', () => {
      expect(outcome(att({ tokens: { epoch: 2 ** 31, keys } }))).toEqual(
        invalid('tokens.epoch: too_big'),
      );
      expect(outcome(att({ tokens: { epoch: 2 ** 31 - 1, keys } }))).toEqual(ok);
    });

    it('refuses a repeated hub index', () => {
      const dup = [keys[0]!, keys[1]!, { kind: 'license' as const, index: keys[0]!.index }];
      expect(outcome(att({ tokens: { epoch: 1, keys: dup } }))).toEqual(
        invalid('tokens.keys[2].index: duplicate'),
      );
    });

    it('refuses an attestation identifiable only by weak keys', () => {
      expect(outcome(att({ tokens: { epoch: 1, keys: [keys[2]!] } }))).toEqual(
        invalid('tokens.keys: not_allowed'),
      );
    });

    it('bounds the number of keys to 1..32', () => {
      const many = Array.from({ length: MAX_ATTESTATION_KEYS + 1 }, (_, i) => ({
        kind: 'name_dob' as const,
        index: exampleB64(`k${i}`, 32),
      }));
      expect(outcome(att({ tokens: { epoch: 1, keys: many } }))).toEqual(
        invalid('tokens.keys: too_many'),
      );
      expect(outcome(att({ tokens: { epoch: 1, keys: [] } }))).toEqual(
        invalid('tokens.keys: too_few'),
      );
      expect(outcome(att({ tokens: { epoch: 1, keys: many.slice(1) } }))).toEqual(ok);
    });

    it('refuses an unknown kind', () => {
      expect(
        outcome({ ...att(), tokens: { epoch: 1, keys: [{ kind: 'dl', index: keys[0]!.index }] } }),
      ).toEqual(invalid('tokens.keys[0].kind: invalid_value'));
    });
  });

  describe('dates', () => {
    it('requires eventDate ≤ outcomeDate ≤ statusDate ≤ the day of issuedAt', () => {
      expect(outcome(att({ outcomeDate: '2023-04-01' }))).toEqual(
        invalid('outcomeDate: out_of_order'),
      );
      expect(outcome(att({ statusDate: '2023-09-13' }))).toEqual(
        invalid('statusDate: out_of_order'),
      );
      expect(outcome(att({ statusDate: '2023-11-03' }))).toEqual(
        invalid('statusDate: out_of_order'),
      );
      // All on the same day is fine.
      expect(
        outcome(
          att({ eventDate: '2023-11-02', outcomeDate: '2023-11-02', statusDate: '2023-11-02' }),
        ),
      ).toEqual(ok);
    });

    it('dates a dispute between the outcome and the statement', () => {
      expect(outcome(att({ disputed: { since: '2023-09-14' } }))).toEqual(ok);
      expect(outcome(att({ disputed: { since: '2023-09-13' } }))).toEqual(
        invalid('disputed.since: out_of_order'),
      );
      expect(outcome(att({ disputed: { since: '2023-11-03' } }))).toEqual(
        invalid('disputed.since: out_of_order'),
      );
      expect(outcome({ ...att(), disputed: true })).toEqual(invalid('disputed: invalid_type'));
    });
  });

  describe('fair process', () => {
    it('requires the notified affirmation for pending_appeal and final', () => {
      expect(outcome(att({ notified: false }))).toEqual(invalid('notified: not_allowed'));
      expect(outcome(att({ status: 'pending_appeal', notified: false }))).toEqual(
        invalid('notified: not_allowed'),
      );
      expect(outcome(att({ status: 'notice_sent', notified: false }))).toEqual(ok);
    });

    it('lets overturned, retracted and expired only supersede an earlier statement', () => {
      for (const status of ['overturned', 'retracted', 'expired'] as const) {
        expect(outcome(att({ status }))).toEqual(invalid('supersedes: not_allowed'));
        expect(outcome(att({ status, supersedes: EXAMPLE_IDS.superseded }))).toEqual(ok);
      }
    });

    it('refuses a statement that supersedes itself', () => {
      expect(outcome(att({ supersedes: att().id }))).toEqual(invalid('supersedes: not_allowed'));
    });
  });

  it('requires use of force for a civil judgment for improper use of force', () => {
    expect(outcome(att({ category: 'civil_judgment_use_of_force', useOfForce: false }))).toEqual(
      invalid('useOfForce: mismatch'),
    );
    expect(outcome(att({ category: 'suspension', useOfForce: false }))).toEqual(ok);
  });

  it('keeps localRef opaque and bounded', () => {
    expect(outcome(att({ localRef: null }))).toEqual(ok);
    expect(outcome(att({ localRef: 'SMITH JOHN' }))).toEqual(invalid('localRef: invalid_format'));
    expect(outcome(att({ localRef: '078-05-1120' }))).toEqual(invalid('localRef: not_allowed'));
    expect(outcome(att({ localRef: 'r'.repeat(65) }))).toEqual(invalid('localRef: too_long'));
  });

  it('requires a lower-case UUIDv7 id and an ORI issuer', () => {
    expect(outcome(att({ id: att().id.toUpperCase() }))).toEqual(invalid('id: invalid_format'));
    expect(outcome(att({ issuer: 'CA019420' }))).toEqual(invalid('issuer: too_short'));
  });
});
