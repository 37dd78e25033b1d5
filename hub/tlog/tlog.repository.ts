/**
 * Log storage (docs/transparency.md, "Storage" and "Single writer"). `appendEntries` runs inside
 * the caller's transaction — the one that stores the statements or the registry change — and
 * takes the `log_head` row lock first thing in the log's part of it: concurrent appenders, on
 * one hub or on several replicas sharing a PostgreSQL, queue on that row, and each sees the
 * head the previous one committed. A crash before COMMIT leaves neither the statements nor
 * their leaves; after COMMIT, both.
 *
 * Node reads take one query: `where (level, index) in ((l, i), …)`, the perfect nodes the
 * crypto/merkle planners ask for, and nothing else.
 */
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { EMPTY_ROOT, nodeKey, type NodeId } from '../../crypto/merkle/index.js';
import { executeTogether, insertRowsQuery } from '../../platform/db/bulk-insert.js';
import type { HubDatabase } from '../database.js';
import { borderToLoad, hashBytes, hashText, planAppend, type NewLogEntry } from './append-plan.js';
import { logCheckpoints, logCosignatures, logEntries, logHead, logNodes } from './tlog.table.js';

export interface LogHeadState {
  readonly size: number;
  readonly root: Uint8Array;
}

export interface AppendResult extends LogHeadState {
  /** The index of the first appended entry (the old size). */
  readonly first: number;
  /** Index and salt of each appended attestation entry, by statement id. */
  readonly leaves: ReadonlyMap<string, { index: number; salt: string }>;
  /**
   * Node hashes the append read or wrote (the old border and every new node), keyed by
   * `nodeKey`: inclusion proofs of the appended leaves in the grown tree need nothing else.
   */
  readonly hashes: ReadonlyMap<string, Uint8Array>;
  /** The checkpoint of the new head, stored with the append when one was asked for. */
  readonly checkpoint?: StoredCheckpoint;
}

export interface StoredCheckpoint {
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
  readonly issuedAt: Date;
}

/**
 * Nodes per query: two bind parameters each, far below PostgreSQL's 65 535. They are matched as
 * a semi-join over a VALUES list: a row-constructor IN list of a thousand pairs or more fails
 * inside PGlite (SQLSTATE 24000), which broke every intake batch above ~120 statements.
 */
const NODES_PER_QUERY = 8000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The head row, locked FOR UPDATE until the transaction ends; created on first use. */
export async function lockHead(tx: HubDatabase, now: Date): Promise<LogHeadState> {
  const read = () =>
    tx.select({ size: logHead.size, root: logHead.root }).from(logHead).for('update');
  let [row] = await read();
  if (row === undefined) {
    // Two first appenders: one inserts, the other waits on the key and then does nothing.
    await tx
      .insert(logHead)
      .values({ singleton: true, size: 0, root: hashText(EMPTY_ROOT), updatedAt: now })
      .onConflictDoNothing();
    [row] = await read();
  }
  if (row === undefined) throw new Error('log head missing after insert');
  return { size: row.size, root: hashBytes(row.root, 'root') };
}

/** The current head without a lock (readers: proofs never need more than what it covers). */
export async function readHead(db: HubDatabase): Promise<LogHeadState> {
  const [row] = await db.select({ size: logHead.size, root: logHead.root }).from(logHead);
  return row === undefined
    ? { size: 0, root: EMPTY_ROOT }
    : { size: row.size, root: hashBytes(row.root, 'root') };
}

/** The hashes of `nodes`, keyed by `nodeKey`; throws if one is missing. */
export async function readNodes(
  db: HubDatabase,
  nodes: readonly NodeId[],
): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const part of chunks(nodes, NODES_PER_QUERY)) {
    const pairs = sql.join(
      part.map((n) => sql`(${n.level}::integer, ${n.index}::bigint)`),
      sql`, `,
    );
    const rows = await db
      .select({ level: logNodes.level, index: logNodes.index, hash: logNodes.hash })
      .from(logNodes)
      .where(
        sql`(${logNodes.level}, ${logNodes.index}) in (select * from (values ${pairs}) as wanted(level, index))`,
      );
    for (const r of rows) out.set(nodeKey(r), hashBytes(r.hash, 'node hash'));
  }
  for (const n of nodes) {
    if (!out.has(nodeKey(n))) throw new Error(`log node ${nodeKey(n)} is missing`);
  }
  return out;
}

/**
 * Appends `entries` in order, inside `tx` (the caller's transaction), under the head lock.
 * With no entries it only locks and returns the head. With `checkpoint`, the checkpoint it
 * signs for the new head is stored with the append (no checkpoint of that size can exist yet:
 * sizes only grow, under the lock) and returned as `checkpoint`.
 *
 * Three round trips: lock the head, read its border nodes, then one statement that writes the
 * entries, the new nodes, the head and the checkpoint.
 */
