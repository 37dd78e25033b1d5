/**
 * The transparency log at scale (issue 4, "Benchmark"; docs/performance.md).
 *
 *   npx tsx test/bench/transparency-log.ts [--db postgres|pglite|both] [--leaves 1000000]
 *                                          [--batch 500] [--samples 300]
 *
 * Grows a hub log to --leaves entries through the hub's own append (hub/tlog appendEntries: the
 * head row locked, the border loaded, entries and every new perfect node inserted, one
 * transaction per batch), then times inclusion and consistency proof generation (one
 * `(level, index) in (…)` read per proof, as the endpoints do) and their verification
 * (crypto/merkle, pure). Baselines in the same process and database: inserting the same entry
 * rows into a plain table (no tree), and reading one entry by its primary key. Prints figures;
 * asserts nothing about speed.
 */
import { sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { hubTables } from '../../hub/index.js';
import { appendEntries, readHead } from '../../hub/tlog/tlog.repository.js';
import { consistencyProof, inclusionProof } from '../../hub/tlog/proofs.js';
import { HUB_MIGRATIONS } from '../../hub/server.js';
import { fromBase64url } from '../../crypto/encoding.js';
import { verifyInclusion } from '../../crypto/merkle/index.js';
import { attestationLogEntry, encodeLogEntry, logEntryLeafHash } from '../../protocol/tlog.js';
import type { NewLogEntry } from '../../hub/tlog/append-plan.js';
import { openBenchDatabase, postgresReachable } from './support/bench-db.js';
import {
  machine,
  ms,
  parseBenchArgs,
  percentile,
  positiveInt,
  printMachine,
  printTable,
  rate,
  ratio,
} from './support/report.js';

const USAGE = `npx tsx test/bench/transparency-log.ts [options]
  --db pglite|postgres|both   databases to run on (default both)
  --leaves N                  log size to grow to (default 1000000)
  --batch B                   entries per append transaction (default 500)
  --samples S                 proofs generated and verified per kind (default 300)`;

const { values, databases, explicitDb, postgresUrl } = parseBenchArgs(
  {
    leaves: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '500' },
    samples: { type: 'string', default: '300' },
  },
  USAGE,
);
const leaves = positiveInt(values.leaves, 'leaves');
const batch = positiveInt(values.batch, 'batch');
const samples = positiveInt(values.samples, 'samples');

printMachine('transparency log', machine());
console.log(`${leaves} leaves, ${batch} per append transaction, ${samples} proofs per kind\n`);

function entries(count: number, first: number): NewLogEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const salt = new Uint8Array(randomBytes(32));
    const statement = `bench.statement.${first + i}`;
    return { entry: attestationLogEntry(salt, statement), statementId: statement, salt };
  });
}

const pick = (n: number) => Math.floor(Math.random() * n);
const timed = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
};

for (const kind of databases) {
  if (kind === 'postgres' && !explicitDb && !(await postgresReachable(postgresUrl))) {
    console.log('PostgreSQL not reachable at SPX_BENCH_DATABASE_URL: skipped\n');
    continue;
  }
  const bdb = await openBenchDatabase(kind, {
    migrationsFolder: HUB_MIGRATIONS,
    tables: hubTables,
    postgresUrl,
  });
  const db = bdb.handle.db;
  try {
    await db.execute(
      sql`create table bench_plain_entries (idx bigint primary key, entry text not null, leaf_hash text not null)`,
    );
    let appendMs = 0;
    let plainMs = 0;
    const now = new Date();
    for (let done = 0; done < leaves; done += batch) {
      const chunk = entries(Math.min(batch, leaves - done), done);
      appendMs += (await timed(() => db.transaction((tx) => appendEntries(tx, chunk, now))))[1];
      // Baseline: the same rows into a plain table, one transaction, no tree.
      const rows = chunk.map((e, i) => ({
        idx: done + i,
        entry: encodeLogEntry(e.entry),
        leaf: Buffer.from(logEntryLeafHash(e.entry)).toString('base64url'),
      }));
      plainMs += (
        await timed(() =>
          db.transaction(async (tx) => {
            await tx.execute(
              sql`insert into bench_plain_entries (idx, entry, leaf_hash) values ${sql.join(
                rows.map((r) => sql`(${r.idx}, ${r.entry}, ${r.leaf})`),
                sql`, `,
              )}`,
            );
          }),
        )
      )[1];
      if ((done / batch) % 20 === 0)
        process.stderr.write(`\r  appended ${done + chunk.length}/${leaves}`);
    }
    process.stderr.write('\n');
    await db.execute(sql`analyze`);
    const head = await readHead(db);
    const root = head.root;

    const inclusionGen: number[] = [];
    const inclusionVerify: number[] = [];
    const lookup: number[] = [];
    for (let s = 0; s < samples; s++) {
      const index = pick(head.size);
      const [proof, genMs] = await timed(() => inclusionProof(db, index, head.size));
      inclusionGen.push(genMs);
      const [rowsRead, lookupMs] = await timed(() =>
        db.execute(sql`select leaf_hash from bench_plain_entries where idx = ${index}`),
      );
      lookup.push(lookupMs);
      const leafText =
        (rowsRead as unknown as { rows?: { leaf_hash: string }[] }).rows?.[0]?.leaf_hash ??
        (rowsRead as unknown as { leaf_hash: string }[])[0]?.leaf_hash;
      const leaf = fromBase64url(leafText!)!;
      inclusionVerify.push(
        (await timed(() => verifyInclusion(index, head.size, leaf, proof, root)))[1],
      );
    }
    const consistencyGen: number[] = [];
    for (let s = 0; s < samples; s++) {
      const from = 1 + pick(head.size - 1);
      consistencyGen.push((await timed(() => consistencyProof(db, from, head.size)))[1]);
    }

    console.log(`## ${bdb.label}\n`);
    printTable(
      ['measure', 'figure', 'baseline', 'ratio'],
      [
        [
          'append (leaves/s)',
          rate((leaves / appendMs) * 1000),
          rate((leaves / plainMs) * 1000),
          ratio(appendMs / plainMs),
        ],
        [
          'inclusion proof p50 / p99 (ms)',
          `${ms(percentile(inclusionGen, 50))} / ${ms(percentile(inclusionGen, 99))}`,
          `${ms(percentile(lookup, 50))} / ${ms(percentile(lookup, 99))}`,
          ratio(percentile(inclusionGen, 50) / percentile(lookup, 50)),
        ],
        [
          'consistency proof p50 / p99 (ms)',
          `${ms(percentile(consistencyGen, 50))} / ${ms(percentile(consistencyGen, 99))}`,
          '',
          '',
        ],
        ['inclusion verification p50 (ms, pure)', ms(percentile(inclusionVerify, 50)), '', ''],
      ],
    );
    console.log('\nbaselines: a plain INSERT of the same rows; a primary-key read of one entry\n');
  } finally {
    await bdb.close();
  }
}
