/**
 * One sustained run with a PostgreSQL restart in the middle (test/bench/sustained-load.ts prints
 * it; test/e2e/hub-db-restart.test.ts asserts on a short one):
 *
 * 1. a PostgreSQL cluster of the run's own (test/support/private-postgres.ts), so that the
 *    shared server other suites use is never restarted;
 * 2. the hub's signing key from `spx hub keygen`, the corpus's agencies enrolled and its
 *    attestations stored (support/hub-setup.ts), with the bench process's own connection,
 *    closed before the load;
 * 3. the real `spx hub serve` (the build in dist/) on that cluster, its RSS sampled every second
 *    from /proc;
 * 4. the mixed load (support/mixed-load.ts), and `pg_ctl restart -m fast` once the given share
 *    of the run has passed;
 * 5. every acknowledged statement looked up in the database: its row, and its leaf at the index
 *    its receipt gave, below the latest checkpoint's size.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { spx, startService, type ServiceProcess } from '../../../bin/demo/processes.js';
import { openDatabase } from '../../../platform/db/open.js';
import { hubTables } from '../../../hub/index.js';
import { intakeRepository } from '../../../hub/intake/intake.repository.js';
import { HUB_MIGRATIONS } from '../../../hub/server.js';
import { logRepository } from '../../../hub/tlog/tlog.repository.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres.js';
import { buildCorpus } from './hub-corpus.js';
import { createBenchHub, loadCorpus } from './hub-setup.js';
import { MixedLoad, type Kind, type LoadOutcome } from './mixed-load.js';

export interface SustainedOptions {
  readonly durationMs: number;
  readonly officers: number;
  readonly reporters: number;
  readonly rates: Readonly<Record<Kind, number>>;
  readonly lanes: Readonly<Record<Kind, number>>;
  readonly batchSize: number;
  /** When to restart PostgreSQL, as a share of the duration; undefined: no restart. */
  readonly restartAt: number | undefined;
  readonly progress?: (line: string) => void;
}

export interface RssSample {
  /** Milliseconds since the load started. */
  readonly t: number;
  readonly mib: number;
}

export interface Verification {
  readonly acknowledged: number;
  readonly stored: number;
  readonly logged: number;
  /** Leaves at another index than the receipt said. */
  readonly misplaced: number;
  readonly checkpointSize: number;
}

export interface SustainedResult extends LoadOutcome {
  readonly postgresVersion: string;
  readonly setupSeconds: { sign: number; store: number };
  /** Milliseconds since the load started: `pg_ctl restart` called and returned. */
  readonly restart: { readonly from: number; readonly to: number } | undefined;
  readonly rss: readonly RssSample[];
  /** The hub died during the load (it was not stopped by the run). */
  readonly hubDied: boolean;
  readonly hubExitCode: number | null;
  /** The hub's log lines by `level event` (`request` lines also by status). */
  readonly hubLog: ReadonlyMap<string, number>;
  readonly verification: Verification;
}

const LOG_ORIGIN = 'sustained.spx.invalid/hub-log';

function rssMiB(pid: number): Promise<number | undefined> {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (text) => {
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(text)?.[1];
      return kb === undefined ? undefined : Number(kb) / 1024;
    },
    () => undefined,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function summarizeLog(file: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line) as { level?: string; event?: string; status?: number };
      const key = `${e.level} ${e.event}${e.event === 'request' ? ` ${e.status}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      // not a log line
    }
  }
  return counts;
}

async function verify(url: string, ledger: ReadonlyMap<string, number>): Promise<Verification> {
  const handle = await openDatabase(
    { kind: 'postgres', url },
    { migrationsFolder: HUB_MIGRATIONS, tables: hubTables },
  );
  try {
    const ids = [...ledger.keys()];
    let stored = 0;
    let logged = 0;
    let misplaced = 0;
    const latest = await logRepository(handle.db).latestCheckpoint();
    const checkpointSize = latest?.size ?? 0;
    for (let i = 0; i < ids.length; i += 5000) {
      const part = ids.slice(i, i + 5000);
      stored += (await intakeRepository(handle.db).findByIds(part)).size;
      const leaves = await logRepository(handle.db).statementLeaves(part);
      for (const id of part) {
        const leaf = leaves.get(id);
        if (leaf === undefined || leaf.index >= checkpointSize) continue;
        logged++;
        if (leaf.index !== ledger.get(id)) misplaced++;
      }
    }
    return { acknowledged: ids.length, stored, logged, misplaced, checkpointSize };
  } finally {
    await handle.close();
  }
}

