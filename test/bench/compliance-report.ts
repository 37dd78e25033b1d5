/**
 * The cost of building the compliance report (docs/compliance.md, "Cost"): for A agencies and
 * about S statements, the time to read, build, encode and sign the report of one period, in
 * JSON and in CSV, and the process's peak RSS meanwhile — against an in-process baseline of a
 * tenth of the agencies (and of the statements), built first on the same database, for the
 * ratio. The data is written in SQL, as test/bench/statistics-release.ts writes its bulk:
 * agencies of every level (some tribal), a certification per agency for most (on time, late,
 * zero reports, a few corrections), and final decisions dated in the period with a spread of
 * report delays, some re-stated. Credential standings come from an in-memory source spread over
 * every standing, as a credential store would answer.
 *
 *   npx tsx test/bench/compliance-report.ts --agencies 1800 --db pglite
 */
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { signingKeyFromSeed } from '../../crypto/signing/keys.js';
import { hubTables } from '../../hub/index.js';
import { HUB_MIGRATIONS } from '../../hub/server.js';
import type { HubDatabase } from '../../hub/database.js';
import { complianceService } from '../../hub/compliance/compliance.service.js';
import { complianceRepository } from '../../hub/compliance/compliance.repository.js';
import { standingWithoutRecord } from '../../hub/compliance/credential-sources.js';
import {
  CREDENTIAL_STANDINGS,
  type CredentialStandingSource,
} from '../../protocol/credential-standing.js';
import { openBenchDatabase, postgresReachable } from './support/bench-db.js';
import {
  machine,
  parseBenchArgs,
  positiveInt,
  printMachine,
  printTable,
  ratio,
} from './support/report.js';

const USAGE = `npx tsx test/bench/compliance-report.ts [options]
  --db pglite|postgres|both   databases (default both; PostgreSQL at SPX_BENCH_DATABASE_URL,
                              default postgres://postgres@127.0.0.1:5432/test; a fresh schema)
  --agencies A                agencies (default 18000)
  --statements S              final decisions and re-statements (default A × 1,000,000 / 18,000)
  --baseline B                agencies of the in-process baseline (default A / 10)`;

const { values, databases, explicitDb, postgresUrl } = parseBenchArgs(
  {
    agencies: { type: 'string', default: '18000' },
    statements: { type: 'string' },
    baseline: { type: 'string' },
  },
  USAGE,
);
const agencies = positiveInt(values.agencies, 'agencies');
const perAgency = 1_000_000 / 18_000;
const statements =
  values.statements === undefined
    ? Math.round(agencies * perAgency)
    : positiveInt(values.statements, 'statements');
const baseline =
  values.baseline === undefined
    ? Math.max(1, Math.round(agencies / 10))
    : positiveInt(values.baseline, 'baseline');
if (baseline >= agencies) throw new Error('--baseline must be below --agencies');

const PERIOD = '2026-Q1';
const AS_OF = '2026-06-01T00:00:00Z';

const SAMPLER = `
const { parentPort } = require('node:worker_threads');
let peak = 0;
setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
parentPort.on('message', (m) => {
  if (m === 'reset') peak = process.memoryUsage.rss();
  else parentPort.postMessage(peak);
});`;
const sampler = new Worker(SAMPLER, { eval: true });
sampler.unref();
const rssPeak = () =>
  new Promise<number>((resolve) => {
    sampler.once('message', resolve);
    sampler.postMessage('read');
  });
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;

