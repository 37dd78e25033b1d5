/**
 * An outside auditor's check of the whole transparency log from the public endpoints only
 * (docs/transparency.md "Auditing the log from the public endpoints", steps 1–4; docs/protocol.md
 * §9). Pure: the hub is reached through injected functions, the clock is injected, and every
 * trust anchor comes in as data. In the order the steps list:
 *
 *   1. the hub's keys: pinned (--hub-key) or, reported as NOT pinned, GET /v1/hub/keys;
 *   2. the latest checkpoint: the hub's signature under the origin (pinned, the saved state's,
 *      or the one it names), each configured witness's cosignature, the quorum;
 *   3. every entry, page by page: each page checked (entries-page.ts), each entry reparsed and
 *      hashed, the leaves folded into the tree's right border (crypto/merkle appendLeaves), so
 *      memory stays O(log n) whatever the size; the root at the checkpoint's size must be the
 *      signed root;
 *   4. against the saved checkpoint: the size did not shrink, and the fold's root at the saved
 *      size is the saved root — a log that rewrote anything before it fails.
 *
 * Checking stops at the first unusable answer or page (nothing after it could verify);
 * a quorum not met or a rollback is reported and the entries are still audited.
 */
import { bytesEqual } from '../../crypto/encoding.js';
import {
  appendLeaves,
  EMPTY_ROOT,
  rootFromBorder,
  type NodeHash,
} from '../../crypto/merkle/index.js';
import type { NoteVerifierKey } from '../../crypto/note/index.js';
import { toBase64 } from '../../crypto/note/text.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { MAX_LOG_ENTRIES_PAGE } from '../../protocol/tlog.js';
import { quorumAlert, verifyCheckpointNote, type VerifiedCheckpoint } from '../tlog/index.js';
import type { AuditState } from './audit-state.js';
import {
  auditFailure,
  countEntry,
  emptyCounts,
  type AuditFailure,
  type AuditReport,
  type EntryCounts,
} from './audit-result.js';
import { checkEntriesPage } from './entries-page.js';
import { fail, ok, type Result } from '../../crypto/result.js';
import { hubKeysFromJson } from '../tlog/hub-keys.js';

/** The hub's public endpoints. Answers are unchecked here: the audit checks them. */
export interface AuditSource {
  /** GET /v1/log/checkpoint: the signed note's text. */
  checkpoint(): Promise<string>;
  /** GET /v1/log/entries?start&end: the parsed JSON body. */
  entries(start: number, end: number): Promise<unknown>;
  /** GET /v1/hub/keys: the parsed JSON body (asked only when no key is pinned). */
  hubKeys(): Promise<unknown>;
}

export interface AuditTrust {
  /** Pinned hub keys; undefined: taken from GET /v1/hub/keys and reported as not pinned. */
  readonly hubKeys: readonly PublicKeyInfo[] | undefined;
  /** Pinned origin; undefined: the saved state's, else the one the checkpoint names. */
  readonly origin: string | undefined;
  /** Witnesses whose cosignatures count (type 0x04 verifier keys), and how many must cosign. */
  readonly witnesses: readonly NoteVerifierKey[];
  readonly quorum: number;
}

