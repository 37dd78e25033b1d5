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
import { TokenizeError } from './tokenize-error.js';
import { tokenizeIdentities } from './tokenize.js';

const clock = settableClock('2025-03-01T12:00:00Z');
let agency: TestAgency;
let registry: RegistryEntry[];

beforeAll(async () => {
  const key = await signingKeyFor('state-board');
  agency = {
    key,
    entry: agencyEntry('NM0010000', 'State Standards Board', key, ['reporter'], 'state'),
  };
  registry = [agency.entry];
});

const person: Identity = {
  firstName: 'Ann',
  lastName: 'Lee',
  dob: '1990-01-01',
  ssn: '123-45-6789',
};
const expectedStrings = [
  'SPX1|ssn|123456789',
  'SPX1|name_dob|LEE|ANN|1990-01-01',
  'SPX1|last_dob|LEE|1990-01-01',
];

/** Keyholder i (1-based) of the federation can be taken off the network entirely. */
function setup(threshold: number, total: number, offline: number[] = []) {
  const fed = keyholderFederation({ threshold, total, registry: () => registry, now: clock.now });
  const apps = { ...fed.apps };
  for (const i of offline) delete apps[fed.urls[i - 1]!];
  const deps = {
    keyholders: createKeyholderSet(
      { urls: fed.urls, pinned: pinnedKeySetOf(fed.keySet) },
      clientDeps(agency, routedFetch(apps), clock.now),
    ),
    rng: seededRng('blinds'),
    asOf: clock.now(),
  };
  return { fed, deps, expected: expectedStrings.map((s) => fed.expectedIndex(s)) };
}

async function failure(promise: Promise<unknown>): Promise<TokenizeError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TokenizeError);
  return e as TokenizeError;
}

const indexesOf = (r: Awaited<ReturnType<typeof tokenizeIdentities>>) =>
  r.identities.map((i) => (i.ok ? i.keys.map((k) => k.index) : i.errors));

describe('t-of-n keyholders', () => {
  it('tokenizes with one keyholder of three down, asking the next one instead', async () => {
    const { fed, deps, expected } = setup(2, 3, [1]);
    const result = await tokenizeIdentities([person], deps);
    expect(indexesOf(result)).toEqual([expected]);
    expect(fed.keyholders.map((k) => k.batches.length)).toEqual([0, 1, 1]);
    expect(result.setAside).toEqual([]);
  });

  it('tokenizes with a keyholder answering 503', async () => {
    const { fed, deps, expected } = setup(2, 3);
    fed.keyholders[1]!.behaviour = 'unavailable';
    expect(indexesOf(await tokenizeIdentities([person], deps))).toEqual([expected]);
  });

  it('fails retryably when fewer than t keyholders can answer', async () => {
    const { fed, deps } = setup(2, 3, [1]);
    fed.keyholders[2]!.behaviour = 'unavailable';
    const e = await failure(tokenizeIdentities([person], deps));
    expect(e.code).toBe('KEYHOLDER_UNAVAILABLE');
    expect(e.failures.map((f) => [f.url, f.code])).toEqual([
      [fed.urls[0], 'NETWORK_ERROR'],
      [fed.urls[2], 'UNAVAILABLE'],
    ]);
    expect([e.retryable, e.retryAfterSeconds]).toEqual([true, 7]);
    // The message names each refusal, not only the count.
    expect(e.message).toBe(
      `1 of the 2 keyholder answers needed (${fed.urls[0]}: NETWORK_ERROR; ${fed.urls[2]}: UNAVAILABLE)`,
    );
  });

  it('sets aside a keyholder whose proof fails, reports it, and combines the others', async () => {
    const { fed, deps, expected } = setup(2, 3);
    fed.keyholders[0]!.behaviour = 'bad-proof';
    const result = await tokenizeIdentities([person, person], { ...deps, batchSize: 3 });
    expect(new Set(indexesOf(result).map((x) => JSON.stringify(x)))).toEqual(
      new Set([JSON.stringify(expected)]),
    );
    expect(result.setAside).toEqual([
      expect.objectContaining({ url: fed.urls[0], code: 'OPRF_SHARE_INVALID', field: 'proof' }),
    ]);
    // Asked once, then never again in this run.
    expect(fed.keyholders.map((k) => k.batches.length)).toEqual([1, 2, 2]);
  });

  it('fails without using any output when a bad proof leaves fewer than t answers', async () => {
    // Keyholder 2 answers falsely and is set aside; 1 answered well and 3 may come back, so a
    // later run can still reach t: the failure is retryable, the false keyholder is not used.
    const { fed, deps } = setup(2, 3, [3]);
    fed.keyholders[1]!.behaviour = 'wrong-key';
    const e = await failure(tokenizeIdentities([person], deps));
    expect(e.code).toBe('KEYHOLDER_ANSWER_INVALID');
    expect(e.failures.map((f) => f.code).sort()).toEqual(['NETWORK_ERROR', 'OPRF_SHARE_INVALID']);
    expect(e.retryable).toBe(true);
  });

  it('is final when the keyholders still reachable cannot reach t', async () => {
    const { fed, deps } = setup(2, 2);
    fed.keyholders[1]!.behaviour = 'bad-proof';
    const e = await failure(tokenizeIdentities([person], deps));
    expect([e.code, e.retryable]).toEqual(['KEYHOLDER_ANSWER_INVALID', false]);
  });

  it('does not count two URLs serving one share twice towards t', async () => {
    const fed = keyholderFederation({
      threshold: 2,
      total: 3,
      registry: () => registry,
      now: clock.now,
    });
    const alias = 'http://keyholder-1-again.test';
    // Keyholder 1 is reached at a second URL too, and answers to both (§7.2.1).
    fed.keyholders[0]!.audiences.push(alias);
    const deps = {
      keyholders: createKeyholderSet(
        { urls: [fed.urls[0]!, alias], pinned: pinnedKeySetOf(fed.keySet) },
        clientDeps(
          agency,
          routedFetch({ ...fed.apps, [alias]: fed.keyholders[0]!.app }),
          clock.now,
        ),
      ),
      rng: seededRng('blinds'),
      asOf: clock.now(),
    };
    const e = await failure(tokenizeIdentities([person], deps));
    expect(e.failures).toEqual([
      expect.objectContaining({ url: alias, code: 'OPRF_SHARE_INVALID', field: 'shareIndex' }),
    ]);
  });
});

