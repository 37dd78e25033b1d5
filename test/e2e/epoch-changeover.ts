/**
 * Issue 11 §6 over real processes: the keyholders move to a new OPRF key epoch in the middle of
 * the demo's story. The story's checks run under epoch 1; the keyholder opens epoch 2 and the hub
 * serves both until the window it states; the city and the board move first and re-state their
 * records, while the tribal department, still on epoch 1, keeps finding them; then it moves
 * too, and every check of the story finds the same records, with the same strength, under
 * epoch 2. Once the window closes, the hub serves epoch 2 only, and the matches remain.
 *
 * Called from federation.test.ts after the demo ran, so the demo runs once.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_OUTCOME_RATE, type DemoResult } from '../../bin/demo/demo.js';
import { spx } from '../../bin/demo/processes.js';
import {
  generateFederation,
  seededRng,
  type StoryCheck,
  type SyntheticAgencyKey,
} from '../../node/synthetic/index.js';
import { scene, type Scene } from './log-tamper.js';

const AGENCIES: readonly SyntheticAgencyKey[] = ['city', 'state', 'tribal'];

/** What a check found, in a form two epochs can be compared by. */
interface Found {
  readonly epoch: number;
  readonly verdict: string;
  /** `ori strength category status`, sorted. */
  readonly matches: readonly string[];
}

async function nodeApi(s: Scene, key: SyntheticAgencyKey, route: string, body?: unknown) {
  const res = await fetch(s.nodeUrl(key) + route, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${s.envs.nodes[key].SPX_NODE_ADMIN_TOKEN!}`,
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${route} at ${key}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function check(s: Scene, c: StoryCheck, by = c.checkingAgency): Promise<Found> {
  const answer = await nodeApi(s, by, '/v1/checks', {
    candidate: c.candidate,
    purpose: 'hiring',
    consentRef: `CONSENT-${c.key.toUpperCase()}-EPOCHS`,
  });
  const result = answer['result'] as {
    epoch: number;
    verdict: string;
    matches: {
      reportingAgency: { ori: string };
      strength: string;
      category: string;
      status: string;
    }[];
  };
  return {
    epoch: result.epoch,
    verdict: result.verdict,
    matches: result.matches
      .map((m) => `${m.reportingAgency.ori} ${m.strength} ${m.category} ${m.status}`)
      .sort(),
  };
}

async function story(s: Scene, checks: readonly StoryCheck[]): Promise<Record<string, Found>> {
  const found: Record<string, Found> = {};
  for (const c of checks) found[c.key] = await check(s, c);
  return found;
}

/** Current statements by epoch, from the node's status. */
async function currentByEpoch(s: Scene, key: SyntheticAgencyKey) {
  const status = await nodeApi(s, key, '/v1/status');
  return (status['epochs'] as { current: { epoch: number; statements: number }[] }).current;
}

/** Publishes at `key`'s node; every current statement is re-stated under epoch 2, once. */
async function restate(s: Scene, key: SyntheticAgencyKey): Promise<void> {
  const before = await currentByEpoch(s, key);
  const underOne = before.find((c) => c.epoch === 1)?.statements ?? 0;
  expect(underOne, `${key} has records to re-state`).toBeGreaterThan(0);
  const result = (await nodeApi(s, key, '/v1/publish', {})) as {
    publish: { epoch: number; signed: number; restated: number; failed: unknown[] };
    delivery: { accepted: number; rejected: number };
  };
  expect(result.publish).toMatchObject({ epoch: 2, restated: underOne, failed: [] });
  expect(result.delivery).toMatchObject({ accepted: result.publish.signed, rejected: 0 });
  const after = await currentByEpoch(s, key);
  expect(after.map((c) => c.epoch)).toEqual([2]);
  const again = (await nodeApi(s, key, '/v1/publish', {})) as { publish: { signed: number } };
  expect(again.publish.signed).toBe(0);
}

export function describeEpochChangeover(
  getDemo: () => DemoResult,
  seed: string,
  asOf: string,
): void {
  describe('a new key epoch in the middle of the story', () => {
    it('re-states every record under epoch 2, and every earlier match still matches', async ({
      onTestFinished,
    }) => {
      const checks = generateFederation({
        rng: seededRng(seed),
        asOf,
        outcomeRate: DEMO_OUTCOME_RATE,
      }).story;
      const s = await scene(getDemo(), 'epochs', onTestFinished);
      await s.start('hub');
      await s.start('keyholder');
      await Promise.all(AGENCIES.map((key) => s.start(key)));
      const before = await story(s, checks);
      expect(Object.values(before).map((f) => f.epoch)).toEqual(checks.map(() => 1));
      expect(before['strong']!.matches.length).toBeGreaterThanOrEqual(2);
      await s.stop();

      // The keyholder opens epoch 2; the hub serves 1 and 2 until the end of the window.
      const keyholderDir = s.envs.keyholder.SPX_DATA_DIR!;
      await spx(['keyholder', 'init', '--epoch', '2', '--data-dir', keyholderDir]);
      const keySet2 = path.join(s.dir, 'keyholder-keyset-epoch-2.json');
      await writeFile(
        keySet2,
        await spx(['keyholder', 'keyset', '--epoch', '2', '--data-dir', keyholderDir]),
      );
      const window = {
        SPX_HUB_EPOCHS: '1,2',
        SPX_HUB_EPOCH_WINDOW_END: '2099-01-01T00:00:00Z',
        SPX_HUB_KEYHOLDER_KEYSET: keySet2,
      };
      await s.start('hub', window);
      await s.start('keyholder');
      const served = (await (await fetch(`${s.hubUrl}/v1/epochs`)).json()) as unknown;
      expect(served).toEqual({
        epochs: [
          { epoch: 1, retiresAt: '2099-01-01T00:00:00Z' },
          { epoch: 2, retiresAt: null },
        ],
      });

      // The city and the board pin epoch 2's key set and re-state everything they hold.
      const moved = { SPX_NODE_KEYHOLDER_KEYSET: keySet2 };
      await Promise.all([s.start('city', moved), s.start('state', moved)]);
      await restate(s, 'city');
      await restate(s, 'state');
      // The tribal department has not moved: under epoch 1 it still finds what they re-stated.
      const tribalOnOne = await s.start('tribal');
      const strong = checks.find((c) => c.key === 'strong')!;
      expect(strong.checkingAgency).toBe('tribal');
      expect(await check(s, strong)).toEqual(before['strong']);
      await tribalOnOne.stop();

      // Then it moves too; every check of the story finds the same under epoch 2.
      await s.start('tribal', moved);
      await restate(s, 'tribal');
      const after = await story(s, checks);
      for (const c of checks) {
        expect(after[c.key], c.key).toEqual({ ...before[c.key]!, epoch: 2 });
      }
      await s.stop();

      // The window closes: the hub serves epoch 2 only, and the records still match.
      await s.start('hub', { ...window, SPX_HUB_EPOCH_WINDOW_END: '2020-01-01T00:00:00Z' });
      await s.start('keyholder');
      await s.start('tribal', moved);
      expect(await (await fetch(`${s.hubUrl}/v1/epochs`)).json()).toEqual({
        epochs: [{ epoch: 2, retiresAt: null }],
      });
      expect(await check(s, strong)).toEqual({ ...before['strong']!, epoch: 2 });
    }, 300_000);
  });
}
