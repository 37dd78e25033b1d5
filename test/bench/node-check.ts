/**
 * A hiring check from the node's API (issue 10 §3: ≤ 50 ms p50 with the services on one
 * machine; docs/performance.md "Node").
 *
 *   npm run build && npx tsx test/bench/node-check.ts [--checks 60]
 *
 * Starts the demo's federation (keyholder, hub, three nodes as separate processes: bin/demo)
 * and leaves it running, then:
 *
 * 1. Over HTTP, one request at a time: POST /v1/checks on the city's node (the story's
 *    candidates in turn: hits and clean ones), and as the baseline GET /v1/status on the same
 *    node (an authenticated API round trip that reads the database, no keyholder, no hub).
 *    p50 and p95 of each, and the ratio.
 * 2. In this process, the same check taken apart with the city's own key and pinned keys, as
 *    the node runs it (node/check/check-candidate.ts): tokenize (blind, the keyholder's
 *    evaluation over HTTP, verify the proof, unblind), the hub's check over HTTP, and the
 *    verification of the hub's answer; once with noble doing the ristretto255 arithmetic (the
 *    node before issue 10) and once with libsodium (what `auto` picks), ratio against noble.
 *
 * 3. The node's own OPRF work per check without any network: blind the candidate's keys, verify
 *    the keyholder's proof and unblind (the evaluation itself done in process, not counted), in
 *    CPU milliseconds of this process (what a check costs the node's core, however loaded the
 *    machine), per backend, ratio against noble.
 *
 * Prints figures; asserts nothing about speed.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { runDemo } from '../../bin/demo/demo.js';
import { matchKeyInput, tryDeriveMatchKeys } from '../../crypto/match-keys/index.js';
import {
  blindBatch,
  deriveKeyPair,
  evaluateBatch,
  finalizeBatch,
  loadGroup,
  nobleGroup,
  type Ristretto255Group,
} from '../../crypto/oprf/index.js';
import { buildCheckRequest } from '../../node/check/build-request.js';
import { agencyResolver } from '../../node/check/check-candidate.js';
import { verifyCheckAnswer } from '../../node/check/verify-answer.js';
import { createHubClient } from '../../node/clients/index.js';
import { DEFAULT_CHECK_POLICY } from '../../node/config.js';
import { readAgencyKeyFile } from '../../node/service/key-file.js';
import { loadHubKeys, loadPinnedKeySet } from '../../node/service/node-files.js';
import { generateFederation, seededRng } from '../../node/synthetic/index.js';
import { createKeyholderSet, tokenizeIdentities } from '../../node/tokenize/index.js';
import { machine, ms, percentile, printMachine, printTable, ratio } from './support/report.js';

const SEED = 'spx-node-check';
const AS_OF = '2026-06-30';
const { values } = parseArgs({ options: { checks: { type: 'string', default: '60' } } });
const checks = Number(values.checks);
if (!Number.isSafeInteger(checks) || checks < 1) throw new Error('--checks: a count ≥ 1');
const WARM_UP = 5;

const rng = (n: number) => new Uint8Array(randomBytes(n));

/** p50 and p95 of `count` sequential runs of `fn` after WARM_UP untimed ones. */
async function timed(count: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await fn(count + i);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return times;
}

