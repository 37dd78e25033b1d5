/**
 * The agency node's resident memory (issue 10 §3: an idle node ≤ 150 MB; docs/performance.md
 * "Node").
 *
 *   npm run build && npx tsx test/bench/node-memory.ts [--officers 2000] [--checks 20]
 *
 * Starts the demo's federation (keyholder, hub, three nodes: bin/demo) and leaves it running,
 * then starts two more nodes for the city's agency (its key, its hub and keyholder), each on a
 * fresh, empty data directory, one after the other:
 *
 * - baseline: the node as it was before issue 10 — startNode with PGlite's defaults (128 MB
 *   shared buffers, 100 connections), initdb in the serving process, the PGlite runtime shared
 *   through the process, no V8 flags — run by a small script of this benchmark;
 * - `spx node serve`: what an operator runs (lean PGlite, initdb in a child, its V8 flags).
 *
 * For each, the process's resident set (VmRSS in /proc/<pid>/status) idle after start (5 s
 * after its first health answer), after an import of --officers officers, after --checks hiring
 * checks, and its peak (VmHWM); ratios are against the baseline of the same run. Prints
 * figures; asserts nothing. Linux only (/proc).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo } from '../../bin/demo/demo.js';
import { startService, type ServiceProcess } from '../../bin/demo/processes.js';
import { generateFederation, officersCsv, seededRng } from '../../node/synthetic/index.js';
import { machine, percentile, printMachine, printTable, ratio } from './support/report.js';
import { parseArgs } from 'node:util';

const SEED = 'spx-node-memory';
const AS_OF = '2026-06-30';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const { values } = parseArgs({
  options: {
    officers: { type: 'string', default: '2000' },
    checks: { type: 'string', default: '20' },
  },
});
const officers = Number(values.officers);
const checks = Number(values.checks);
if (!Number.isSafeInteger(officers) || officers < 1) throw new Error('--officers: a count ≥ 1');
if (!Number.isSafeInteger(checks) || checks < 1) throw new Error('--checks: a count ≥ 1');

/** VmRSS and VmHWM of a process, in MiB. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The baseline: startNode from the build, with PGlite's defaults and no V8 flags. */
const BASELINE_SCRIPT = `
import { randomBytes } from 'node:crypto';
const dist = ${JSON.stringify(path.join(ROOT, 'dist'))};
const { parseNodeConfig } = await import(dist + '/node/config.js');
const { startNode } = await import(dist + '/node/service/start.js');
await startNode(parseNodeConfig(process.env), {
  fetch: globalThis.fetch,
  now: () => new Date(),
  rng: (n) => new Uint8Array(randomBytes(n)),
  log: (line) => process.stdout.write(line + '\\n'),
  leanDatabase: false,
});
`;

interface Figures {
  readonly idle: number;
  readonly imported: number;
  readonly checked: number;
  readonly idleAfter: number;
  readonly peak: number;
  readonly importSeconds: number;
  readonly checkP50: number;
}

async function measure(
  name: string,
  service: ServiceProcess,
  token: string,
  csv: string,
  candidates: readonly unknown[],
): Promise<Figures> {
  const pid = service.pid!;
  const auth = { authorization: `Bearer ${token}` };
  await sleep(5_000);
  const idle = (await memoryOf(pid)).rss;
  const t0 = performance.now();
  const imported = await fetch(`${service.url}/v1/import/officers`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/csv' },
    body: csv,
  });
  if (!imported.ok) throw new Error(`${name}: import ${imported.status} ${await imported.text()}`);
  const importSeconds = (performance.now() - t0) / 1000;
  await sleep(2_000);
  const afterImport = (await memoryOf(pid)).rss;
  const times: number[] = [];
  for (let i = 0; i < checks; i++) {
    const start = performance.now();
    const res = await fetch(`${service.url}/v1/checks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        candidate: candidates[i % candidates.length],
        purpose: 'hiring',
        consentRef: `CONSENT-BENCH-${i}`,
      }),
    });
    if (!res.ok) throw new Error(`${name}: check ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    times.push(performance.now() - start);
  }
  await sleep(2_000);
  const afterChecks = await memoryOf(pid);
  await sleep(5_000);
  const last = await memoryOf(pid);
  return {
    idle,
    imported: afterImport,
    checked: afterChecks.rss,
    idleAfter: last.rss,
    peak: last.peak,
    importSeconds,
    checkP50: percentile(times, 50),
  };
}

async function main(): Promise<void> {
  printMachine('Agency node: resident memory', machine());
  console.log(`Starting the demo federation (keyholder, hub, three nodes)…`);
  const demo = await runDemo({ seed: SEED, keepRunning: true, out: () => undefined });
  const services = [...demo.services];
  try {
    const city = demo.envs.nodes.city;
    const federation = generateFederation({
      rng: seededRng(`${SEED}-officers`),
      asOf: AS_OF,
      officers: { city: officers },
    });
    const csv = officersCsv(federation.agencies.city.officers);
    const candidates = federation.story.map((s) => s.candidate);
    const baselineScript = path.join(demo.dir, 'baseline-node.mjs');
    await writeFile(baselineScript, BASELINE_SCRIPT);

    const results: [string, Figures][] = [];
    for (const variant of ['baseline', 'spx node serve'] as const) {
      const dataDir = path.join(
        demo.dir,
        `memory-${variant === 'baseline' ? 'baseline' : 'serve'}`,
      );
      const service = await startService({
        name: variant,
        args: variant === 'baseline' ? [] : ['node', 'serve'],
        ...(variant === 'baseline' ? { command: baselineScript } : {}),
        env: { ...city, SPX_DATA_DIR: dataDir, SPX_NODE_PORT: '0' },
        logFile: `${dataDir}.log`,
      });
      try {
        console.log(`${variant}: started (pid ${service.pid}), measuring…`);
        results.push([
          variant,
          await measure(variant, service, city.SPX_NODE_ADMIN_TOKEN!, csv, candidates),
        ]);
      } finally {
        await service.stop();
      }
    }
    const base = results[0]![1];
    const mib = (v: number) => v.toFixed(0);
    const rows = (
      [
        ['idle after start', (f) => f.idle],
        [`after importing ${officers} officers`, (f) => f.imported],
        [`after ${checks} checks`, (f) => f.checked],
        ['idle again (5 s later)', (f) => f.idleAfter],
        ['peak (VmHWM)', (f) => f.peak],
      ] as const satisfies readonly (readonly [string, (f: Figures) => number])[]
    ).map(([label, pick]) => [
      label,
      ...results.map(([, f]) => mib(pick(f))),
      ratio(pick(results[1]![1]) / pick(base)),
    ]);
    printTable(['RSS (MiB)', ...results.map(([n]) => n), 'ratio'], rows);
    printTable(
      ['timing (informational)', ...results.map(([n]) => n)],
      [
        [
          `import of ${officers} officers (s)`,
          ...results.map(([, f]) => f.importSeconds.toFixed(2)),
        ],
        ['check p50 (ms)', ...results.map(([, f]) => f.checkP50.toFixed(1))],
      ],
    );
  } finally {
    for (const s of services.reverse()) await s.stop();
  }
}

await main();
