import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../crypto/encoding.js';
import { generateKeyPair } from '../../crypto/oprf/index.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { seededRng, settableClock, signingKeyFor } from '../clients/test-support/deterministic.js';
import {
  agencyEntry,
  clientDeps,
  routedFetch,
  type TestAgency,
} from '../clients/test-support/federation.js';
import { keyholderFederation } from '../clients/test-support/keyholder-federation.js';
import { createKeyholderSet, pinnedKeySetOf, type KeyholderSetConfig } from './keyholder-set.js';
import { TokenizeError } from './tokenize-error.js';
import { tokenizeIdentities } from './tokenize.js';

const clock = settableClock('2025-03-01T12:00:00Z');
let agency: TestAgency;
let registry: RegistryEntry[];

beforeAll(async () => {
  const key = await signingKeyFor('city-2');
  agency = { key, entry: agencyEntry('WA0170000', 'Example City Police', key) };
  registry = [agency.entry];
});

function setup(threshold: number, total: number, config: Partial<KeyholderSetConfig> = {}) {
  const fed = keyholderFederation({ threshold, total, registry: () => registry, now: clock.now });
  const set = createKeyholderSet(
    { urls: fed.urls, ...config },
    clientDeps(agency, routedFetch(fed.apps), clock.now),
  );
  return { fed, set };
}

async function failure(promise: Promise<unknown>): Promise<TokenizeError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TokenizeError);
  return e as TokenizeError;
}

const other = () => toBase64url(generateKeyPair(1, seededRng('other-key')).publicKey);

describe('keys fetched from the keyholders', () => {
  it('are assembled into the dealt key set and verified', async () => {
    const { fed, set } = setup(2, 3);
    const { keySet, source } = await set.keySet();
    expect(source).toBe('fetched');
    expect(pinnedKeySetOf(keySet)).toEqual(pinnedKeySetOf(fed.keySet));
  });

  it('are read once and then held: a key published later is not followed', async () => {
    const { fed, set } = setup(1, 1);
    const first = await set.keySet();
    fed.keyholders[0]!.keysBody.keys[0]!.publicKey = other();
    fed.keyholders[0]!.keysBody.keys[0]!.groupPublicKey = other();
    expect(await set.keySet()).toBe(first);
    expect(fed.keyholders[0]!.keysReads).toBe(1);
  });

  it('use the newest epoch active at every keyholder unless one is configured', async () => {
    const { fed, set } = setup(1, 1);
    fed.keyholders[0]!.keysBody.keys.push({
      ...fed.keyholders[0]!.keysBody.keys[0]!,
      epoch: 2,
      status: 'retired',
    });
    expect((await set.keySet()).keySet.epoch).toBe(1);
    const pinnedToTwo = setup(1, 1, { epoch: 2 });
    expect((await failure(pinnedToTwo.set.keySet())).code).toBe('KEYHOLDER_KEYS_INCONSISTENT');
  });

  it('use the newest epoch the hub also serves, when told what it serves', async () => {
    // Epoch 2 is open at the keyholder (published with epoch 1's key, which is enough here: the
    // epoch chosen is what is tested) before the hub accepts it.
    const withTwo = (f: ReturnType<typeof setup>['fed']) =>
      f.keyholders[0]!.keysBody.keys.push({ ...f.keyholders[0]!.keysBody.keys[0]!, epoch: 2 });
    let served = [1];
    const early = setup(1, 1, { servedEpochs: () => Promise.resolve(served) });
    withTwo(early.fed);
    expect(early.set.knownEpoch()).toBeUndefined();
    expect((await early.set.keySet()).keySet.epoch).toBe(1);
    expect(early.set.knownEpoch()).toBe(1);

    served = [1, 2];
    const later = setup(1, 1, { servedEpochs: () => Promise.resolve(served) });
    withTwo(later.fed);
    expect((await later.set.keySet()).keySet.epoch).toBe(2);

    served = [3];
    const none = setup(1, 1, { servedEpochs: () => Promise.resolve(served) });
    expect(await failure(none.set.keySet())).toMatchObject({
      code: 'KEYHOLDER_KEYS_INCONSISTENT',
      field: 'epoch',
    });
  });

  it('are refused when keyholders disagree on the epoch, the group key, t or the shares', async () => {
    const cases: [string, (f: ReturnType<typeof setup>['fed']) => void][] = [
      ['epoch', (f) => (f.keyholders[1]!.keysBody.keys[0]!.epoch = 2)],
      ['groupPublicKey', (f) => (f.keyholders[2]!.keysBody.keys[0]!.groupPublicKey = other())],
      ['threshold', (f) => (f.keyholders[0]!.keysBody.keys[0]!.threshold = 3)],
      ['total', (f) => f.keyholders.forEach((k) => (k.keysBody.keys[0]!.total = 4))],
      ['total', (f) => (f.keyholders[1]!.keysBody.keys[0]!.total = 2)],
      ['shareIndex', (f) => (f.keyholders[2]!.keysBody.keys[0]!.shareIndex = 1)],
      ['keySet.publicShares[2]', (f) => (f.keyholders[2]!.keysBody.keys[0]!.publicKey = other())],
    ];
    for (const [field, spoil] of cases) {
      const { fed, set } = setup(2, 3);
      spoil(fed);
      const e = await failure(set.keySet());
      expect([e.code, e.field]).toEqual(['KEYHOLDER_KEYS_INCONSISTENT', field]);
    }
  });

  it("take t from the chosen epoch's own record, not from the newest epoch's", async () => {
    // Epoch 1 is 2-of-3; epoch 2, dealt later to the same keyholders, is 3-of-3.
    const epoch2 = keyholderFederation({
      threshold: 3,
      total: 3,
      epoch: 2,
      seedLabel: 'epoch-2',
      registry: () => registry,
      now: clock.now,
    });
    const twoEpochs = (config: Partial<KeyholderSetConfig>) => {
      const { fed, set } = setup(2, 3, config);
      fed.keyholders.forEach((k, i) => {
        k.keysBody.keys.push(epoch2.keyholders[i]!.keysBody.keys[0]!);
        k.keysBody.threshold = 3; // the top level describes the newest active epoch
      });
      return { fed, set };
    };
    const first = twoEpochs({ epoch: 1 });
    expect(pinnedKeySetOf((await first.set.keySet()).keySet)).toEqual(
      pinnedKeySetOf(first.fed.keySet),
    );
    const newest = twoEpochs({});
    expect(pinnedKeySetOf((await newest.set.keySet()).keySet)).toEqual(
      pinnedKeySetOf(epoch2.keySet),
    );
  });

  it('are unavailable, retryably, while a keyholder is down, and fetched again later', async () => {
    const { fed, set } = setup(2, 3);
    fed.keyholders[2]!.behaviour = 'unavailable';
    const e = await failure(set.keySet());
    expect([e.code, e.retryable, e.failures[0]?.url]).toEqual([
      'KEYHOLDER_KEYS_UNAVAILABLE',
      true,
      fed.urls[2],
    ]);
    fed.keyholders[2]!.behaviour = 'ok';
    expect((await set.keySet()).source).toBe('fetched');
  });
});

