/**
 * Test support: a small federation in one process — a 2-of-3 keyholder set, a hub, and three
 * agencies (a city police department, a state standards board, a tribal police department) —
 * with the real node code (clients, tokenization) used to publish, as another node would.
 */
import type { Identity } from '../../../crypto/match-keys/index.js';
import type { AttestationPayload } from '../../../protocol/attestation.js';
import type { RegistryEntry } from '../../../protocol/registry-entry.js';
import { createKeyholderSet, pinnedKeySetOf } from '../../tokenize/keyholder-set.js';
import { tokenizeIdentities } from '../../tokenize/tokenize.js';
import { createHubClient, type HubClient } from '../hub-client.js';
import { attestationPayload, signAttestation } from './attestations.js';
import { seededRng, seedFor, settableClock, signingKeyFor } from './deterministic.js';
import { fakeHub, type FakeHub } from './fake-hub.js';
import { agencyEntry, clientDeps, routedFetch, type TestAgency } from './federation.js';
import { keyholderFederation, type KeyholderFederation } from './keyholder-federation.js';

export const HUB_URL = 'http://hub.test';

export interface World {
  readonly clock: ReturnType<typeof settableClock>;
  readonly registry: RegistryEntry[];
  readonly city: TestAgency;
  readonly board: TestAgency;
  readonly tribal: TestAgency;
  readonly hub: FakeHub;
  readonly keyholders: KeyholderFederation;
  readonly fetch: typeof fetch;
  /** Node-side dependencies for `agency`, as its node would build them. */
  node(agency: TestAgency): {
    hub: HubClient;
    keyholders: ReturnType<typeof createKeyholderSet>;
    rng: (n: number) => Uint8Array;
  };
  /** Tokenizes `officer` at `agency`'s node, signs and submits an attestation; returns it. */
  publish(
    agency: TestAgency,
    officer: Identity,
    overrides?: Partial<AttestationPayload>,
  ): Promise<AttestationPayload>;
}

export async function createWorld(): Promise<World> {
  const clock = settableClock('2025-03-01T12:00:00Z');
  const [cityKey, boardKey, tribalKey, hubKey] = await Promise.all(
    ['world-city', 'world-board', 'world-tribal', 'world-hub'].map(signingKeyFor),
  );
  const city = {
    key: cityKey!,
    entry: agencyEntry('CA0194200', 'Example City Police Department', cityKey!),
  };
  const board = {
    key: boardKey!,
    entry: agencyEntry(
      'CA0340000',
      'State Commission on Peace Officer Standards',
      boardKey!,
      ['reporter'],
      'state',
    ),
  };
  const tribal = {
    key: tribalKey!,
    entry: agencyEntry(
      'AZ0100300',
      'Example Nation Tribal Police Department',
      tribalKey!,
      ['checker'],
      'tribal',
    ),
  };
  const registry = [city.entry, board.entry, tribal.entry];
  const keyholders = keyholderFederation({
    threshold: 2,
    total: 3,
    registry: () => registry,
    now: clock.now,
  });
  const hub = fakeHub({
    hubKey: hubKey!,
    hubSeed: seedFor('world-hub'),
    registry: () => registry,
    now: clock.now,
  });
  const fetchImpl = routedFetch({ ...keyholders.apps, [HUB_URL]: hub.app });

  let nodes = 0;
  const node = (agency: TestAgency) => {
    const deps = clientDeps(agency, fetchImpl, clock.now);
    return {
      hub: createHubClient(HUB_URL, deps),
      keyholders: createKeyholderSet(
        { urls: keyholders.urls, pinned: pinnedKeySetOf(keyholders.keySet) },
        deps,
      ),
      rng: seededRng(`node:${agency.entry.ori}:${nodes++}`),
    };
  };

  return {
    clock,
    registry,
    city,
    board,
    tribal,
    hub,
    keyholders,
    fetch: fetchImpl,
    node,
    async publish(agency, officer, overrides = {}) {
      const n = node(agency);
      const tokens = await tokenizeIdentities([officer], {
        keyholders: n.keyholders,
        rng: n.rng,
        asOf: clock.now(),
      });
      const result = tokens.identities[0]!;
      if (!result.ok) throw new Error(`cannot publish: ${JSON.stringify(result.errors)}`);
      const keys = result.keys.map((k) => ({ kind: k.kind, index: k.index }));
      const payload = attestationPayload(agency, keys, overrides, tokens.epoch);
      await n.hub.submitAttestations({ attestations: [await signAttestation(agency, payload)] });
      return payload;
    },
  };
}