/** Agencies [from, to) and their share of the statements, in SQL. */
async function fill(db: HubDatabase, from: number, to: number): Promise<number> {
  await db.execute(sql`
    insert into agencies (ori, name, jurisdiction, state, roles, contact_name, contact_email,
                          contact_phone, status, enrolled_at, updated_at)
    select 'BK' || lpad(g::text, 7, '0'), 'Bench agency ' || g || case when g % 5 = 0 then ', "North"' else '' end,
           (array['local', 'local', 'local', 'local', 'state', 'federal', 'tribal', 'territorial'])[1 + g % 8],
           case when g % 8 in (5, 6) then null else 'CA' end,
           array['reporter'], 'Records Unit', 'records@example.gov', '+12135550100',
           case when g % 97 = 0 then 'suspended' else 'active' end,
           '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
      from generate_series(${from}::int, ${to - 1}::int) g`);
  // Certifications: 85 % certify (1 in 8 of them late, 1 in 6 a zero report), 1 in 20 corrected.
  await db.execute(sql`
    insert into certifications (id, issuer, kid, period, sworn, statements, zero_report,
                                supersedes, superseded_by, deadline, deadline_table, issued_at,
                                received_at, log_index, jws)
    select 'c' || g, 'BK' || lpad(g::text, 7, '0'), 'bench', ${PERIOD}, 10 + g % 400,
           case when g % 6 = 0 then 0 else 1 + g % 90 end, g % 6 = 0,
           null, case when g % 20 = 1 then 'd' || g end, '2026-04-30', 1,
           '2026-04-10T00:00:00Z',
           case when g % 8 = 3 then timestamptz '2026-05-06T00:00:00Z'
                else timestamptz '2026-04-10T00:00:00Z' end,
           g, 'bench'
      from generate_series(${from}::int, ${to - 1}::int) g where g % 20 <> 7 and g % 20 <> 13 and g % 20 <> 17`);
  await db.execute(sql`
    insert into certifications (id, issuer, kid, period, sworn, statements, zero_report,
                                supersedes, superseded_by, deadline, deadline_table, issued_at,
                                received_at, log_index, jws)
    select 'd' || g, 'BK' || lpad(g::text, 7, '0'), 'bench', ${PERIOD}, 11 + g % 400,
           case when g % 6 = 0 then 0 else 1 + g % 90 end, g % 6 = 0,
           'c' || g, null, '2026-04-30', 1, '2026-05-02T00:00:00Z',
           '2026-05-02T00:00:00Z', ${10_000_000} + g, 'bench'
      from generate_series(${from}::int, ${to - 1}::int) g where g % 20 = 1`);
  // Statements: the agency's share, final decisions dated in the period, reported 0-24 days
  // after the decision, 1 in 25 late (31-60 days); 1 in 10 a re-statement of an earlier one.
  const lo = Math.round(from * (statements / agencies));
  const hi = Math.round(to * (statements / agencies));
  const STEP = 100_000;
  for (let a = lo; a < hi; a += STEP) {
    const b = Math.min(hi, a + STEP) - 1;
    await db.execute(sql`
      insert into attestations (id, issuer, kid, epoch, category_list, category, use_of_force,
                                event_date, outcome_date, status, status_date, supersedes,
                                superseded_by, live, issued_at, received_at, jws)
      select 'bk' || g, 'BK' || lpad((${from} + g % ${to - from})::text, 7, '0'), 'bench', 1, 1,
             'termination', false, d, d, 'final', d,
             case when g % 10 = 9 and g - ${to - from} >= ${lo} then 'bk' || (g - ${to - from}) end,
             case when (g + ${to - from}) % 10 = 9 and g + ${to - from} < ${hi}
                  then 'bk' || (g + ${to - from}) end,
             true, d || 'T12:00:00Z',
             d::date + (case when h % 25 = 0 then 31 + h % 30 else h % 25 end) * interval '1 day'
               + interval '12 hours', 'bench'
        from (select g, ('x' || substr(md5(g::text), 1, 7))::bit(28)::int as h,
                     to_char(date '2026-01-01'
                             + (('x' || substr(md5(g::text), 9, 7))::bit(28)::int % 90),
                             'YYYY-MM-DD') as d
                from generate_series(${a}::int, ${b}::int) g) r`);
  }
  // The re-statements keep their predecessor's decision date.
  await db.execute(sql`
    update attestations s set status_date = p.status_date
      from attestations p
     where p.id = s.supersedes and s.id >= ${'bk'} and s.supersedes is not null
       and p.issuer = s.issuer and s.status_date <> p.status_date`);
  await db.execute(sql`analyze`);
  return hi - lo;
}

