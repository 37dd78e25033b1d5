/**
 * What a dishonest or compromised hub operator could do to the transparency log, done to a
 * stopped hub's PGlite data directory with the hub's own code and signing key — the key file
 * sits in the hub's folder, so the operator can re-sign whatever it rewrote. The end-to-end tests
 * (log-tamper.ts) restart the hub on the tampered data and expect the nodes' monitors to notice.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { fromBase64url, toBase64url } from '../../crypto/encoding.js';
import { appendEntries, issueCheckpoint } from '../../hub/tlog/index.js';
import type { NewLogEntry } from '../../hub/tlog/append-plan.js';
import * as tables from '../../hub/schema.js';
import { HUB_MIGRATIONS } from '../../hub/server.js';
import { readSigningKeyFile } from '../../hub/signing-key/signing-key.js';
import type { HubDatabase } from '../../hub/database.js';
import { openDatabase } from '../../platform/db/open.js';
import { attestationLogEntry, encodeLogEntry, parseLogEntry } from '../../protocol/tlog.js';

/** The origin the demo's hub runs with (SPX_HUB_LOG_ORIGIN unset). */
export const DEMO_LOG_ORIGIN = 'spx.invalid/hub-log';

/** Opens the stopped hub's database in `hubDir`, runs `fn` and closes it. */
export async function withHubDatabase<T>(
  hubDir: string,
  fn: (db: HubDatabase) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase(
    { kind: 'pglite', dataDir: hubDir },
    { migrationsFolder: HUB_MIGRATIONS, tables },
  );
  try {
    return await fn(handle.db as unknown as HubDatabase);
  } finally {
    await handle.close();
  }
}

export interface StoredLeaf {
  readonly index: number;
  readonly entry: string;
  readonly statementId: string | null;
  readonly salt: string | null;
}

/** Every leaf, in log order. */
export function readLeaves(db: HubDatabase): Promise<StoredLeaf[]> {
  const e = tables.logEntries;
  return db
    .select({ index: e.index, entry: e.entry, statementId: e.statementId, salt: e.salt })
    .from(e)
    .orderBy(asc(e.index));
}

/** The log indexes of the statements agency `ori` issued, in log order. */
export async function leavesOf(db: HubDatabase, ori: string): Promise<number[]> {
  const ids = await db
    .select({ id: tables.attestations.id })
    .from(tables.attestations)
    .where(eq(tables.attestations.issuer, ori));
  const leaves = await readLeaves(db);
  const mine = new Set(ids.map((r) => r.id));
  return leaves
    .filter((l) => l.statementId !== null && mine.has(l.statementId))
    .map((l) => l.index);
}

/**
 * Rebuilds the whole log from `leaves` (which the caller altered, dropped or reordered) with
 * the hub's own append code, and signs a checkpoint of the result with the hub's key: a log
 * that is internally perfect — every proof the hub now serves verifies against its new root.
 */
export async function rewriteLog(
  db: HubDatabase,
  hubDir: string,
  leaves: readonly StoredLeaf[],
  now = new Date(),
): Promise<{ size: number }> {
  const signingKey = await readSigningKeyFile(path.join(hubDir, 'hub-signing-key.json'));
  return db.transaction(async (tx) => {
    await tx.delete(tables.logCosignatures);
    await tx.delete(tables.logCheckpoints);
    await tx.delete(tables.logEntries);
    await tx.delete(tables.logNodes);
    await tx.delete(tables.logHead);
    const entries: NewLogEntry[] = leaves.map((l) => {
      const parsed = parseLogEntry(l.entry);
      if (!parsed.ok) throw new Error(`leaf ${l.index} does not parse`);
      return {
        entry: parsed.entry,
        ...(l.statementId === null ? {} : { statementId: l.statementId }),
        ...(l.salt === null ? {} : { salt: fromBase64url(l.salt)! }),
      };
    });
    const head = await appendEntries(tx, entries, now);
    await issueCheckpoint(tx, head, { origin: DEMO_LOG_ORIGIN, signingKey }, now);
    return { size: head.size };
  });
}

/**
 * "A stored statement altered": the statement at log index `index` is replaced by other bytes
 * (here its signature changed), in the statements table and in its leaf, which now commits to
 * the altered statement with the same salt.
 */
export async function alterStatement(db: HubDatabase, hubDir: string, index: number) {
  const leaves = await readLeaves(db);
  const target = leaves[index]!;
  const [row] = await db
    .select({ jws: tables.attestations.jws })
    .from(tables.attestations)
    .where(eq(tables.attestations.id, target.statementId!));
  const jws = row!.jws;
  const altered = jws.slice(0, -2) + (jws.endsWith('AA') ? 'BB' : 'AA');
  await db
    .update(tables.attestations)
    .set({ jws: altered })
    .where(eq(tables.attestations.id, target.statementId!));
  const entry = attestationLogEntry(fromBase64url(target.salt!)!, altered);
  const rewritten = leaves.map((l) =>
    l.index === index ? { ...l, entry: encodeLogEntry(entry) } : l,
  );
  return rewriteLog(db, hubDir, rewritten);
}

