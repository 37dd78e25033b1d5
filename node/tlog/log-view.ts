/**
 * The node's view of the hub's log: the last verified checkpoint, and the one way to move it
 * forward (docs/node.md "Monitor"). Every checkpoint the node meets — the monitor's latest, a
 * receipt's, a check answer's — goes through `advance`: it must relate to the last verified
 * one by a consistency proof the hub gives on demand (or be the same head), else it is a fork,
 * a rollback or a rewritten history, and an alert is raised. A newer checkpoint is stored
 * compare-and-set (store/tlog.repository.ts), so concurrent verifiers never store two
 * checkpoints that were each checked only against an older one.
 */
import { fromBase64url, toBase64url } from '../../crypto/encoding.js';
import type { NoteVerifierKey } from '../../crypto/note/index.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { isClientError, type HubClient } from '../clients/index.js';
import { silentLogger, type Logger } from '../../platform/logging/json-lines.js';
import { logRepository, type NodeDatabase, type StoredCheckpoint } from '../store/index.js';
import { alertKey, logAlert, TRANSIENT_ALERT_CODES, type LogAlert } from './alerts.js';
import {
  verifyCheckpointNote,
  type CheckpointVerification,
  type LogTrust,
  type TreeHead,
  type VerifiedCheckpoint,
} from './verify-checkpoint.js';
import { relateHeads, verifyHeadConsistency } from './verify-proofs.js';
import {
  verifyReceiptEvidence,
  type ReceiptItemCheck,
  type ReceiptWithEvidence,
  type SentStatement,
} from './verify-receipt.js';

/** What the operator configured about the log (node/config.ts). */
export interface LogSettings {
  /** SPX_NODE_LOG_ORIGIN; undefined: trust the first origin seen. */
  readonly origin: string | undefined;
  readonly witnesses: readonly NoteVerifierKey[];
  readonly quorum: number;
}

export interface LogViewDeps {
  readonly db: NodeDatabase;
  readonly hub: Pick<HubClient, 'logConsistencyProof'>;
  readonly hubKeys: () => Promise<readonly PublicKeyInfo[]>;
  readonly settings: LogSettings;
  readonly now: () => Date;
  readonly log?: Logger;
}

export type CheckpointSource = 'monitor' | 'receipt' | 'answer';

export type AdvanceResult =
  | {
      readonly ok: true;
      /** The last verified checkpoint before this one. */
      readonly previous: StoredCheckpoint | undefined;
      /** Whether it is now the last verified checkpoint. */
      readonly stored: boolean;
    }
  | { readonly ok: false; readonly alert: LogAlert };

export interface AdvanceOptions {
  /** The hub served it as its LATEST checkpoint: then a smaller one is a rollback. */
  readonly latest?: boolean;
  /** Check only; do not store it even when it is newer (default: store). */
  readonly store?: boolean;
}

export type ReceiptOutcome =
  | {
      readonly ok: true;
      readonly checkpoint: VerifiedCheckpoint;
      readonly items: readonly ReceiptItemCheck[];
    }
  | { readonly ok: false; readonly alert: LogAlert };

export interface LogView {
  trust(): Promise<LogTrust>;
  verifyNote(note: string): Promise<CheckpointVerification>;
  advance(
    checkpoint: VerifiedCheckpoint,
    source: CheckpointSource,
    options?: AdvanceOptions,
  ): Promise<AdvanceResult>;
  /**
   * Stores a checkpoint that `advance(…, { store: false })` checked against `previous`; if the
   * view moved meanwhile, it is checked again against the new last verified checkpoint.
   */
  commit(
    checkpoint: VerifiedCheckpoint,
    source: CheckpointSource,
    previous: StoredCheckpoint | undefined,
  ): Promise<AdvanceResult>;
  /** Verifies an intake receipt's evidence and moves the view to its checkpoint. */
  verifyReceipt(
    sent: readonly SentStatement[],
    receipt: ReceiptWithEvidence,
  ): Promise<ReceiptOutcome>;
  /** Logs (one JSON line with the code) and persists an alert. */
  raise(alert: LogAlert, source: string): Promise<void>;
}

/** A checkpoint as a tree head with its note (the evidence an alert carries). */
interface Known {
  readonly head: TreeHead;
  readonly note: string;
}

/** Attempts at compare-and-set before leaving the advance to whoever is moving the view. */
const ADVANCE_ATTEMPTS = 3;

export function headOf(stored: StoredCheckpoint): TreeHead {
  return { size: stored.size, root: fromBase64url(stored.root) ?? new Uint8Array(0) };
}

/** A failed request for a proof: unreachable if a retry may help, else the hub cannot prove. */
export function proofRequestAlert(e: unknown, what: string, detail: LogAlert['detail']): LogAlert {
  if (!isClientError(e)) throw e;
  if (e.retryable) return logAlert('LOG_UNREACHABLE', `${what}: ${e.code}`, { reason: e.code });
  return logAlert('LOG_INCONSISTENT', `the hub does not prove ${what}: ${e.code}`, {
    ...detail,
    reason: e.code,
  });
}

