import { beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../crypto/match-keys/index.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { seededRng, settableClock, signingKeyFor } from '../clients/test-support/deterministic.js';
import {
  agencyEntry,
  clientDeps,
  routedFetch,
  type TestAgency,
} from '../clients/test-support/federation.js';
import { keyholderFederation } from '../clients/test-support/keyholder-federation.js';
import { createKeyholderSet, pinnedKeySetOf } from './keyholder-set.js';
import { planBatches, tokenizeIdentities, type IdentityTokens } from './tokenize.js';

const clock = settableClock('2025-03-01T12:00:00Z');
let city: TestAgency;
let tribal: TestAgency;
let registry: RegistryEntry[];

beforeAll(async () => {
  const cityKey = await signingKeyFor('city');
  const tribalKey = await signingKeyFor('tribal');
  city = {
    key: cityKey,
    entry: agencyEntry('CA0194200', 'Example City Police Department', cityKey),
  };
  tribal = {
    key: tribalKey,
    entry: agencyEntry(
      'AZ0100300',
      'Example Nation Tribal Police',
      tribalKey,
      ['checker'],
      'tribal',
    ),
  };
  registry = [city.entry, tribal.entry];
});

function setup(threshold: number, total: number, pinned = false) {
  const fed = keyholderFederation({ threshold, total, registry: () => registry, now: clock.now });
  const tokenizer = (agency: TestAgency, label: string) => ({
    keyholders: createKeyholderSet(
      { urls: fed.urls, pinned: pinned ? pinnedKeySetOf(fed.keySet) : undefined },
      clientDeps(agency, routedFetch(fed.apps), clock.now),
    ),
    rng: seededRng(`blinds:${label}`),
    asOf: clock.now(),
  });
  return { fed, tokenizer };
}

/** The reporting city's record, and the same person as typed by a hiring tribal agency. */
const asReported: Identity = {
  firstName: 'José',
  lastName: 'Núñez-García',
  dob: '1984-07-09',
  ssn: '123-45-6789',
  license: { state: 'CA', number: '12-345 678' },
  aliases: [{ lastName: "O'Brien" }],
};
const asTypedElsewhere: Identity = {
  firstName: 'JOSE',
  lastName: 'nunez garcia jr.',
  dob: '1984-07-09',
  ssn: '123456789',
  license: { state: 'ca', number: '12345678' },
  aliases: [{ firstName: 'Jose', lastName: 'OBRIEN' }],
};

function keysOf(result: IdentityTokens) {
  if (!result.ok) throw new Error(`tokenization failed: ${JSON.stringify(result.errors)}`);
  return result.keys;
}

describe('tokenizeIdentities', () => {
  it('gives two agencies the same hub indexes for one person spelled differently (2-of-3)', async () => {
    const { tokenizer } = setup(2, 3);
    const reported = await tokenizeIdentities([asReported], tokenizer(city, 'a'));
    const checked = await tokenizeIdentities([asTypedElsewhere], tokenizer(tribal, 'b'));
    const a = keysOf(reported.identities[0]!);
    const b = keysOf(checked.identities[0]!);
    expect(a.map((k) => k.kind)).toEqual([
      'ssn',
      'license',
      'name_dob',
      'last_dob',
      'name_dob',
      'last_dob',
    ]);
    expect(b).toEqual(a);
    expect(reported.epoch).toBe(1);
  });

  it('yields exactly the whole-key VOPRF outputs through the hub-index KDF', async () => {
    const { fed, tokenizer } = setup(2, 3);
    const result = await tokenizeIdentities([asReported], tokenizer(city, 'c'));
    const expected = [
      'SPX1|ssn|123456789',
      'SPX1|license|CA|12345678',
      'SPX1|name_dob|NUNEZGARCIA|JOSE|1984-07-09',
      'SPX1|last_dob|NUNEZGARCIA|1984-07-09',
      'SPX1|name_dob|OBRIEN|JOSE|1984-07-09',
      'SPX1|last_dob|OBRIEN|1984-07-09',
    ].map((s) => fed.expectedIndex(s));
    expect(keysOf(result.identities[0]!).map((k) => k.index)).toEqual(expected);
  });

  it('gives another person no common hub index', async () => {
    const { tokenizer } = setup(1, 1);
    const result = await tokenizeIdentities(
      [asReported, { ...asTypedElsewhere, dob: '1984-07-10', ssn: '123456780', license: null }],
      tokenizer(city, 'd'),
    );
    const a = new Set(keysOf(result.identities[0]!).map((k) => k.index));
    expect(keysOf(result.identities[1]!).filter((k) => a.has(k.index))).toEqual([]);
  });

  it('returns no key string, identifier or OPRF output in its result', async () => {
    const { tokenizer } = setup(1, 1);
    const result = await tokenizeIdentities([asReported], tokenizer(city, 'e'));
    const text = JSON.stringify(result);
    for (const secret of ['SPX1|', '123456789', '12345678', 'NUNEZ', 'JOSE', '1984-07-09']) {
      expect(text).not.toContain(secret);
    }
    expect(Object.keys(keysOf(result.identities[0]!)[0]!).sort()).toEqual([
      'index',
      'kind',
      'source',
      'strength',
    ]);
  });

  it('reports a bad identity in its own slot and tokenizes the others', async () => {
    const { tokenizer } = setup(1, 1);
    const result = await tokenizeIdentities(
      [
        asReported,
        { firstName: 'J0hn', lastName: 'Smith', dob: '1980-02-30', ssn: '666-12-3456' },
        { firstName: 'Ann', lastName: 'Lee' },
        { firstName: 'Ann', lastName: 'Lee', dob: '1990-01-01', aliases: 'none' } as never,
        asTypedElsewhere,
      ],
      tokenizer(city, 'f'),
    );
    const [first, bad, noKeys, malformed, last] = result.identities;
    expect(bad).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ code: 'NAME_DIGIT', field: 'firstName' }),
        expect.objectContaining({ code: 'DOB_INVALID_DATE', field: 'dob' }),
        expect.objectContaining({ code: 'SSN_INVALID_AREA', field: 'ssn' }),
      ],
    });
    expect(noKeys).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'IDENTITY_NO_KEYS' })],
    });
    expect(malformed).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'IDENTITY_MALFORMED' })],
    });
    expect(keysOf(last!)).toEqual(keysOf(first!));
  });

  it('refuses an identity with more keys than an attestation may carry', async () => {
    const { tokenizer } = setup(1, 1);
    const aliases = Array.from({ length: 20 }, (_, i) => ({
      lastName: `Name${'abcdefghijklmnopqrst'[i]}`,
    }));
    const result = await tokenizeIdentities(
      [{ firstName: 'Ann', lastName: 'Lee', dob: '1990-01-01', aliases }],
      tokenizer(city, 'g'),
    );
    expect(result.identities[0]).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'IDENTITY_TOO_MANY_KEYS', field: 'aliases' })],
    });
  });

  it('sends batches of at most 256 keys without splitting an identity, and reports progress', async () => {
    const { fed, tokenizer } = setup(1, 1);
    // Each identity yields 3 keys (ssn, name_dob, last_dob): 85 fit in one batch of 255.
    const people: Identity[] = Array.from({ length: 100 }, (_, i) => ({
      firstName: 'Ann',
      lastName: 'Lee',
      dob: '1990-01-01',
      ssn: `123-45-${String(1000 + i)}`,
    }));
    const progress: number[] = [];
    const result = await tokenizeIdentities(people, {
      ...tokenizer(city, 'h'),
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(fed.keyholders[0]!.batches).toEqual([255, 45]);
    expect(progress).toEqual([0.85, 1]);
    expect(result.identities.every((r) => r.ok && r.keys.length === 3)).toBe(true);
    const ssnIndexes = new Set(result.identities.map((r) => keysOf(r)[0]!.index));
    expect(ssnIndexes.size).toBe(100);
  });
});

describe('planBatches', () => {
  it('fills batches in order up to the limit and skips identities without keys', () => {
    expect(planBatches([3, 0, 3, 3, 2], 6)).toEqual([
      [0, 2],
      [3, 4],
    ]);
    expect(planBatches([6, 1, 5, 6], 6)).toEqual([[0], [1, 2], [3]]);
    expect(planBatches([0, 0])).toEqual([]);
  });
});
