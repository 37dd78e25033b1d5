/**
 * `spx node check --evidence-out` and `spx node verify-evidence` through the CLI, with the
 * exit codes `bin/spx.ts` maps: the check runs against the city's node (testNodeApp, in
 * process); verify-evidence runs with no node and no hub at all (its fetch fails every call).
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../crypto/signing/canonical-json.js';
import { fromBase64url, fromUtf8, toBase64url, utf8 } from '../../crypto/encoding.js';
import type { JsonObject } from '../../crypto/signing/index.js';
import { runProgram } from '../../platform/cli/test-support/run-program.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { CheckEvidenceSchema, type CheckEvidence } from '../../protocol/check-evidence.js';
import { routedFetch } from '../clients/test-support/federation.js';
import { signingKeyFor } from '../clients/test-support/deterministic.js';
import type { World } from '../clients/test-support/world.js';
import { registerNodeCommands } from '../cli.js';
import { DEFAULT_NODE_URL } from '../config.js';
import { pinnedHubKeys, PLANTED, plantedWorld } from '../service/evidence-test-support.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from '../service/test-support.js';
import type { NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import { EVIDENCE_NOT_VERIFIED_EXIT_CODE } from './verify-evidence-command.js';

let handle: DatabaseHandle<NodeTables>;
let world: World;
let nodeFetch: typeof fetch;
let dir: string;
let bundlePath: string;
let hubKeysPath: string;

const offline = (() => Promise.reject(new TypeError('fetch failed: offline'))) as typeof fetch;

/** Runs `spx …` and returns its exit code as bin/spx.ts main would (runProgram). */
const spx = (args: string[], fetchImpl: typeof fetch = offline) =>
  runProgram(
    (program, io) =>
      registerNodeCommands(program, io, {
        env: { SPX_NODE_ADMIN_TOKEN: TEST_ADMIN_TOKEN, USER: 'hr-officer' },
        fetch: fetchImpl,
      }),
    args,
    new Date('2025-03-01T12:00:00Z'),
  );

async function file(name: string, content: string | object): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** A valid cosignature/v1 verifier key (seed 0x07…). */
const WITNESS_KEY = 'spx-witness/CA0340000+b71ac594+BOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs';
/** Another name, the same public key. */
const TWIN_KEY = 'spx-witness/CA0350000+ee29e1d6+BOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs';