/**
 * "One dropped": the statement at `index` and its leaf are deleted, and the log rebuilt without
 * it. `padding` agency entries are appended after, so the new log is not simply shorter.
 */
export async function dropStatement(
  db: HubDatabase,
  hubDir: string,
  index: number,
  padding: number,
) {
  const leaves = await readLeaves(db);
  const target = leaves[index]!;
  const pad = leaves.find((l) => l.statementId === null)!;
  await db.delete(tables.logEntries).where(eq(tables.logEntries.index, index));
  await db
    .delete(tables.attestationKeys)
    .where(eq(tables.attestationKeys.attestationId, target.statementId!));
  await db.delete(tables.attestations).where(eq(tables.attestations.id, target.statementId!));
  const kept = leaves.filter((l) => l.index !== index);
  return rewriteLog(db, hubDir, [...kept, ...Array.from({ length: padding }, () => pad)]);
}

/**
 * "Two reordered", the quiet way: the two sibling leaves `index` and `index ^ 1` trade places
 * in the stored entries and in the stored level-0 hashes, while every hash above them — the
 * root, the checkpoints, every consistency proof — stays as it was. Only a proof that needs
 * one of those two leaf hashes notices.
 */
export async function swapSiblingLeaves(db: HubDatabase, index: number): Promise<void> {
  const pair = [index, index ^ 1];
  const e = tables.logEntries;
  const n = tables.logNodes;
  await db.transaction(async (tx) => {
    const rows = await tx.select().from(e).where(inArray(e.index, pair)).orderBy(asc(e.index));
    const leafHashes = await tx
      .select()
      .from(n)
      .where(and(eq(n.level, 0), inArray(n.index, pair)))
      .orderBy(asc(n.index));
    if (rows.length !== 2 || leafHashes.length !== 2)
      throw new Error(`no sibling pair at ${index}`);
    await tx.delete(e).where(inArray(e.index, pair));
    await tx.insert(e).values([
      { ...rows[1]!, index: rows[0]!.index },
      { ...rows[0]!, index: rows[1]!.index },
    ]);
    for (const [i, h] of leafHashes.entries()) {
      await tx
        .update(n)
        .set({ hash: leafHashes[1 - i]!.hash })
        .where(and(eq(n.level, 0), eq(n.index, h.index)));
    }
  });
}

/** The note of the latest checkpoint the hub stored. */
export async function latestCheckpointNote(db: HubDatabase): Promise<string> {
  const c = tables.logCheckpoints;
  const [top] = await db.select({ note: c.note }).from(c).orderBy(desc(c.size)).limit(1);
  return top!.note;
}

/** Corrupts the hub's own signature on the latest checkpoint it stored; returns its size. */
export async function corruptLatestCheckpointSignature(db: HubDatabase): Promise<number> {
  const c = tables.logCheckpoints;
  const [top] = await db.select().from(c).orderBy(desc(c.size)).limit(1);
  // The note's signature line is "— <origin> <base64(key hash ‖ signature)>".
  const lines = top!.note.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`\u2014 ${DEMO_LOG_ORIGIN} `));
  const parts = lines[at]!.split(' ');
  const blob = Buffer.from(parts[2]!, 'base64');
  blob[blob.length - 1] = blob[blob.length - 1]! ^ 0xff;
  parts[2] = blob.toString('base64');
  lines[at] = parts.join(' ');
  await db
    .update(c)
    .set({ note: lines.join('\n') })
    .where(eq(c.size, top!.size));
  return top!.size;
}

export interface RewritingProxy {
  readonly url: string;
  /** How many responses the rewrite changed. */
  rewritten(): number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the hub — "the hub's responses, edited": requests are forwarded
 * byte for byte (signed requests stay valid), and each JSON answer to a request that `match`es
 * goes through `rewrite` first.
 */
export async function rewritingProxy(
  target: string,
  match: (method: string, url: string) => boolean,
  rewrite: (body: Record<string, unknown>) => Record<string, unknown>,
): Promise<RewritingProxy> {
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) {
          if (v === undefined || k === 'host' || k === 'connection') continue;
          headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        }
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const upstream = await fetch(target + req.url, {
          method: req.method ?? 'GET',
          headers,
          ...(body && req.method !== 'GET' ? { body } : {}),
        });
        let out = Buffer.from(await upstream.arrayBuffer());
        const type = upstream.headers.get('content-type') ?? '';
        if (upstream.ok && type.includes('json') && match(req.method ?? 'GET', req.url ?? '')) {
          out = Buffer.from(JSON.stringify(rewrite(JSON.parse(out.toString('utf8')))));
          count++;
        }
        res.writeHead(upstream.status, { 'content-type': type || 'application/octet-stream' });
        res.end(out);
      })().catch(() => {
        res.writeHead(502).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rewritten: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One base64url hash of a proof with a flipped bit. */
export function flipHash(hash: string): string {
  const bytes = fromBase64url(hash)!;
  bytes[0] = bytes[0]! ^ 0x01;
  return toBase64url(bytes);
}
