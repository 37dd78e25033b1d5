/**
 * A 2-of-3 keyholder set as separate keyholder apps, each with its own database holding one
 * share imported from a dealer's share file: the node's combination of their answers equals
 * the output of the unshared key (docs/protocol.md §4.7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url } from '../crypto/encoding.js';
import {
  deriveKeyPair,
  evaluateBatch,
  finalizeBatch,
  finalizeThresholdBatch,
  splitKey,
  verifyKeySet,
  type OprfKeySet,
} from '../crypto/oprf/index.js';
import type { DatabaseHandle } from '../platform/db/database.js';
import { openTestDatabase } from '../platform/db/test-db.js';
import type { RegistryEntry } from '../protocol/registry-entry.js';
import { admissionsRepository } from './admissions.repository.js';
import { createKeyholderApp, type PublishedKeys } from './app.js';
import { parseShareFile, shareFileOf } from './key-files.js';
import { keyRepository } from './key-repository.js';
import { KEYHOLDER_MIGRATIONS } from './paths.js';
import * as tables from './schema.js';
import { blindInputs, codeOf, evaluationOf, makeAgency, rng, signedInit } from './test-fixtures.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const EPOCH = 6;
const whole = deriveKeyPair(new Uint8Array(32).fill(11), EPOCH);
const { keySet, shares } = splitKey(whole, 2, 3, rng);
const handles: DatabaseHandle<typeof tables>[] = [];
const registry = new Map<string, RegistryEntry>();

/** Keyholder i's base URL, whose audience its request tokens must name (§7.2.1). */
const urlOf = (index: number) => `http://keyholder-${index}.test`;

/** A keyholder app whose database holds share `index` (1-based), imported via its share file. */
async function keyholderWithShare(index: number) {
  const handle = await openTestDatabase(KEYHOLDER_MIGRATIONS, { tables });
  handles.push(handle);
  const file = JSON.stringify(
    shareFileOf({
      key: shares[index - 1]!,
      threshold: keySet.threshold,
      groupPublicKey: keySet.publicKey,
      publicShares: keySet.publicShares,
    }),
  );
  await keyRepository(handle.db, { rng }).add(parseShareFile(file), NOW);
  return createKeyholderApp({
    db: handle.db,
    directory: { find: async (ori) => registry.get(ori) },
    now: () => NOW,
    rng,
    log: () => undefined,
    dailyQuota: 1000,
    audiences: [urlOf(index)],
  });
}

/** Enrols `node` at the hub and has every keyholder's operator admit its key, as each must. */
async function enrolAndAdmit(node: Awaited<ReturnType<typeof makeAgency>>) {
  registry.set(node.ori, node.entry);
  for (const h of handles)
    await admissionsRepository(h.db).admit(node.ori, node.key.kid, NOW, null);
}

let first: Awaited<ReturnType<typeof keyholderWithShare>>;
let third: Awaited<ReturnType<typeof keyholderWithShare>>;

beforeAll(async () => {
  [first, third] = await Promise.all([keyholderWithShare(1), keyholderWithShare(3)]);
});
afterAll(() => Promise.all(handles.map((h) => h.close())));

describe('t-of-n keyholders', () => {
  it("publish their share and the set's public half, enough for a node to verify the set", async () => {
    const published = (await (await first.request('/v1/keys')).json()) as PublishedKeys;
    expect(published).toMatchObject({ threshold: 2, total: 3 });
    const key = published.keys[0]!;
    expect(key).toMatchObject({ epoch: EPOCH, shareIndex: 1, threshold: 2, total: 3 });
    const fromWire: OprfKeySet = {
      epoch: key.epoch,
      threshold: key.threshold,
      publicKey: fromBase64url(key.groupPublicKey)!,
      publicShares: key.publicShares.map((s) => fromBase64url(s)!),
    };
    expect(() => verifyKeySet(fromWire)).not.toThrow();
    expect(fromWire.publicKey).toEqual(whole.publicKey);
  });

  it('answer so that the combination equals the single-key output', async () => {
    const node = await makeAgency('CA0194200', 4, ['checker']);
    await enrolAndAdmit(node);
    const { state, body } = blindInputs(EPOCH, 4, 'threshold');
    const answers = await Promise.all(
      [first, third].map(async (app, i) => {
        const audience = urlOf([1, 3][i]!);
        const res = await app.request(
          '/v1/evaluate',
          await signedInit(node, body, NOW, { audience }),
        );
        expect(res.status).toBe(200);
        return evaluationOf(res);
      }),
    );
    expect(answers.map((a) => a.shareIndex)).toEqual([1, 3]);
    const combined = finalizeThresholdBatch(state, answers, keySet);

    const single = evaluateBatch(
      whole,
      { epoch: EPOCH, blindedElements: state.blindedElements },
      rng,
    );
    expect(combined).toEqual(finalizeBatch(state, single, whole));
  });

  it('are each useless alone: one share answer does not verify against the group key', async () => {
    const node = await makeAgency('CA0194201', 5, ['reporter']);
    await enrolAndAdmit(node);
    const { state, body } = blindInputs(EPOCH, 2, 'alone');
    const answer = await evaluationOf(
      await first.request(
        '/v1/evaluate',
        await signedInit(node, body, NOW, { audience: urlOf(1) }),
      ),
    );
    expect(() =>
      finalizeBatch(state, answer, { epoch: EPOCH, shareIndex: 1, publicKey: whole.publicKey }),
    ).toThrow(expect.objectContaining({ code: 'OPRF_PROOF_INVALID' }));
    expect(() => finalizeThresholdBatch(state, [answer], keySet)).toThrow(
      expect.objectContaining({ code: 'OPRF_THRESHOLD' }),
    );
  });

  it('each answer only to tokens addressed to them: one accepted by keyholder 1 is refused by keyholder 3', async () => {
    const node = await makeAgency('CA0194202', 6, ['checker']);
    await enrolAndAdmit(node);
    const { body } = blindInputs(EPOCH, 1, 'audience');
    // One captured request, as keyholder 1 (or anyone on its path) saw it.
    const init = await signedInit(node, body, NOW, { audience: urlOf(1) });
    expect((await first.request('/v1/evaluate', init)).status).toBe(200);
    const replayed = await third.request('/v1/evaluate', init);
    expect(replayed.status).toBe(401);
    expect(await codeOf(replayed)).toBe('AUTH_AUDIENCE_MISMATCH');
    // Nor was it spent at keyholder 3: the node's own token for it is accepted.
    const own = await signedInit(node, body, NOW, { audience: urlOf(3) });
    expect((await third.request('/v1/evaluate', own)).status).toBe(200);
  });
});