export function createLogView(deps: LogViewDeps): LogView {
  const repo = logRepository(deps.db);
  const log = deps.log ?? silentLogger;
  const { settings } = deps;

  async function trust(): Promise<LogTrust> {
    return {
      hubKeys: await deps.hubKeys(),
      origin: settings.origin ?? (await repo.origin()),
      witnesses: settings.witnesses,
      quorum: settings.quorum,
    };
  }

  /** Whether `smaller` is a prefix of `larger`, by a proof from the hub. */
  async function consistent(smaller: Known, larger: Known): Promise<LogAlert | undefined> {
    const detail = { size: larger.head.size, from: smaller.head.size, to: larger.head.size };
    let proof: readonly string[] = [];
    if (smaller.head.size > 0) {
      try {
        proof = (await deps.hub.logConsistencyProof(smaller.head.size, larger.head.size)).proof;
      } catch (e) {
        return proofRequestAlert(e, `consistency ${smaller.head.size}→${larger.head.size}`, detail);
      }
    }
    const checked = verifyHeadConsistency(smaller.head, larger.head, proof);
    if (checked.ok) return undefined;
    return logAlert(
      'LOG_INCONSISTENT',
      `checkpoint ${larger.head.size} does not extend checkpoint ${smaller.head.size}`,
      { ...detail, reason: checked.error.code, smallerNote: smaller.note, largerNote: larger.note },
    );
  }

  /** Compare-and-set over `last`; first-seen origin recorded. */
  async function store(
    checkpoint: VerifiedCheckpoint,
    source: CheckpointSource,
    last: StoredCheckpoint | undefined,
  ): Promise<AdvanceResult | 'stale'> {
    if (settings.origin === undefined) {
      const origin = await repo.trustOrigin(checkpoint.origin, deps.now());
      if (origin !== checkpoint.origin) {
        const detail = { expected: origin, origin: checkpoint.origin, size: checkpoint.size };
        const message = `a checkpoint of another log (${checkpoint.origin})`;
        return { ok: false, alert: logAlert('LOG_ORIGIN_MISMATCH', message, detail) };
      }
    }
    const row = {
      size: checkpoint.size,
      origin: checkpoint.origin,
      root: toBase64url(checkpoint.root),
      note: checkpoint.note,
      source,
    };
    if (!(await repo.advance(row, last?.size ?? null, deps.now()))) return 'stale';
    log('info', 'log_checkpoint_verified', {
      size: checkpoint.size,
      source,
      from: last?.size ?? null,
    });
    return { ok: true, previous: last, stored: true };
  }

  async function advance(
    checkpoint: VerifiedCheckpoint,
    source: CheckpointSource,
    options: AdvanceOptions = {},
  ): Promise<AdvanceResult> {
    for (let attempt = 0; attempt < ADVANCE_ATTEMPTS; attempt++) {
      const last = await repo.latestCheckpoint();
      const relation = relateHeads(last && headOf(last), checkpoint);
      const evidence = {
        size: checkpoint.size,
        note: checkpoint.note,
        verifiedNote: last?.note ?? null,
      };
      if (relation === 'same') return { ok: true, previous: last, stored: false };
      if (relation === 'fork') {
        return {
          ok: false,
          alert: logAlert('LOG_FORK', `two checkpoints of size ${checkpoint.size}`, {
            ...evidence,
            root: toBase64url(checkpoint.root),
            verifiedRoot: last!.root,
          }),
        };
      }
      if (relation === 'older' && options.latest) {
        return {
          ok: false,
          alert: logAlert(
            'LOG_ROLLBACK',
            `the latest checkpoint (${checkpoint.size}) is smaller than one verified (${last!.size})`,
            { ...evidence, verifiedSize: last!.size },
          ),
        };
      }
      if (relation === 'older' || relation === 'newer') {
        const seen = { head: checkpoint, note: checkpoint.note };
        const verified = { head: headOf(last!), note: last!.note };
        const alert =
          relation === 'older'
            ? await consistent(seen, verified)
            : await consistent(verified, seen);
        if (alert !== undefined) return { ok: false, alert };
      }
      if (relation === 'older' || options.store === false) {
        return { ok: true, previous: last, stored: false };
      }
      const stored = await store(checkpoint, source, last);
      if (stored !== 'stale') return stored;
    }
    return { ok: true, previous: await repo.latestCheckpoint(), stored: false };
  }

  async function raise(alert: LogAlert, source: string): Promise<void> {
    const { note: _n, verifiedNote: _v, smallerNote: _s, largerNote: _l, ...fields } = alert.detail;
    const level = TRANSIENT_ALERT_CODES.has(alert.code) ? 'warn' : 'error';
    log(level, 'log_alert', { code: alert.code, source, message: alert.message, ...fields });
    await repo.raiseAlert(
      {
        code: alert.code,
        key: alertKey(alert),
        message: alert.message,
        detail: { source, ...alert.detail },
      },
      deps.now(),
    );
  }

  return {
    trust,
    async commit(checkpoint, source, previous) {
      const stored = await store(checkpoint, source, previous);
      // The view moved while the caller checked: check again against where it is now. A
      // smaller checkpoint is then not a rollback (the other verifier saw a newer one).
      return stored === 'stale' ? advance(checkpoint, source) : stored;
    },
    async verifyNote(note) {
      return verifyCheckpointNote(note, await trust());
    },
    advance,
    raise,
    async verifyReceipt(sent, receipt) {
      let trusted: LogTrust;
      try {
        trusted = await trust();
      } catch (e) {
        // The hub's keys could not be loaded: nothing can be verified now; the batch is retried.
        if (!isClientError(e)) throw e;
        const alert = logAlert('LOG_UNREACHABLE', `the hub keys: ${e.code}`, { reason: e.code });
        await raise(alert, 'receipt');
        return { ok: false, alert };
      }
      const checked = verifyReceiptEvidence(sent, receipt, trusted);
      if (!checked.ok) {
        await raise(checked.alert, 'receipt');
        return checked;
      }
      const moved = await advance(checked.checkpoint, 'receipt');
      if (!moved.ok) {
        await raise(moved.alert, 'receipt');
        return moved;
      }
      for (const item of checked.items) if (!item.ok) await raise(item.alert, 'receipt');
      return checked;
    },
  };
}
