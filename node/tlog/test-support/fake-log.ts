/**
 * Test support (never imported by production code): an in-memory transparency log, built on
 * crypto/merkle and crypto/note, that issues signed checkpoints, inclusion and consistency
 * proofs and receipt evidence as the hub does (docs/transparency.md) — and that a test can
 * make lie, to prove a node notices:
 *
 *   tamper.leaves     rewrite history (alterLeaf, dropLeaf, swapLeaves): every answer from
 *                     then on comes from the rewritten tree, while checkpoints already shown
 *                     stay what they were;
 *   tamper.viewFor    a split view: the tree one viewer (by ORI) sees (forkFor);
 *   tamper.signer     checkpoints signed by another key; tamper.note rewrites the note text;
 *   tamper.inclusion  rewrites inclusion proofs served.
 *
 * Proofs are computed naively (MTH of each proof range from the leaves), independently of the
 * stored-node proof planner the hub uses.
 */
import { utf8 } from '../../../crypto/encoding.js';
import {
  consistencyRanges,
  inclusionRanges,
  leafHash,
  rootFromLeaves,
  type LeafRange,
} from '../../../crypto/merkle/index.js';
import {
  appendSignatureLines,
  formatCheckpoint,
  noteSigner,
  signNote,
  type NoteSigner,
} from '../../../crypto/note/index.js';
import { toBase64url } from '../../../crypto/encoding.js';
import {
  attestationLogEntry,
  encodeLogEntry,
  type ConsistencyProofResponse,
  type InclusionEvidence,
  type InclusionProofResponse,
} from '../../../protocol/tlog.js';

export const FAKE_LOG_ORIGIN = 'hub.test/log';

export interface LogTamper {
  leaves?: (leaves: readonly Uint8Array[]) => Uint8Array[];
  viewFor?: (viewer: string | undefined, leaves: readonly Uint8Array[]) => Uint8Array[];
  signer?: NoteSigner;
  note?: (note: string) => string;
  inclusion?: (proof: InclusionProofResponse) => InclusionProofResponse;
}

export interface FakeLog {
  readonly origin: string;
  readonly signer: NoteSigner;
  tamper: LogTamper;
  /** Appends our statement once (a repeat returns the first place); salts are seeded. */
  appendStatement(jws: string): { index: number; salt: string };
  /** Appends any entry text (e.g. another agency's or a registry entry). */
  appendEntry(text: string): number;
  size(viewer?: string): number;
  /** The signed note of the viewer's current tree, with the cosignatures received for it. */
  checkpoint(viewer?: string): string;
  inclusion(index: number, size: number, viewer?: string): InclusionProofResponse;
  consistency(from: number, to: number, viewer?: string): ConsistencyProofResponse;
  /** Receipt or answer evidence for one of our statements against the viewer's current tree. */
  evidence(jws: string, viewer?: string): InclusionEvidence;
  /** Keeps a witness's cosignature line for the checkpoint text it signed. */
  addCosignature(size: number, line: string, viewer?: string): void;
}

/** Salts from a counter: deterministic, distinct. */
function saltFor(n: number): Uint8Array {
  const salt = new Uint8Array(32);
  new DataView(salt.buffer).setUint32(28, n + 1);
  salt[0] = 0x5a;
  return salt;
}

/** A range check as the hub's query parser does; a test sees the same 400s. */
export class FakeLogError extends Error {}

