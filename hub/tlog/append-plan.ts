/**
 * The pure half of an append (docs/transparency.md, "Appending"): from the stored head and its
 * border nodes, the rows to write for new entries — entry rows, every new perfect node, the new
 * head. The repository does the reads and writes around it under the head's row lock.
 */
import { fromBase64url, toBase64url, utf8 } from '../../crypto/encoding.js';
import {
  appendLeaves,
  borderNodes,
  leafHash,
  nodeKey,
  type NodeHash,
  type NodeId,
} from '../../crypto/merkle/index.js';
import { encodeLogEntry, LOG_SALT_BYTES, type LogEntry } from '../../protocol/tlog.js';

/** One entry to append; an attestation entry names its statement and its commitment's salt. */
export interface NewLogEntry {
  readonly entry: LogEntry;
  readonly statementId?: string;
  readonly salt?: Uint8Array;
}

export interface EntryRow {
  readonly index: number;
  readonly kind: LogEntry['kind'];
  readonly entry: string;
  readonly leafHash: string;
  readonly statementId: string | null;
  readonly salt: string | null;
  readonly appendedAt: Date;
}

export interface NodeRow {
  readonly level: number;
  readonly index: number;
  readonly hash: string;
}

export interface AppendPlan {
  readonly entries: EntryRow[];
  readonly nodes: NodeRow[];
  /**
   * The hashes of the border read and of every new node, keyed by `nodeKey`: all an inclusion
   * proof of an appended leaf in the grown tree needs (its left siblings are border nodes, the
   * rest is new), so a receipt's proof needs no read of the node store.
   */
  readonly hashes: ReadonlyMap<string, Uint8Array>;
  /** The size and root after the append. */
  readonly size: number;
  readonly root: Uint8Array;
}

export const hashText = toBase64url;

/** A stored 32-byte hash; a corrupt one is a defect of the store, not of a request. */
export function hashBytes(text: string, what: string): Uint8Array {
  const bytes = fromBase64url(text);
  if (bytes === undefined || bytes.length !== 32) throw new Error(`stored ${what} is not a hash`);
  return bytes;
}

/** The border nodes an append to a tree of `size` leaves must load. */
export function borderToLoad(size: number): NodeId[] {
  return borderNodes(size);
}

/**
 * Rows for appending `entries` to the tree of `size` leaves whose border hashes are `border`
 * (keyed by `level/index`). Throws when an attestation entry lacks its statement id or salt,
 * or another kind carries them: the evidence a receipt gives depends on them.
 */
export function planAppend(
  size: number,
  border: ReadonlyMap<string, Uint8Array>,
  entries: readonly NewLogEntry[],
  now: Date,
): AppendPlan {
  const borderHashes: NodeHash[] = borderNodes(size).map((n) => {
    const hash = border.get(`${n.level}/${n.index}`);
    if (hash === undefined) throw new Error(`log node ${n.level}/${n.index} is missing`);
    return { ...n, hash };
  });
  const rows = entries.map((e, i): EntryRow => {
    const evidence = [e.statementId, e.salt].filter((v) => v !== undefined).length;
    if (evidence !== (e.entry.kind === 'attestation' ? 2 : 0)) {
      throw new Error('attestation entries, and only they, carry a statement id and a salt');
    }
    if (e.salt !== undefined && e.salt.length !== LOG_SALT_BYTES) {
      throw new Error(`a salt is ${LOG_SALT_BYTES} bytes`);
    }
    const text = encodeLogEntry(e.entry);
    return {
      index: size + i,
      kind: e.entry.kind,
      entry: text,
      leafHash: hashText(leafHash(utf8(text))),
      statementId: e.statementId ?? null,
      salt: e.salt === undefined ? null : toBase64url(e.salt),
      appendedAt: now,
    };
  });
  const grown = appendLeaves(
    size,
    borderHashes,
    rows.map((r) => hashBytes(r.leafHash, 'leaf hash')),
  );
  const hashes = new Map(border);
  for (const n of grown.nodes) hashes.set(nodeKey(n), n.hash);
  return {
    entries: rows,
    nodes: grown.nodes.map((n) => ({ level: n.level, index: n.index, hash: hashText(n.hash) })),
    hashes,
    size: grown.size,
    root: grown.root,
  };
}
