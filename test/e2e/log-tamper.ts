/**
 * The "tests that could fail", against a RUNNING hub as separate processes: each
 * scenario copies the demo's data (the hub, keyholder and nodes as the demo left them, every
 * node's last verified checkpoint included), tampers with the stopped hub's database — with the
 * hub's own code and the signing key in its folder, as its operator could — or edits its
 * responses through a proxy, starts the services again and runs `spx node monitor` (or the
 * node's delivery) against it. Each must be noticed: exit code 3 and the alert's stable code.
 *
 * Called from federation.test.ts after the demo ran, so the demo runs once.
 */
import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, type OnTestFinishedHandler } from 'vitest';
import { demoEnvironments, type DemoEnvironments, type DemoResult } from '../../bin/demo/demo.js';
import { runSpx, spx, startService, type ServiceProcess } from '../../bin/demo/processes.js';
import { parseCheckpoint, parseSignedNote, verifyNote } from '../../crypto/note/index.js';
import { logVerifierKey } from '../../hub/tlog/checkpoint-note.js';
import { SYNTHETIC_AGENCIES, type SyntheticAgencyKey } from '../../node/synthetic/index.js';
import {
  alterStatement,
  corruptLatestCheckpointSignature,
  DEMO_LOG_ORIGIN,
  dropStatement,
  flipHash,
  latestCheckpointNote,
  leavesOf,
  readLeaves,
  rewritingProxy,
  swapSiblingLeaves,
  withHubDatabase,
} from './hub-tamper.js';

const MONITOR_ALERT_EXIT_CODE = 3;
const CITY_ORI = SYNTHETIC_AGENCIES.city.ori;

export interface Scene {
  readonly dir: string;
  readonly envs: DemoEnvironments;
  /** The running hub's URL (a free port the operating system picked at its start). */
  readonly hubUrl: string;
  /** The running keyholder's URL. */
  readonly keyholderUrl: string;
  nodeUrl(key: SyntheticAgencyKey): string;
  /**
   * Starts a service of the scene; `env` overrides its environment. A node is told the hub and
   * keyholder of the scene that are running: start the hub first.
   */
  start(
    which: 'hub' | 'keyholder' | SyntheticAgencyKey,
    env?: Record<string, string>,
  ): Promise<ServiceProcess>;
  /** `spx node monitor --json` against node `key`. */
  monitor(key: SyntheticAgencyKey): Promise<CliOutcome>;
  logStatus(key: SyntheticAgencyKey): Promise<CliOutcome>;
  /**
   * `spx audit-log` from outside, with the hub key published at set-up and the auditor's state
   * from before the tampering (the demo's last checkpoint): alerts are its failure codes.
   */
  audit(): Promise<CliOutcome>;
  stop(): Promise<void>;
}

export interface CliOutcome {
  readonly code: number | null;
  readonly json: Record<string, unknown>;
  readonly stderr: string;
  readonly alertCodes: string[];
}

/** The test's own onTestFinished: the scenes run concurrently, each cleans up after itself. */
export type Cleanup = (fn: OnTestFinishedHandler) => void;

/**
 * Where a scene without a running keyholder points its nodes: nothing listens on the discard
 * port, and nothing these scenes do asks a keyholder.
 */
const NO_KEYHOLDER = 'http://127.0.0.1:9';