export function fakeLog(options: { seed: Uint8Array; origin?: string }): FakeLog {
  const origin = options.origin ?? FAKE_LOG_ORIGIN;
  const signer = noteSigner(origin, options.seed);
  const entries: string[] = [];
  const placed = new Map<string, { index: number; salt: string }>();
  const cosignatures = new Map<string, string[]>();

  const leavesFor = (viewer: string | undefined): Uint8Array[] => {
    let leaves = entries.map((e) => leafHash(utf8(e)));
    if (log.tamper.leaves) leaves = log.tamper.leaves(leaves);
    if (log.tamper.viewFor) leaves = log.tamper.viewFor(viewer, leaves);
    return leaves;
  };
  const mth = (leaves: readonly Uint8Array[], r: LeafRange) =>
    rootFromLeaves(leaves.slice(r.begin, r.end));
  const textOf = (leaves: readonly Uint8Array[]) =>
    formatCheckpoint({
      origin,
      size: leaves.length,
      rootHash: rootFromLeaves(leaves),
      extensions: [],
    });

  const log: FakeLog = {
    origin,
    signer,
    tamper: {},
    appendStatement(jws) {
      const before = placed.get(jws);
      if (before !== undefined) return before;
      const salt = saltFor(entries.length);
      entries.push(encodeLogEntry(attestationLogEntry(salt, jws)));
      const where = { index: entries.length - 1, salt: toBase64url(salt) };
      placed.set(jws, where);
      return where;
    },
    appendEntry(text) {
      entries.push(text);
      return entries.length - 1;
    },
    size: (viewer) => leavesFor(viewer).length,
    checkpoint(viewer) {
      const text = textOf(leavesFor(viewer));
      let note = signNote(text, [log.tamper.signer ?? signer]);
      const lines = cosignatures.get(text) ?? [];
      if (lines.length > 0) note = appendSignatureLines(note, lines.join(''));
      return log.tamper.note ? log.tamper.note(note) : note;
    },
    inclusion(index, size, viewer) {
      const leaves = leavesFor(viewer);
      if (size > leaves.length || index >= size) throw new FakeLogError('beyond the tree');
      const tree = leaves.slice(0, size);
      const answer: InclusionProofResponse = {
        index,
        size,
        leafHash: toBase64url(tree[index]!),
        proof: inclusionRanges(index, size).map((r) => toBase64url(mth(tree, r))),
      };
      return log.tamper.inclusion ? log.tamper.inclusion(answer) : answer;
    },
    consistency(from, to, viewer) {
      const leaves = leavesFor(viewer);
      if (to > leaves.length || from > to || from === 0) throw new FakeLogError('bad sizes');
      const tree = leaves.slice(0, to);
      return {
        from,
        to,
        proof: consistencyRanges(from, to).map((r) => toBase64url(mth(tree, r))),
      };
    },
    evidence(jws, viewer) {
      const where = placed.get(jws);
      if (where === undefined) throw new FakeLogError('not in the log');
      const size = log.size(viewer);
      const { proof } = log.inclusion(where.index, size, viewer);
      return { index: where.index, salt: where.salt, proof };
    },
    addCosignature(size, line, viewer) {
      const leaves = leavesFor(viewer);
      if (size > leaves.length) throw new FakeLogError('no such checkpoint');
      const text = textOf(leaves.slice(0, size));
      cosignatures.set(text, [
        ...(cosignatures.get(text) ?? []),
        line.endsWith('\n') ? line : `${line}\n`,
      ]);
    },
  };
  return log;
}

/** Tampers for `tamper.leaves` (a hub that rewrites its history). */
export const rewrite = {
  /** Entry `index` replaced by another entry. */
  alterLeaf:
    (index: number) =>
    (leaves: readonly Uint8Array[]): Uint8Array[] =>
      leaves.map((l, i) => (i === index ? leafHash(utf8(`{"altered":${i}}`)) : l)),
  /** Entry `index` removed; later entries move down. */
  dropLeaf:
    (index: number) =>
    (leaves: readonly Uint8Array[]): Uint8Array[] =>
      leaves.filter((_, i) => i !== index),
  /** Entries `a` and `b` swapped. */
  swapLeaves:
    (a: number, b: number) =>
    (leaves: readonly Uint8Array[]): Uint8Array[] =>
      leaves.map((l, i) => (i === a ? leaves[b]! : i === b ? leaves[a]! : l)),
};

/** A split view: `viewer` sees the last entry replaced (same size, another root). */
export function forkFor(
  viewer: string,
): (who: string | undefined, leaves: readonly Uint8Array[]) => Uint8Array[] {
  return (who, leaves) =>
    who !== viewer || leaves.length === 0
      ? [...leaves]
      : [...leaves.slice(0, -1), leafHash(utf8(`{"forked-for":"${viewer}"}`))];
}

/** The ORI in a request's `Authorization: SPX <token>` (unverified: only to pick a view). */
export function viewerOf(authorization: string | undefined): string | undefined {
  const token = /^SPX (\S+)$/.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iss?: unknown;
    };
    return typeof claims.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
}