export async function appendEntries(
  tx: HubDatabase,
  entries: readonly NewLogEntry[],
  now: Date,
  checkpoint?: (head: LogHeadState) => Promise<StoredCheckpoint>,
): Promise<AppendResult> {
  const head = await lockHead(tx, now);
  if (entries.length === 0)
    return { ...head, first: head.size, leaves: new Map(), hashes: new Map() };
  const border = await readNodes(tx, borderToLoad(head.size));
  const plan = planAppend(head.size, border, entries, now);
  const signed = await checkpoint?.({ size: plan.size, root: plan.root });
  if (signed !== undefined && signed.size !== plan.size) {
    throw new Error('a checkpoint stored with an append is of the new head');
  }
  // The rows as one JSON parameter per table (platform/db/bulk-insert.ts), all in one statement.
  await executeTogether(tx, [
    insertRowsQuery(logEntries, plan.entries),
    insertRowsQuery(logNodes, plan.nodes),
    tx
      .update(logHead)
      .set({ size: plan.size, root: hashText(plan.root), updatedAt: now })
      .where(eq(logHead.singleton, true))
      .getSQL(),
    signed === undefined
      ? undefined
      : tx
          .insert(logCheckpoints)
          .values({ ...signed, root: hashText(signed.root) })
          .getSQL(),
  ]);
  const leaves = new Map<string, { index: number; salt: string }>();
  for (const e of plan.entries) {
    if (e.statementId !== null && e.salt !== null) {
      leaves.set(e.statementId, { index: e.index, salt: e.salt });
    }
  }
  return {
    first: head.size,
    size: plan.size,
    root: plan.root,
    leaves,
    hashes: plan.hashes,
    ...(signed === undefined ? {} : { checkpoint: signed }),
  };
}

export function logRepository(db: HubDatabase) {
  return {
    /** Entries [start, end) as stored, in order. */
    entries(start: number, end: number) {
      return db
        .select({ index: logEntries.index, entry: logEntries.entry })
        .from(logEntries)
        .where(and(gte(logEntries.index, start), lt(logEntries.index, end)))
        .orderBy(asc(logEntries.index));
    },

    /** The first index below `size` whose leaf hash is `leafHash`, if any. */
    async indexOfLeaf(leafHash: string, size: number): Promise<number | undefined> {
      const [row] = await db
        .select({ index: logEntries.index })
        .from(logEntries)
        .where(and(eq(logEntries.leafHash, leafHash), lt(logEntries.index, size)))
        .orderBy(asc(logEntries.index))
        .limit(1);
      return row?.index;
    },

    async leafHashAt(index: number): Promise<Uint8Array | undefined> {
      const [row] = await db
        .select({ leafHash: logEntries.leafHash })
        .from(logEntries)
        .where(eq(logEntries.index, index));
      return row === undefined ? undefined : hashBytes(row.leafHash, 'leaf hash');
    },

    /** Index and salt of each logged statement among `ids` (expunged ones have no salt). */
    async statementLeaves(ids: readonly string[]) {
      if (ids.length === 0) return new Map<string, { index: number; salt: string | null }>();
      const rows = await db
        .select({ id: logEntries.statementId, index: logEntries.index, salt: logEntries.salt })
        .from(logEntries)
        .where(inArray(logEntries.statementId, [...new Set(ids)]));
      return new Map(rows.map((r) => [r.id!, { index: r.index, salt: r.salt }]));
    },

    async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
      const [row] = await db
        .select()
        .from(logCheckpoints)
        .orderBy(desc(logCheckpoints.size))
        .limit(1);
      return row && { ...row, root: hashBytes(row.root, 'root') };
    },

    async checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
      const [row] = await db.select().from(logCheckpoints).where(eq(logCheckpoints.size, size));
      return row && { ...row, root: hashBytes(row.root, 'root') };
    },

    async insertCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
      await db.insert(logCheckpoints).values({ ...checkpoint, root: hashText(checkpoint.root) });
    },

    /** The `keyholder_key` entries as stored, newest first. */
    keyholderKeyEntries() {
      return db
        .select({ entry: logEntries.entry })
        .from(logEntries)
        .where(eq(logEntries.kind, 'keyholder_key'))
        .orderBy(desc(logEntries.index));
    },

    /** Up to `limit` cosignature lines for the checkpoint of `size`, newest timestamp first. */
    async cosignatureLines(size: number, limit: number): Promise<string[]> {
      const rows = await db
        .select({ line: logCosignatures.line })
        .from(logCosignatures)
        .where(eq(logCosignatures.size, size))
        .orderBy(desc(logCosignatures.timestamp), logCosignatures.ori)
        .limit(limit);
      return rows.map((r) => r.line);
    },

    /**
     * Keeps one cosignature per (size, witness): inserts `row`, or replaces the stored one if
     * `row`'s timestamp is newer. Returns the timestamp stored afterwards.
     */
    async keepCosignature(row: typeof logCosignatures.$inferInsert): Promise<number> {
      await db
        .insert(logCosignatures)
        .values(row)
        .onConflictDoUpdate({
          target: [logCosignatures.size, logCosignatures.ori],
          set: {
            keyName: row.keyName,
            line: row.line,
            timestamp: row.timestamp,
            receivedAt: row.receivedAt,
          },
          setWhere: sql`excluded.timestamp > ${logCosignatures.timestamp}`,
        });
      const [stored] = await db
        .select({ timestamp: logCosignatures.timestamp })
        .from(logCosignatures)
        .where(and(eq(logCosignatures.size, row.size), eq(logCosignatures.ori, row.ori)));
      return stored?.timestamp ?? row.timestamp;
    },
  };
}

export type LogRepository = ReturnType<typeof logRepository>;