export interface AuditOptions {
  /** The last checkpoint this auditor verified (its state file). */
  readonly previous?: AuditState | undefined;
  /** Milliseconds, for `elapsedMs`. */
  readonly clock: () => number;
  /** Entries per request, 1 to MAX_LOG_ENTRIES_PAGE (the default). */
  readonly pageSize?: number | undefined;
  /** Pages requested ahead of the one being hashed; default 4. */
  readonly concurrency?: number | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

type Settled =
  { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly e: unknown };

const reasonOf = (e: unknown) => (e instanceof Error ? e.message : 'failed');
const unreachable = (what: string, e: unknown) =>
  auditFailure('AUDIT_UNREACHABLE', `${what}: ${reasonOf(e)}`, { request: what });

/** [start, end) pages over [0, size), one of them ending exactly at `cut` (the saved size). */
export function* pageRanges(
  size: number,
  pageSize: number,
  cut?: number,
): Generator<[number, number]> {
  for (let start = 0; start < size;) {
    let end = Math.min(start + pageSize, size);
    if (cut !== undefined && start < cut && cut < end) end = cut;
    yield [start, end];
    start = end;
  }
}

/** Step 1: the pinned keys, or the hub's published ones (reported as not pinned). */
async function hubKeysFor(
  source: AuditSource,
  trust: AuditTrust,
): Promise<Result<readonly PublicKeyInfo[], AuditFailure>> {
  if (trust.hubKeys !== undefined) return ok(trust.hubKeys);
  let json: unknown;
  try {
    json = await source.hubKeys();
  } catch (e) {
    return fail(unreachable('GET /v1/hub/keys', e));
  }
  const parsed = await hubKeysFromJson(json);
  if (parsed.ok) return parsed;
  const { field } = parsed.error;
  const message = `GET /v1/hub/keys: ${field}: ${parsed.error.message}`;
  return fail(auditFailure('AUDIT_HUB_KEYS_INVALID', message, { field }));
}

interface Fold {
  readonly root: Uint8Array;
  /** The root after the first `at` leaves, when `at` was asked for. */
  readonly rootAt: Uint8Array | undefined;
}

/**
 * Step 3: every entry of the tree of `size`, page by page — a few pages requested ahead, used
 * in order — folded into the border (O(log n) hashes held), counting kinds on the way.
 */
async function foldEntries(
  source: AuditSource,
  size: number,
  at: number | undefined,
  counts: EntryCounts,
  options: AuditOptions,
): Promise<Result<Fold, AuditFailure>> {
  const pageSize = options.pageSize ?? MAX_LOG_ENTRIES_PAGE;
  const concurrency = options.concurrency ?? 4;
  const ranges = pageRanges(size, pageSize, at);
  const inFlight: { start: number; end: number; answer: Promise<Settled> }[] = [];
  const fill = () => {
    while (inFlight.length < concurrency) {
      const next = ranges.next();
      if (next.done) return;
      const [start, end] = next.value;
      // Settled at once, so a page fetched ahead and never used rejects nothing unhandled.
      const answer = source.entries(start, end).then(
        (body): Settled => ({ ok: true, body }),
        (e: unknown): Settled => ({ ok: false, e }),
      );
      inFlight.push({ start, end, answer });
    }
  };
  let folded = 0;
  let border: NodeHash[] = [];
  let rootAt = at === 0 ? EMPTY_ROOT : undefined;
  for (fill(); inFlight.length > 0; fill()) {
    const { start, end, answer } = inFlight.shift()!;
    const settled = await answer;
    if (!settled.ok) {
      const request = `GET /v1/log/entries?start=${start}&end=${end}`;
      return fail(unreachable(request, settled.e));
    }
    const page = checkEntriesPage(settled.body, start, end);
    if (!page.ok) return page;
    for (const entry of page.value.entries) countEntry(counts, entry);
    ({ size: folded, border } = appendLeaves(folded, border, page.value.leaves));
    if (folded === at) rootAt = rootFromBorder(border);
    options.onProgress?.(folded, size);
  }
  return ok({ root: rootFromBorder(border), rootAt });
}

export async function auditLog(
  source: AuditSource,
  trust: AuditTrust,
  options: AuditOptions,
): Promise<AuditReport> {
  const started = options.clock();
  const { previous } = options;
  const pageSize = options.pageSize ?? MAX_LOG_ENTRIES_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_LOG_ENTRIES_PAGE) {
    throw new RangeError(`pageSize must be 1 to ${MAX_LOG_ENTRIES_PAGE}`);
  }
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency');
  const origin = trust.origin ?? previous?.origin;
  if (previous !== undefined && previous.origin !== origin) {
    throw new RangeError('the saved checkpoint is of another origin than the pinned one');
  }

