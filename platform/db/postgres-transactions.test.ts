/**
 * Transactions whose connection is lost (PostgreSQL only): the server ends the transaction's
 * session with `pg_terminate_backend` — what a `pg_ctl restart -m fast` does to every session
 * (SQLSTATE 57P01) — while a statement is in flight, or between two statements. Without
 * guardTransactions, postgres.js 3.4 then writes the ROLLBACK or the next statement to the
 * socket it has dropped and the process dies of an uncaught TypeError (the test run fails with
 * it). The whole-hub version, with a real restart, is test/e2e/hub-db-restart.test.ts.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConnectionLost } from './connection-loss.js';
import type { Database, DatabaseHandle } from './database.js';
import { FIXTURE_MIGRATIONS } from './fixtures/paths.js';
import * as tables from './fixtures/schema.js';
import { guardTransactions } from './postgres-transactions.js';
import { openTestDatabase } from './test-db.js';

const url = process.env['SPX_TEST_DATABASE_URL'] || undefined;

/** postgres.js returns rows as an array. */
async function firstRow<T>(db: Database<typeof tables>, query: ReturnType<typeof sql>) {
  return ((await db.execute(query)) as unknown as T[])[0]!;
}

async function backendPid(db: Database<typeof tables>): Promise<number> {
  return (await firstRow<{ pid: number }>(db, sql`select pg_backend_pid() as pid`)).pid;
}

async function terminate(db: Database<typeof tables>, pid: number): Promise<void> {
  const row = await firstRow<{ done: boolean }>(
    db,
    sql`select pg_terminate_backend(${pid}) as done`,
  );
  expect(row.done).toBe(true);
}

function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the transaction to fail');
    },
    (e: unknown) => e,
  );
}

describe.runIf(url)('a transaction whose connection is lost', () => {
  let handle: DatabaseHandle<typeof tables>;
  beforeAll(async () => {
    handle = await openTestDatabase(FIXTURE_MIGRATIONS, { tables });
  });
  afterAll(() => handle?.close());

  it('fails with a lost-connection error when its statement is in flight, and the pool goes on', async () => {
    const { db } = handle;
    const failure = await failureOf(
      db.transaction(async (tx) => {
        await tx.insert(tables.authors).values({ name: 'in flight' });
        const pid = await backendPid(tx);
        const sleeping = tx.execute(sql`select pg_sleep(60)`);
        await terminate(db, pid);
        await sleeping;
      }),
    );
    expect(isConnectionLost(failure)).toBe(true);
    // The server rolled the transaction back; the pool serves the next query.
    expect(await db.select().from(tables.authors)).toEqual([]);
  });

  it('refuses a statement sent after the close instead of writing it to the dropped socket', async () => {
    const { db } = handle;
    let signalClosed!: () => void;
    const closed = new Promise<void>((resolve) => (signalClosed = resolve));
    let refused: unknown;
    const transaction = db.transaction(async (tx) => {
      await terminate(db, await backendPid(tx));
      // Wait until postgres.js has seen the close (it rejects the transaction then).
      await closed;
      refused = await tx
        .insert(tables.authors)
        .values({ name: 'after the close' })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      throw refused;
    });
    const failure = await failureOf(transaction.finally(signalClosed));
    expect(isConnectionLost(failure)).toBe(true);
    await expect.poll(() => refused).toBeDefined();
    expect(isConnectionLost(refused)).toBe(true);
    expect(await db.select().from(tables.authors)).toEqual([]);
  });
});

describe.runIf(url)('an error that only looks like a lost connection', () => {
  it('rolls the transaction back on its live connection once the close fails to come', async () => {
    const client = postgres(url!, { max: 1, onnotice: () => undefined, fetch_types: false });
    const db = drizzle({ client: guardTransactions(client, 20) });
    try {
      await db.execute(sql`create temporary table t (v text)`);
      const lookalike = Object.assign(new Error('not really closed'), {
        code: 'CONNECTION_CLOSED',
      });
      const failure = await failureOf(
        db.transaction(async (tx) => {
          await tx.execute(sql`insert into t values ('x')`);
          throw lookalike;
        }),
      );
      expect(failure).toBe(lookalike);
      // Same single connection (the temporary table is per session): the insert was undone.
      expect(await db.execute(sql`select v from t`)).toHaveLength(0);
    } finally {
      await client.end({ timeout: 5 });
    }
  });
});