const checks = () => world.hub.seen.filter((s) => s.path === '/v1/checks').length;
const bundle = async (): Promise<CheckEvidence> =>
  JSON.parse(await readFile(bundlePath, 'utf8')) as CheckEvidence;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
  world = await plantedWorld();
  const app = testNodeApp(world, handle.db, { seed: 'verify-evidence-cli' });
  nodeFetch = routedFetch({ [new URL(DEFAULT_NODE_URL).origin]: app });
  dir = await mkdtemp(join(tmpdir(), 'spx-evidence-'));
  bundlePath = join(dir, 'check-evidence.json');
  const published = (await pinnedHubKeys()).map((k) => ({
    ...k.publicJwk,
    kid: k.kid,
    alg: 'Ed25519',
    use: 'sig',
  }));
  hubKeysPath = await file('hub-keys.json', { keys: published });
});
afterAll(async () => {
  await handle?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('spx node check --evidence-out', () => {
  const checkArgs = async (out: string, ...more: string[]) => [
    'node',
    'check',
    '--candidate-file',
    await file('candidate.json', PLANTED),
    '--consent-ref',
    'CONSENT-2025-17',
    '--evidence-out',
    out,
    ...more,
  ];

  it('writes the node’s evidence bundle, mode 0600', async () => {
    const r = await spx(await checkArgs(bundlePath), nodeFetch);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain('Verdict: RECORD FOUND');
    expect(r.out).toContain(`Evidence bundle written to ${bundlePath} (mode 0600).`);
    expect((await stat(bundlePath)).mode & 0o777).toBe(0o600);
    const written = await bundle();
    expect(CheckEvidenceSchema.safeParse(written).success).toBe(true);
    expect(written.answer.attestations).toHaveLength(2);
  });

  it('keeps stdout pure JSON with --json, the bundle in it and in the file alike', async () => {
    const path = join(dir, 'json-evidence.json');
    const r = await spx(await checkArgs(path, '--json'), nodeFetch);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.out) as { evidence: CheckEvidence };
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(printed.evidence);
  });

  it('never overwrites an existing file, and then sends nothing', async () => {
    const before = await readFile(bundlePath, 'utf8');
    const sent = checks();
    const r = await spx(await checkArgs(bundlePath), nodeFetch);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `spx: EVIDENCE_FILE_EXISTS: --evidence-out: ${bundlePath} exists; not overwriting it\n`,
    );
    expect(r.out).toBe('');
    expect(await readFile(bundlePath, 'utf8')).toBe(before);
    expect(checks()).toBe(sent);
  });

  it('refuses a folder it cannot write to before sending anything', async () => {
    const sent = checks();
    const path = join(dir, 'no-such-folder', 'evidence.json');
    const r = await spx(await checkArgs(path), nodeFetch);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`spx: FILE_UNWRITABLE: --evidence-out: cannot write ${path}\n`);
    expect(checks()).toBe(sent);
  });

  it('leaves no empty file behind when the check itself fails', async () => {
    const path = join(dir, 'failed-check.json');
    const failing = (() =>
      Promise.resolve(
        Response.json(
          { type: 'about:blank', title: 'Unavailable', status: 503, code: 'HUB_UNAVAILABLE' },
          { status: 503, headers: { 'content-type': 'application/problem+json' } },
        ),
      )) as typeof fetch;
    const r = await spx(await checkArgs(path), failing);
    expect(r.code).not.toBe(0);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes nothing when the node’s answer carries no bundle, or an invalid one', async () => {
    /** The real node's answer to the check, changed on its way to the CLI. */
    const altered = (change: (answer: Record<string, unknown>) => object) =>
      (async (input: string | URL | Request, init?: RequestInit) => {
        const answer = (await (await nodeFetch(input, init)).json()) as Record<string, unknown>;
        return Response.json(change(answer));
      }) as typeof fetch;
    const none = join(dir, 'none.json');
    const old = await spx(
      await checkArgs(none, '--json'),
      altered(({ evidence: _, ...rest }) => rest),
    );
    expect([old.code, old.err]).toEqual([
      1,
      expect.stringMatching(/^spx: RESPONSE_INVALID: .*: evidence \(required\)/),
    ]);
    const bad = await spx(
      await checkArgs(none, '--json'),
      altered((answer) => ({
        ...answer,
        evidence: { ...(answer['evidence'] as object), logOrigin: '' },
      })),
    );
    expect([bad.code, bad.err]).toEqual([
      1,
      expect.stringContaining('evidence.logOrigin (invalid_format)'),
    ]);
    await expect(stat(none)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('spx node verify-evidence', () => {
  const verify = (...args: string[]) => spx(['node', 'verify-evidence', ...args]);

  it('exits 0 for the bundle, offline, with the hub key pinned', async () => {
    const r = await verify('--file', bundlePath, '--hub-keys', hubKeysPath);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain(`Evidence VERIFIED: ${bundlePath}`);
    expect(r.out).toContain('Hub key: pinned (--hub-keys).');
    expect(r.out).toContain('Verdict: RECORD FOUND');
    expect(r.out).toContain('2 attestations proved in it');
  });

  it('accepts --hub-key, the spelling of audit-log, for --hub-keys', async () => {
    const r = await verify('--file', bundlePath, '--hub-key', hubKeysPath);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain('Hub key: pinned (--hub-keys).');
  });

  it('says when the hub key was not pinned, and prints JSON with --json', async () => {
    const human = await verify('--file', bundlePath);
    expect(human.code).toBe(0);
    expect(human.out).toContain('Hub key: NOT PINNED');
    const json = await verify('--file', bundlePath, '--json', '--origin', world.hub.log.origin);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      verified: true,
      pinned: { hubKeys: false, logOrigin: true, requester: false },
      checkpoint: { origin: world.hub.log.origin, cosigners: [] },
      result: { verdict: 'record_found' },
    });
  });

  it('exits 3 with the code when the bundle does not verify', async () => {
    const tampered = await bundle();
    const [h, p, s] = tampered.answer.response.split('.') as [string, string, string];
    const payload = JSON.parse(fromUtf8(fromBase64url(p)!)) as JsonObject;
    const edited = toBase64url(utf8(canonicalJson({ ...payload, verdict: 'no_record' })));
    tampered.answer.response = `${h}.${edited}.${s}`;
    const path = await file('tampered.json', tampered);
    const r = await verify('--file', path, '--hub-keys', hubKeysPath);
    expect(r.code).toBe(EVIDENCE_NOT_VERIFIED_EXIT_CODE);
    expect(r.code).toBe(3);
    expect(r.out).toContain(`Evidence NOT VERIFIED: ${path}`);
    expect(r.err).toMatch(/^spx: HUB_SIGNATURE_INVALID: /);
    const json = await verify('--file', path, '--json');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.out)).toMatchObject({
      verified: false,
      code: 'HUB_SIGNATURE_INVALID',
      field: 'response',
      signatureCode: 'SIG_BAD_SIGNATURE',
    });
    const otherLog = await verify('--file', bundlePath, '--origin', 'another.test/log');
    expect([otherLog.code, otherLog.err]).toEqual([
      3,
      expect.stringMatching(/LOG_CHECKPOINT_INVALID/),
    ]);
  });

  it('exits 3 for hub keys replaced in the bundle when --hub-keys pins the real one', async () => {
    const forged = await bundle();
    const attacker = await signingKeyFor('cli-evidence-attacker');
    forged.hubKeys = { keys: [{ ...attacker.publicJwk, kid: attacker.kid }] };
    const path = await file('forged-keys.json', forged);
    const unpinned = await verify('--file', path);
    expect([unpinned.code, unpinned.err]).toEqual([
      3,
      expect.stringMatching(/HUB_SIGNATURE_INVALID/),
    ]);
    // Pinned, the replaced keys do not matter: the real hub's signature still verifies…
    expect((await verify('--file', path, '--hub-keys', hubKeysPath)).code).toBe(0);
    // …and a key file of the attacker's is not the hub's.
    const wrongPin = await file('attacker-keys.json', forged.hubKeys);
    expect((await verify('--file', bundlePath, '--hub-keys', wrongPin)).code).toBe(3);
  });

  it('exits 1 naming the problem for a file that is unreadable, not JSON or not a bundle', async () => {
    const missing = await verify('--file', join(dir, 'nowhere.json'));
    expect([missing.code, missing.err]).toEqual([
      1,
      `spx: FILE_UNREADABLE: --file: cannot read ${join(dir, 'nowhere.json')}\n`,
    ]);
    const text = await file('not-json.json', '{"v": 1, ');
    const notJson = await verify('--file', text);
    expect([notJson.code, notJson.err]).toEqual([
      1,
      `spx: EVIDENCE_INVALID: --file: ${text} is not UTF-8 JSON\n`,
    ]);
    const partial = await bundle();
    const { checkpoint: _checkpoint, ...log } = partial.answer.log;
    const wrong = await file('wrong-schema.json', {
      ...partial,
      v: 1,
      answer: { ...partial.answer, log },
      candidateRef: 'HR-2291',
    });
    const schema = await verify('--file', wrong);
    expect(schema.code).toBe(1);
    expect(schema.err).toBe(
      'spx: EVIDENCE_INVALID: --file: not a check evidence bundle: ' +
        'answer.log.checkpoint (required), candidateRef (unknown_field)\n',
    );
    expect(schema.out).toBe('');
    const later = await verify('--file', await file('v2.json', { ...partial, v: 2 }));
    expect([later.code, later.err]).toEqual([
      1,
      expect.stringContaining('v (unsupported_version)'),
    ]);
    const badKeys = await file('bad-keys.json', {
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AA' }],
    });
    const keys = await verify('--file', bundlePath, '--hub-keys', badKeys);
    expect([keys.code, keys.err]).toEqual([
      1,
      expect.stringMatching(/^spx: HUB_KEYS_INVALID: --hub-keys: .*keys\[0\]\.x/),
    ]);
  });

  it('exits 2 for usage errors, before reading any file', async () => {
    expect((await verify()).code).toBe(2);
    const nowhere = join(dir, 'nowhere.json');
    for (const args of [
      ['--origin', 'a log'],
      ['--quorum', '1'],
      ['--witness', 'not-a-key'],
      ['--witness', WITNESS_KEY, '--witness', WITNESS_KEY],
      ['--unknown'],
    ]) {
      const r = await verify('--file', nowhere, ...args);
      expect([args[0], r.code]).toEqual([args[0], 2]);
      expect(r.err).not.toContain('FILE_UNREADABLE');
    }
    const twice = await verify(
      '--file', nowhere, '--witness', WITNESS_KEY, '--witness', TWIN_KEY,
    ); // prettier-ignore
    expect(twice.err).toContain('--witness 2: repeats the public key of another witness');
  });
});