describe('request tokens to a keyholder set', () => {
  /** The claims of the request token a captured request carries. */
  const claimsOf = (init: RequestInit) => {
    const token = new Headers(init.headers).get('authorization')!.replace(/^SPX /, '');
    return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      aud: string;
      jti: string;
    };
  };

  it('are one per keyholder, each addressed to the keyholder it is sent to and spendable there only', async () => {
    const fed = keyholderFederation({
      threshold: 3,
      total: 3,
      registry: () => registry,
      now: clock.now,
    });
    const sent: { url: URL; init: RequestInit }[] = [];
    const routed = routedFetch(fed.apps);
    const capturing = ((input: string, init: RequestInit) => {
      sent.push({ url: new URL(input), init });
      return routed(input, init);
    }) as typeof fetch;
    const deps = {
      keyholders: createKeyholderSet(
        { urls: fed.urls, pinned: pinnedKeySetOf(fed.keySet) },
        clientDeps(agency, capturing, clock.now),
      ),
      rng: seededRng('blinds'),
      asOf: clock.now(),
    };
    const result = await tokenizeIdentities([person], deps);
    expect(indexesOf(result)).toEqual([expectedStrings.map((k) => fed.expectedIndex(k))]);

    const evaluations = sent.filter((s) => s.url.pathname === '/v1/evaluate');
    expect(evaluations.map((s) => s.url.origin).sort()).toEqual([...fed.urls].sort());
    for (const { url, init } of evaluations) expect(claimsOf(init).aud).toBe(url.origin);
    expect(new Set(evaluations.map((s) => claimsOf(s.init).jti)).size).toBe(3);

    // Whoever saw keyholder 1's request (its operator, a proxy on the way) cannot spend it at
    // keyholder 2 or 3: each refuses a token addressed to another, and evaluates nothing.
    const toFirst = evaluations.find((s) => s.url.origin === fed.urls[0])!;
    const { signal: _signal, ...replay } = toFirst.init;
    for (const i of [1, 2]) {
      const res = await fed.keyholders[i]!.app.request(`${fed.urls[i]}/v1/evaluate`, replay);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('AUTH_AUDIENCE_MISMATCH');
      expect(fed.keyholders[i]!.batches).toHaveLength(1);
    }
  });
});

describe('a single keyholder', () => {
  it('is an error, never ignored, when its proof fails', async () => {
    for (const behaviour of ['bad-proof', 'wrong-key'] as const) {
      const { fed, deps } = setup(1, 1);
      fed.keyholders[0]!.behaviour = behaviour;
      const e = await failure(tokenizeIdentities([person], deps));
      expect([e.code, e.retryable]).toEqual(['KEYHOLDER_ANSWER_INVALID', false]);
      expect(e.failures).toEqual([
        expect.objectContaining({ code: 'OPRF_PROOF_INVALID', field: 'proof', retryable: false }),
      ]);
    }
  });

  it('is a final error when its answer is not a tokenization response', async () => {
    const { fed, deps } = setup(1, 1);
    fed.keyholders[0]!.behaviour = 'malformed';
    const e = await failure(tokenizeIdentities([person], deps));
    expect([e.code, e.failures[0]?.code, e.retryable]).toEqual([
      'KEYHOLDER_UNAVAILABLE',
      'RESPONSE_INVALID',
      false,
    ]);
  });
});