describe('a pinned key set', () => {
  it('is used without reading /v1/keys', async () => {
    const fed0 = keyholderFederation({
      threshold: 2,
      total: 3,
      registry: () => registry,
      now: clock.now,
    });
    const { fed, set } = setup(2, 3, { pinned: pinnedKeySetOf(fed0.keySet) });
    expect((await set.keySet()).source).toBe('pinned');
    const result = await tokenizeIdentities(
      [{ firstName: 'Ann', lastName: 'Lee', ssn: '123456789' }],
      {
        keyholders: set,
        rng: seededRng('blinds'),
        asOf: clock.now(),
      },
    );
    expect(result.identities[0]).toEqual({
      ok: true,
      keys: [expect.objectContaining({ index: fed.expectedIndex('SPX1|ssn|123456789') })],
    });
    expect(fed.keyholders.map((k) => k.keysReads)).toEqual([0, 0, 0]);
  });

  it('refuses keyholders whose answers are under another key than the pinned one', async () => {
    const foreign = keyholderFederation({
      threshold: 1,
      total: 1,
      registry: () => registry,
      now: clock.now,
      seedLabel: 'another-operator',
    });
    const { set } = setup(1, 1, { pinned: pinnedKeySetOf(foreign.keySet) });
    const e = await failure(
      tokenizeIdentities([{ firstName: 'Ann', lastName: 'Lee', ssn: '123456789' }], {
        keyholders: set,
        rng: seededRng('blinds'),
        asOf: clock.now(),
      }),
    );
    expect([e.code, e.failures[0]?.code]).toEqual([
      'KEYHOLDER_ANSWER_INVALID',
      'OPRF_PROOF_INVALID',
    ]);
  });

  it('must be consistent and fit the configured URLs', () => {
    const fed = keyholderFederation({
      threshold: 2,
      total: 3,
      registry: () => registry,
      now: clock.now,
    });
    const pinned = pinnedKeySetOf(fed.keySet);
    const deps = clientDeps(agency, routedFetch({}), clock.now);
    const bad: [KeyholderSetConfig, string][] = [
      [{ urls: [] }, 'urls'],
      [{ urls: [fed.urls[0]!, fed.urls[0]!] }, 'urls'],
      // One keyholder spelt twice: one audience, so one keyholder (§7.2.1).
      [{ urls: [fed.urls[0]!, `${fed.urls[0]!.toUpperCase()}:80/`] }, 'urls'],
      [{ urls: [fed.urls[0]!, `${fed.urls[1]!}/?x=1`] }, 'urls[1]'],
      [{ urls: [fed.urls[0]!], pinned }, 'urls'],
      [{ urls: fed.urls, pinned, epoch: 2 }, 'epoch'],
      [{ urls: fed.urls, pinned: { ...pinned, publicKey: other() } }, 'keySet.publicKey'],
      [{ urls: fed.urls, pinned: { ...pinned, publicKey: 'not base64!' } }, 'pinned.publicKey'],
    ];
    for (const [config, field] of bad) {
      let caught: unknown;
      try {
        createKeyholderSet(config, deps);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TokenizeError);
      expect([(caught as TokenizeError).code, (caught as TokenizeError).field]).toEqual([
        'KEYHOLDER_CONFIG_INVALID',
        field,
      ]);
    }
  });
});