async function main(): Promise<void> {
  printMachine('Agency node: a hiring check from its API', machine());
  console.log('Starting the demo federation (keyholder, hub, three nodes)…');
  // The bench makes a few hundred checks as one agency in a few minutes: above the hub's
  // per-agency check limit (120 a minute). The demo's processes inherit this environment.
  process.env['SPX_HUB_CHECK_RATE_PER_MINUTE'] = '0';
  const demo = await runDemo({ seed: SEED, keepRunning: true, out: () => undefined });
  const services = [...demo.services];
  try {
    const city = demo.nodes.city;
    const cityEnv = demo.envs.nodes.city;
    const federation = generateFederation({ rng: seededRng(SEED), asOf: AS_OF });
    const candidates = federation.story.map((s) => s.candidate);
    const auth = { authorization: `Bearer ${city.token}` };

    // 1. Over HTTP.
    const check = async (i: number) => {
      const res = await fetch(`${city.url}/v1/checks`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          candidate: candidates[i % candidates.length],
          purpose: 'hiring',
          consentRef: `CONSENT-BENCH-${i}`,
        }),
      });
      if (!res.ok) throw new Error(`check: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const status = async () => {
      const res = await fetch(`${city.url}/v1/status`, { headers: auth });
      if (!res.ok) throw new Error(`status: ${res.status}`);
      await res.arrayBuffer();
    };
    const baseline = await timed(checks, status);
    const api = await timed(checks, check);
    printTable(
      ['over HTTP, 1 in flight', 'p50 (ms)', 'p95 (ms)', 'p50 ratio'],
      [
        [
          'GET /v1/status (baseline)',
          ms(percentile(baseline, 50)),
          ms(percentile(baseline, 95)),
          '1.00×',
        ],
        [
          'POST /v1/checks',
          ms(percentile(api, 50)),
          ms(percentile(api, 95)),
          ratio(percentile(api, 50) / percentile(baseline, 50)),
        ],
      ],
    );

    // 2. In process, taken apart.
    const key = await readAgencyKeyFile(cityEnv.SPX_NODE_KEY_FILE!);
    const pinned = await loadPinnedKeySet(cityEnv.SPX_NODE_KEYHOLDER_KEYSET);
    const hubKeys = (await loadHubKeys(cityEnv.SPX_NODE_HUB_KEYS))!;
    const deps = {
      identity: { ori: cityEnv.SPX_NODE_ORI!, key },
      fetch,
      now: () => new Date(),
      rng,
    };
    const hub = createHubClient(demo.urls.hub, deps);
    const libsodium = (await loadGroup('libsodium')).group;
    const rows: string[][] = [];
    const p50s: Record<string, number[]> = {};
    for (const group of [nobleGroup, libsodium] as Ristretto255Group[]) {
      const keyholders = createKeyholderSet({ urls: [demo.urls.keyholder], pinned, group }, deps);
      const parts = { tokenize: [] as number[], hub: [] as number[], verify: [] as number[] };
      const total = await timed(checks, async (i) => {
        const t = performance.now();
        const tokens = await tokenizeIdentities([candidates[i % candidates.length]!], {
          keyholders,
          rng,
          asOf: new Date(),
        });
        const keys = tokens.identities[0]!;
        if (!keys.ok) throw new Error('candidate refused');
        const request = buildCheckRequest({
          epoch: tokens.epoch,
          keys: keys.keys,
          purpose: 'hiring',
          consentRef: `CONSENT-PARTS-${i}`,
          policy: DEFAULT_CHECK_POLICY,
        });
        const tokenized = performance.now();
        const answer = await hub.check(request);
        const answered = performance.now();
        await verifyCheckAnswer(answer, {
          request,
          requester: cityEnv.SPX_NODE_ORI!,
          hubKeys,
          resolveAgency: agencyResolver(hub),
          logOrigin: undefined,
        });
        // Warm-up runs (i ≥ checks) are not kept.
        if (i < checks) {
          parts.tokenize.push(tokenized - t);
          parts.hub.push(answered - tokenized);
          parts.verify.push(performance.now() - answered);
        }
      });
      const p = [
        percentile(parts.tokenize, 50),
        percentile(parts.hub, 50),
        percentile(parts.verify, 50),
        percentile(total, 50),
      ];
      p50s[group.name] = p;
      rows.push([group.name, ...p.map(ms), ms(percentile(total, 95))]);
    }
    const [noble, sodium] = [p50s['noble']!, p50s['libsodium']!];
    rows.push(['libsodium ÷ noble', ...sodium.map((v, i) => ratio(v / noble[i]!)), '']);
    printTable(
      ['in process (p50, ms)', 'tokenize', 'hub check', 'verify', 'total', 'total p95'],
      rows,
    );

    // 3. The node's OPRF work alone, in CPU time.
    const inputs = candidates.map((c) => {
      const derived = tryDeriveMatchKeys(c, { asOf: AS_OF });
      if (!derived.ok) throw new Error('story candidate without keys');
      return derived.keys.map(matchKeyInput);
    });
    const oprfKey = deriveKeyPair(rng(32), 1);
    const cpu: Record<string, { blind: number; finalize: number }> = {};
    for (const group of [nobleGroup, libsodium] as Ristretto255Group[]) {
      const blind: number[] = [];
      const finalize: number[] = [];
      for (let i = 0; i < checks + WARM_UP; i++) {
        const batch = inputs[i % inputs.length]!;
        let t = process.cpuUsage();
        const { state, request } = blindBatch(1, batch, rng, group);
        const blinded = process.cpuUsage(t);
        const response = evaluateBatch(oprfKey, request, rng, libsodium);
        t = process.cpuUsage();
        finalizeBatch(state, response, oprfKey, group);
        const finalized = process.cpuUsage(t);
        if (i >= WARM_UP) {
          blind.push((blinded.user + blinded.system) / 1000);
          finalize.push((finalized.user + finalized.system) / 1000);
        }
      }
      cpu[group.name] = { blind: percentile(blind, 50), finalize: percentile(finalize, 50) };
    }
    const keysPerCheck = inputs.reduce((n, k) => n + k.length, 0) / inputs.length;
    const n = cpu['noble']!;
    const l = cpu['libsodium']!;
    printTable(
      [
        `node's OPRF work, ${keysPerCheck.toFixed(1)} keys (CPU ms, p50)`,
        'blind',
        'verify + unblind',
        'both',
      ],
      [
        ['noble', ms(n.blind), ms(n.finalize), ms(n.blind + n.finalize)],
        ['libsodium', ms(l.blind), ms(l.finalize), ms(l.blind + l.finalize)],
        [
          'libsodium ÷ noble',
          ratio(l.blind / n.blind),
          ratio(l.finalize / n.finalize),
          ratio((l.blind + l.finalize) / (n.blind + n.finalize)),
        ],
      ],
    );
  } finally {
    for (const s of services.reverse()) await s.stop();
  }
}

await main();