/** A copy of the demo's stopped federation; its services take free ports as they start. */
export async function scene(demo: DemoResult, name: string, cleanup: Cleanup): Promise<Scene> {
  const dir = `${demo.dir}-${name}`;
  await rm(dir, { recursive: true, force: true });
  await cp(demo.dir, dir, { recursive: true });
  const envs = demoEnvironments(dir, { witnessKey: demo.witnessKey });
  const services: ServiceProcess[] = [];
  const urls = new Map<string, string>();
  const urlOf = (which: string) => {
    const url = urls.get(which);
    if (url === undefined) throw new Error(`scene ${name}: ${which} has not been started`);
    return url;
  };
  const nodeUrl = (key: SyntheticAgencyKey) => urlOf(key);
  const client = (key: SyntheticAgencyKey) => [
    '--json',
    '--node-url',
    nodeUrl(key),
    '--token',
    envs.nodes[key].SPX_NODE_ADMIN_TOKEN!,
  ];
  const cli = async (args: string[]): Promise<CliOutcome> => {
    const r = await runSpx(args);
    const json = (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as Record<string, unknown>;
    const alerts = ((json['alerts'] ?? json['failures']) as { code: string }[] | undefined) ?? [];
    return { code: r.code, json, stderr: r.stderr, alertCodes: alerts.map((a) => a.code) };
  };
  // What an outside auditor kept from its last run: the checkpoint the demo's hub ended with.
  const auditState = path.join(dir, 'audit-state.json');
  const lastNote = await withHubDatabase(envs.hub.SPX_DATA_DIR!, latestCheckpointNote);
  await writeFile(
    auditState,
    JSON.stringify({ v: 1, checkpoint: lastNote, verifiedAt: new Date().toISOString() }),
  );
  const s: Scene = {
    dir,
    envs,
    get hubUrl() {
      return urlOf('hub');
    },
    get keyholderUrl() {
      return urlOf('keyholder');
    },
    nodeUrl,
    async start(which, env = {}) {
      const isNode = which !== 'hub' && which !== 'keyholder';
      const told = () =>
        demoEnvironments(dir, {
          witnessKey: demo.witnessKey,
          upstreams: { hubUrl: urlOf('hub'), keyholderUrl: urls.get('keyholder') ?? NO_KEYHOLDER },
        });
      const serviceEnv =
        which === 'hub' ? envs.hub : which === 'keyholder' ? told().keyholder : told().nodes[which];
      const service = await startService({
        name: `${name}-${which}`,
        args: [isNode ? 'node' : which, 'serve'],
        logFile: path.join(dir, `${which}.log`),
        env: { ...serviceEnv, ...env },
      });
      services.push(service);
      urls.set(which, service.url);
      return service;
    },
    monitor: (key) => cli(['node', 'monitor', ...client(key)]),
    logStatus: (key) => cli(['node', 'log-status', ...client(key)]),
    audit: () =>
      cli([
        'audit-log', '--hub-url', urlOf('hub'), '--hub-key', envs.nodes.city.SPX_NODE_HUB_KEYS!,
        '--state', auditState, '--json', '--no-progress',
      ]), // prettier-ignore
    async stop() {
      for (const service of services.splice(0).reverse()) await service.stop();
      urls.clear();
    },
  };
  cleanup(async () => {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return s;
}

/** The checkpoint a hub serves, with its signature checked against the hub's published key. */
async function servedCheckpoint(hubUrl: string) {
  const note = await (await fetch(`${hubUrl}/v1/log/checkpoint`)).text();
  const keys = (await (await fetch(`${hubUrl}/v1/hub/keys`)).json()) as {
    keys: { kty: 'OKP'; crv: 'Ed25519'; x: string }[];
  };
  const verified = verifyNote(note, [logVerifierKey(DEMO_LOG_ORIGIN, keys.keys[0]!)]);
  const checkpoint = parseCheckpoint(parseSignedNote(note).text);
  return { note, signedByHub: verified.ok, size: checkpoint.size, root: checkpoint.rootHash };
}

/** Enrolls one more agency while the hub is stopped: the log grows by one registry entry. */
async function enrollAnotherAgency(s: Scene, ori: string): Promise<void> {
  const keyFile = path.join(s.dir, `extra-${ori}.json`);
  const generated = JSON.parse(await spx(['node', 'keygen', '--out', keyFile, '--json'])) as {
    publicJwk: unknown;
  };
  const pubFile = `${keyFile}.pub`;
  await writeFile(pubFile, JSON.stringify(generated.publicJwk));
  await spx(
    [
      'hub', 'enroll', '--ori', ori, '--name', `Extra agency ${ori}`, '--level', 'local',
      '--state', 'NM', '--roles', 'reporter', '--jwk', pubFile,
      '--contact-name', 'Records Unit', '--contact-email', 'records@example.org',
      '--contact-phone', '+15055550100',
    ], // prettier-ignore
    { SPX_DATA_DIR: s.envs.hub.SPX_DATA_DIR! },
  );
}

function expectAlert(outcome: CliOutcome, code: string): void {
  expect(outcome.alertCodes, outcome.stderr).toContain(code);
  expect(outcome.code).toBe(MONITOR_ALERT_EXIT_CODE);
  expect(outcome.stderr).toContain(code);
}

export function describeLogTampering(getDemo: () => DemoResult): void {
  // Concurrently: each scene is its own copy on its own ports (vitest's maxConcurrency bounds it).
  describe.concurrent('the transparency log against a running hub that cheats', () => {
    it('the untouched copy verifies: the monitor passes (exit 0) — the scenes below start from it', async ({
      onTestFinished,
    }) => {
      const s = await scene(getDemo(), 'control', onTestFinished);
      await s.start('hub');
      await s.start('city');
      const outcome = await s.monitor('city');
      expect(outcome.alertCodes).toEqual([]);
      expect(outcome.code).toBe(0);
      expect(outcome.json['ok']).toBe(true);
      const audit = await s.audit();
      expect(audit.alertCodes).toEqual([]);
      expect(audit.code).toBe(0);
    }, 120_000);

    it('a stored statement altered, the log rebuilt and re-signed at the same size: LOG_FORK', async ({
      onTestFinished,
    }) => {
      const s = await scene(getDemo(), 'altered', onTestFinished);
      const before = await withHubDatabase(s.envs.hub.SPX_DATA_DIR!, async (db) => {
        const [first] = await leavesOf(db, CITY_ORI);
        const size = (await readLeaves(db)).length;
        const rewritten = await alterStatement(db, s.envs.hub.SPX_DATA_DIR!, first!);
        expect(rewritten.size).toBe(size);
        return size;
      });
      await s.start('hub');
      const served = await servedCheckpoint(s.hubUrl);
      // The hub's signature is good and the size unchanged: only the root tells.
      expect(served.signedByHub).toBe(true);
      expect(served.size).toBe(before);
      await s.start('city');
      expectAlert(await s.monitor('city'), 'LOG_FORK');
      expectAlert(await s.audit(), 'AUDIT_HISTORY_REWRITTEN');
    }, 120_000);

    it('a statement dropped, the log rebuilt and padded past its old size: LOG_INCONSISTENT', async ({
      onTestFinished,
    }) => {
      const s = await scene(getDemo(), 'dropped', onTestFinished);
      const before = await withHubDatabase(s.envs.hub.SPX_DATA_DIR!, async (db) => {
        const [first] = await leavesOf(db, CITY_ORI);
        const size = (await readLeaves(db)).length;
        const rewritten = await dropStatement(db, s.envs.hub.SPX_DATA_DIR!, first!, 2);
        expect(rewritten.size).toBe(size + 1);
        return size;
      });
      await s.start('hub');
      expect((await servedCheckpoint(s.hubUrl)).size).toBe(before + 1);
      await s.start('city');
      expectAlert(await s.monitor('city'), 'LOG_INCONSISTENT');
      expectAlert(await s.audit(), 'AUDIT_HISTORY_REWRITTEN');
    }, 120_000);

    it('two leaves reordered in storage while the root and checkpoints stay: LOG_OMISSION on re-proof', async ({
      onTestFinished,
    }) => {
      const s = await scene(getDemo(), 'reordered', onTestFinished);
      await withHubDatabase(s.envs.hub.SPX_DATA_DIR!, async (db) => {
        const size = (await readLeaves(db)).length;
        // A city statement whose sibling leaf is complete and not on the log's right edge.
        const index = (await leavesOf(db, CITY_ORI)).find((i) => (i | 1) < size - 1);
        expect(index).toBeDefined();
        await swapSiblingLeaves(db, index!);
      });
      // The log then grows honestly (a registry change), so the monitor has a new checkpoint
      // to check: it is consistent, and the city's statements are proved again in it.
      await enrollAnotherAgency(s, 'NM0990100');
      await s.start('hub');
      await s.start('city');
      const outcome = await s.monitor('city');
      expectAlert(outcome, 'LOG_OMISSION');
      expect(outcome.alertCodes).not.toContain('LOG_INCONSISTENT');
      // The entries served no longer fold into the signed root.
      expectAlert(await s.audit(), 'AUDIT_ROOT_MISMATCH');
    }, 120_000);

    it('a checkpoint with a bad signature: LOG_BAD_SIGNATURE', async ({ onTestFinished }) => {
      const s = await scene(getDemo(), 'badsig', onTestFinished);
      await withHubDatabase(s.envs.hub.SPX_DATA_DIR!, (db) => corruptLatestCheckpointSignature(db));
      await s.start('hub');
      expect((await servedCheckpoint(s.hubUrl)).signedByHub).toBe(false);
      await s.start('city');
      expectAlert(await s.monitor('city'), 'LOG_BAD_SIGNATURE');
      expectAlert(await s.audit(), 'AUDIT_BAD_SIGNATURE');
    }, 120_000);

    it('the hub signs with another key than the one the nodes pinned: LOG_BAD_SIGNATURE', async ({
      onTestFinished,
    }) => {
      const s = await scene(getDemo(), 'newkey', onTestFinished);
      await enrollAnotherAgency(s, 'NM0990400');
      const otherKey = path.join(s.dir, 'other-hub-key.json');
      await spx(['hub', 'keygen', '--out', otherKey]);
      await s.start('hub', { SPX_HUB_KEY_FILE: otherKey });
      // The hub now publishes the other key, and its checkpoint verifies under what it
      // publishes: only a node that pinned the key it was given at enrollment notices.
      expect((await servedCheckpoint(s.hubUrl)).signedByHub).toBe(true);
      await s.start('city');
      expectAlert(await s.monitor('city'), 'LOG_BAD_SIGNATURE');
      expectAlert(await s.audit(), 'AUDIT_BAD_SIGNATURE');
    }, 120_000);

    it('a forked log — two checkpoints of one size shown to two nodes — fails the witness quorum, then LOG_FORK', async ({
      onTestFinished,
    }) => {
      const demo = getDemo();
      const a = await scene(demo, 'fork-a', onTestFinished);
      const b = await scene(demo, 'fork-b', onTestFinished);
      // One hub database, two histories after the demo: each copy logs a different agency.
      await enrollAnotherAgency(a, 'NM0990200');
      await enrollAnotherAgency(b, 'NM0990300');
      await a.start('hub');
      await b.start('hub');
      const [seenByA, seenByB] = [
        await servedCheckpoint(a.hubUrl),
        await servedCheckpoint(b.hubUrl),
      ];
      expect(seenByA.signedByHub && seenByB.signedByHub).toBe(true);
      expect(seenByA.size).toBe(seenByB.size);
      expect(seenByA.root).not.toEqual(seenByB.root);

      // The witness (state) and the city are shown log A; the tribal node is shown log B.
      await a.start('state');
      await a.start('city');
      await b.start('tribal');
      const witness = await a.monitor('state');
      expect(witness.code).toBe(0);
      expect(witness.json['cosigned']).toBe(true);
      expect((await a.monitor('city')).code).toBe(0);
      // Log B is consistent with everything the tribal node saw before — alone it could not
      // tell — but the witness never cosigned it.
      const tribal = await b.monitor('tribal');
      expectAlert(tribal, 'LOG_QUORUM_NOT_MET');
      expect(tribal.json['stored']).toBe(false);

      // When the city node later meets log B, it holds A's checkpoint of the same size.
      await a.stop();
      await b.start('city', { SPX_DATA_DIR: a.envs.nodes.city.SPX_DATA_DIR! });
      expectAlert(await b.monitor('city'), 'LOG_FORK');
    }, 180_000);

    it('a receipt whose proof does not match: LOG_RECEIPT_INVALID, and the statement is not counted as delivered', async ({
      onTestFinished,
    }) => {
      const s = await scene(getDemo(), 'receipt', onTestFinished);
      await s.start('hub');
      await s.start('keyholder');
      const proxy = await rewritingProxy(
        s.hubUrl,
        (method, url) => method === 'POST' && url.startsWith('/v1/attestations'),
        (body) => {
          const receipts = body['receipts'] as { log: { proof: string[] } }[];
          for (const r of receipts) r.log.proof[0] = flipHash(r.log.proof[0]!);
          return body;
        },
      );
      onTestFinished(() => proxy.close());
      await s.start('city', { SPX_NODE_HUB_URL: proxy.url });
      const admin = { authorization: `Bearer ${s.envs.nodes.city.SPX_NODE_ADMIN_TOKEN!}` };
      // One more outcome in the city's internal-affairs export, then publish it.
      const csv =
        'employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since\n' +
        'RPD-10001,IA-2026-0999,termination,no,2026-03-01,2026-04-01,final,2026-05-01,yes,\n';
      const imported = await fetch(`${s.nodeUrl('city')}/v1/import/outcomes`, {
        method: 'POST',
        body: csv,
        headers: { ...admin, 'content-type': 'text/csv' },
      });
      expect(imported.status).toBe(200);
      const published = (await (
        await fetch(`${s.nodeUrl('city')}/v1/publish`, {
          method: 'POST',
          body: '{}',
          headers: { ...admin, 'content-type': 'application/json' },
        })
      ).json()) as { delivery: { accepted: number; unverified: number } };
      expect(proxy.rewritten()).toBeGreaterThan(0);
      expect(published.delivery.accepted).toBe(0);
      expect(published.delivery.unverified).toBe(1);
      expectAlert(await s.logStatus('city'), 'LOG_RECEIPT_INVALID');
    }, 120_000);
  });
}
