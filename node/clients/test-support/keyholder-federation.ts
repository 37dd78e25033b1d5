/**
 * Test support: a t-of-n keyholder set of fake keyholders dealt from one whole key, and what
 * the whole key gives for a key string (the value every correct tokenization must reproduce).
 */
import { toBase64url, utf8 } from '../../../crypto/encoding.js';
import {
  blindBatch,
  deriveKeyPair,
  evaluateBatch,
  finalizeBatch,
  hubIndex,
  splitKey,
  type OprfKeyPair,
  type OprfKeySet,
} from '../../../crypto/oprf/index.js';
import type { RegistryEntry } from '../../../protocol/registry-entry.js';
import { seededRng } from './deterministic.js';
import { fakeKeyholder, type FakeKeyholder } from './fake-keyholder.js';

export interface KeyholderFederation {
  readonly key: OprfKeyPair;
  readonly keySet: OprfKeySet;
  readonly keyholders: readonly FakeKeyholder[];
  readonly urls: readonly string[];
  /** origin → app, for routedFetch. */
  readonly apps: Record<string, FakeKeyholder['app']>;
  /** The hub index the whole key gives `keyString` (base64url). */
  expectedIndex(keyString: string): string;
}

export function keyholderFederation(options: {
  threshold: number;
  total: number;
  registry: () => readonly RegistryEntry[];
  now: () => Date;
  epoch?: number;
  seedLabel?: string;
  /** Host names are `<hostPrefix>-<shareIndex>.test` (default `keyholder`). */
  hostPrefix?: string;
}): KeyholderFederation {
  const epoch = options.epoch ?? 1;
  const seed = seededRng(options.seedLabel ?? 'oprf-seed')(32);
  const key = deriveKeyPair(seed, epoch);
  const { keySet, shares } = splitKey(key, options.threshold, options.total, seededRng('dealer'));
  const urls = shares.map(
    (s) => `http://${options.hostPrefix ?? 'keyholder'}-${s.shareIndex}.test`,
  );
  const keyholders = shares.map((share, i) =>
    fakeKeyholder({
      url: urls[i]!,
      share,
      threshold: options.threshold,
      total: options.total,
      groupPublicKey: keySet.publicKey,
      registry: options.registry,
      now: options.now,
    }),
  );
  const apps = Object.fromEntries(urls.map((u, i) => [u, keyholders[i]!.app]));
  const rng = seededRng('expected-index');
  return {
    key,
    keySet,
    keyholders,
    urls,
    apps,
    expectedIndex(keyString) {
      const { state, request } = blindBatch(epoch, [utf8(keyString)], rng);
      const [output] = finalizeBatch(state, evaluateBatch(key, request, rng), key);
      return toBase64url(hubIndex(output!));
    },
  };
}