export async function runSustained(options: SustainedOptions): Promise<SustainedResult> {
  const say = options.progress ?? (() => undefined);
  const dir = await mkdtemp(path.join(tmpdir(), 'spx-sustained-'));
  let pg: PrivatePostgres | undefined;
  let hub: ServiceProcess | undefined;
  try {
    say('starting a private PostgreSQL cluster');
    pg = await startPrivatePostgres();
    const keyFile = path.join(dir, 'hub-signing-key.json');
    await spx(['hub', 'keygen', '--out', keyFile, '--json']);

    say(`signing ${options.officers} attestations`);
    let started = performance.now();
    const corpus = await buildCorpus(options.officers, options.reporters);
    const sign = (performance.now() - started) / 1000;
    started = performance.now();
    const setup = await openDatabase(
      { kind: 'postgres', url: pg.url },
      { migrationsFolder: HUB_MIGRATIONS, tables: hubTables },
    );
    let postgresVersion = '?';
    try {
      const bench = await createBenchHub(setup.db, corpus);
      say('storing the corpus');
      await loadCorpus(setup.db, bench, corpus, { viaIntake: 0, batch: 1000 });
      const rows = (await setup.db.execute(sql`show server_version`)) as unknown as {
        server_version: string;
      }[];
      postgresVersion = rows[0]?.server_version.split(' ')[0] ?? '?';
    } finally {
      await setup.close();
    }
    const store = (performance.now() - started) / 1000;

    const logFile = path.join(dir, 'hub.log');
    hub = await startService({
      name: 'hub',
      args: ['hub', 'serve'],
      logFile,
      env: {
        SPX_DATABASE_URL: pg.url,
        SPX_HUB_PORT: '0',
        SPX_HUB_KEY_FILE: keyFile,
        SPX_HUB_EPOCHS: '1',
        SPX_HUB_LOG_ORIGIN: LOG_ORIGIN,
        // The load's few agencies stand for many: no per-agency check limit (docs/api.md).
        SPX_HUB_CHECK_RATE_PER_MINUTE: '0',
      },
    });
    const pid = hub.pid!;
    say(`hub ${hub.url} (pid ${pid}); load for ${options.durationMs / 1000} s`);

    const load = new MixedLoad({
      url: hub.url,
      durationMs: options.durationMs,
      rates: options.rates,
      lanes: options.lanes,
      batchSize: options.batchSize,
      agencies: corpus.reporters,
      corpusSize: options.officers,
      timeoutMs: 30_000,
      maxRetryAfterMs: 5_000,
    });
    const rss: RssSample[] = [];
    let hubDied = false;
    const sampler = setInterval(() => {
      if (!alive(pid)) hubDied = true;
      void rssMiB(pid).then((mib) => mib !== undefined && rss.push({ t: load.now(), mib }));
    }, 1000);
    let restart: SustainedResult['restart'];
    const cluster = pg;
    const restarting =
      options.restartAt === undefined
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) =>
            setTimeout(() => {
              const from = load.now();
              say('restarting PostgreSQL (pg_ctl restart -m fast)');
              cluster.restart('fast').then(() => {
                restart = { from, to: load.now() };
                say(`PostgreSQL back after ${((restart.to - from) / 1000).toFixed(2)} s`);
                resolve();
              }, reject);
            }, options.durationMs * options.restartAt!),
          );
    const outcome = await load.run();
    await restarting;
    clearInterval(sampler);
    if (!alive(pid)) hubDied = true;

    say(`verifying ${outcome.ledger.size} acknowledged statements`);
    const verification = await verify(pg.url, outcome.ledger);
    const hubExitCode = hubDied ? null : await hub.stop();
    hub = undefined;
    return {
      ...outcome,
      postgresVersion,
      setupSeconds: { sign, store },
      restart,
      rss,
      hubDied,
      hubExitCode,
      hubLog: await summarizeLog(logFile),
      verification,
    };
  } finally {
    await hub?.stop().catch(() => undefined);
    await pg?.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