/** Standings spread over every kind, by the agency's number: what a credential store answers. */
const spreadSource: CredentialStandingSource = (oris) =>
  Promise.resolve(
    new Map(
      oris.map((ori) => {
        const kind = CREDENTIAL_STANDINGS[Number(ori.slice(2)) % CREDENTIAL_STANDINGS.length]!;
        return [ori, { ...standingWithoutRecord(ori, false), standing: kind }];
      }),
    ),
  );

interface Row {
  agencies: number;
  statements: number;
  format: string;
  seconds: number;
  reads: number;
  rssBefore: number;
  rss: number;
  bytes: number;
  eligible: number | null;
}

async function build(db: HubDatabase, format: 'json' | 'csv', rows: Row[], held: number) {
  const key = await signingKeyFromSeed(new Uint8Array(32).fill(0xbe));
  const service = complianceService(db, {
    signingKey: () => Promise.resolve(key),
    credentials: spreadSource,
    periodLength: 'quarter',
  });
  global.gc?.();
  const rssBefore = process.memoryUsage.rss();
  sampler.postMessage('reset');
  const start = performance.now();
  const signed = await service.signedReport(
    { period: PERIOD, asOf: AS_OF, format },
    new Date('2026-06-02T00:00:00Z'),
  );
  const seconds = (performance.now() - start) / 1000;
  const count = await db.$count(hubTables.agencies);
  // The database's share: the three reads again, alone (warm, as the build left them).
  const repo = complianceRepository(db);
  const asOf = new Date(AS_OF);
  const readStart = performance.now();
  await Promise.all([
    repo.agencies(asOf),
    repo.certifications(PERIOD, asOf),
    repo.lags(PERIOD, asOf),
  ]);
  const reads = (performance.now() - readStart) / 1000;
  rows.push({
    agencies: count,
    statements: held,
    format,
    seconds,
    reads,
    rssBefore,
    rss: await rssPeak(),
    bytes: Buffer.byteLength(signed.body),
    eligible:
      format === 'json'
        ? (JSON.parse(signed.body) as { summary: { eligible: number } }).summary.eligible
        : null,
  });
}

printMachine('compliance report build', machine());
for (const kind of databases) {
  if (kind === 'postgres' && !(await postgresReachable(postgresUrl))) {
    if (explicitDb) throw new Error(`PostgreSQL at ${postgresUrl} is not reachable`);
    console.log(`PostgreSQL at ${postgresUrl} is not reachable: skipped\n`);
    continue;
  }
  const bdb = await openBenchDatabase(kind, {
    migrationsFolder: HUB_MIGRATIONS,
    tables: hubTables,
    postgresUrl,
  });
  try {
    const db = bdb.handle.db;
    const rows: Row[] = [];
    const loadStart = performance.now();
    const small = await fill(db, 0, baseline);
    for (const f of ['json', 'csv'] as const) await build(db, f, rows, small);
    const large = small + (await fill(db, baseline, agencies));
    const loadSeconds = (performance.now() - loadStart) / 1000;
    for (const f of ['json', 'csv'] as const) await build(db, f, rows, large);
    console.log(`## ${bdb.label} (bulk load ${loadSeconds.toFixed(1)} s)\n`);
    printTable(
      [
        'agencies',
        'statements',
        'format',
        'build (s)',
        'reads alone (s)',
        'RSS before (MB)',
        'peak RSS (MB)',
        'report (MB)',
        'eligible',
        'time vs baseline',
      ],
      rows.map((r) => {
        const base = rows.find((b) => b.format === r.format)!;
        return [
          String(r.agencies),
          String(r.statements),
          r.format,
          r.seconds.toFixed(2),
          r.reads.toFixed(2),
          mb(r.rssBefore),
          mb(r.rss),
          (r.bytes / 2 ** 20).toFixed(1),
          r.eligible === null ? '—' : String(r.eligible),
          ratio(r.seconds / base.seconds),
        ];
      }),
    );
  } finally {
    await bdb.close();
  }
}