  const failures: AuditFailure[] = [];
  const counts = emptyCounts();
  const report = (
    keys: readonly PublicKeyInfo[] | undefined,
    cp: VerifiedCheckpoint | undefined,
  ): AuditReport => ({
    ok: failures.length === 0,
    failures,
    origin: cp?.origin ?? origin ?? null,
    originPinned: origin !== undefined,
    hubKeys: { pinned: trust.hubKeys !== undefined, kids: (keys ?? []).map((k) => k.kid) },
    checkpoint:
      cp === undefined
        ? null
        : { size: cp.size, root: toBase64(cp.root), cosigners: cp.cosigners, note: cp.note },
    previous:
      previous === undefined ? null : { size: previous.size, root: toBase64(previous.root) },
    entries: counts,
    elapsedMs: Math.max(0, Math.round(options.clock() - started)),
  });

  // 1. The hub's keys.
  const keys = await hubKeysFor(source, trust);
  if (!keys.ok) {
    failures.push(keys.error);
    return report(undefined, undefined);
  }
  const hubKeys = keys.value;
  const logTrust = { ...trust, hubKeys, origin };

  // 2. The latest checkpoint: signature, origin, witnesses.
  let note: string;
  try {
    note = await source.checkpoint();
  } catch (e) {
    failures.push(unreachable('GET /v1/log/checkpoint', e));
    return report(hubKeys, undefined);
  }
  const verified = verifyCheckpointNote(note, logTrust);
  if (!verified.ok) {
    const { alert } = verified;
    const code =
      alert.code === 'LOG_ORIGIN_MISMATCH' ? 'AUDIT_ORIGIN_MISMATCH' : 'AUDIT_BAD_SIGNATURE';
    failures.push(auditFailure(code, alert.message, { ...alert.detail, note }));
    return report(hubKeys, undefined);
  }
  const cp = verified.checkpoint;
  const quorum = quorumAlert(cp, logTrust);
  if (quorum !== undefined) {
    failures.push(auditFailure('AUDIT_QUORUM_NOT_MET', quorum.message, quorum.detail));
  }

  // 4, on the signed heads alone: a smaller tree, or another root for the same size.
  const evidence = (saved: AuditState) => ({
    size: cp.size,
    previousSize: saved.size,
    note,
    previousNote: saved.note,
  });
  if (previous !== undefined && cp.size < previous.size) {
    const message = `checkpoint of size ${cp.size} after the saved ${previous.size}`;
    failures.push(auditFailure('AUDIT_ROLLBACK', message, evidence(previous)));
  } else if (previous?.size === cp.size && !bytesEqual(previous.root, cp.root)) {
    const message = `two roots signed for size ${cp.size}`;
    failures.push(auditFailure('AUDIT_HISTORY_REWRITTEN', message, evidence(previous)));
  }
  const grownFrom = previous !== undefined && previous.size < cp.size ? previous : undefined;

  // 3. Every entry, and the root they make.
  const folded = await foldEntries(source, cp.size, grownFrom?.size, counts, options);
  if (!folded.ok) {
    failures.push(folded.error);
    return report(hubKeys, cp);
  }
  const { root, rootAt } = folded.value;
  if (!bytesEqual(root, cp.root)) {
    failures.push(
      auditFailure('AUDIT_ROOT_MISMATCH', 'the entries served do not hash to the signed root', {
        size: cp.size,
        signedRoot: toBase64(cp.root),
        computedRoot: toBase64(root),
      }),
    );
  } else if (grownFrom !== undefined && !bytesEqual(rootAt!, grownFrom.root)) {
    // 4. Only entries proved to be the signed tree speak for its history.
    failures.push(
      auditFailure(
        'AUDIT_HISTORY_REWRITTEN',
        `the log at the saved size ${grownFrom.size} no longer has the saved root`,
        { ...evidence(grownFrom), rootAtPreviousSize: toBase64(rootAt!) },
      ),
    );
  }
  return report(hubKeys, cp);
}
