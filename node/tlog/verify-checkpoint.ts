/**
 * Verifying a checkpoint the hub sent (C2SP tlog-checkpoint in a C2SP signed note; docs/node.md
 * "Monitor"). Pure: every trust anchor comes in as data.
 *
 * The log key is the hub's statement-signing key (the keys this node pins in SPX_NODE_HUB_KEYS
 * or fetched once from GET /v1/hub/keys) under the note key name <origin>. The origin is pinned
 * by SPX_NODE_LOG_ORIGIN or else trusted on first use; a validly signed checkpoint of another
 * origin is another log, never ours. Witness cosignatures are counted against the configured
 * witness keys; whether the quorum is *required* is the caller's decision (a receipt's fresh
 * checkpoint has not been witnessed yet).
 */
import { fromBase64url } from '../../crypto/encoding.js';
import {
  noteVerifierKey,
  parseCheckpoint,
  parseSignedNote,
  SIGNATURE_TYPE_ED25519,
  verifyCosignedCheckpoint,
  type Checkpoint,
  type NoteVerifierKey,
} from '../../crypto/note/index.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { isCryptoError } from '../../crypto/errors.js';
import { logAlert, type LogAlert } from './alerts.js';

/** What a node trusts about the log. */
export interface LogTrust {
  /** The hub's Ed25519 keys; any of them may sign checkpoints. */
  readonly hubKeys: readonly PublicKeyInfo[];
  /** The log's origin: pinned, or first seen; undefined before the first checkpoint. */
  readonly origin: string | undefined;
  /** Witnesses whose cosignatures count (type 0x04 verifier keys). */
  readonly witnesses: readonly NoteVerifierKey[];
  /** How many distinct witnesses must have cosigned a checkpoint the monitor stores. */
  readonly quorum: number;
}

/** A tree head: what proofs are checked against. */
export interface TreeHead {
  readonly size: number;
  readonly root: Uint8Array;
}

export interface VerifiedCheckpoint extends TreeHead {
  readonly origin: string;
  /** The signed note as received (with any cosignature lines). */
  readonly note: string;
  /** The checkpoint text the hub signed. */
  readonly text: string;
  /** Names of the configured witnesses whose cosignatures verified. */
  readonly cosigners: readonly string[];
}

export type CheckpointVerification =
  | { readonly ok: true; readonly checkpoint: VerifiedCheckpoint }
  | { readonly ok: false; readonly alert: LogAlert };

/** The hub's keys as note verifier keys of the log `origin`; unusable keys are skipped. */
export function hubNoteKeys(origin: string, hubKeys: readonly PublicKeyInfo[]): NoteVerifierKey[] {
  const keys: NoteVerifierKey[] = [];
  for (const k of hubKeys) {
    const raw = fromBase64url(k.publicJwk.x);
    if (raw === undefined) continue;
    try {
      keys.push(noteVerifierKey(origin, raw, SIGNATURE_TYPE_ED25519));
    } catch (e) {
      if (!isCryptoError(e)) throw e;
    }
  }
  return keys;
}

function badSignature(reason: string, message: string, size?: number): CheckpointVerification {
  return {
    ok: false,
    alert: logAlert('LOG_BAD_SIGNATURE', message, {
      reason,
      ...(size === undefined ? {} : { size }),
    }),
  };
}

/** The checkpoint body of a note, before any signature is checked (to learn its origin). */
function unverifiedCheckpoint(note: string): Checkpoint | undefined {
  try {
    return parseCheckpoint(parseSignedNote(note).text);
  } catch (e) {
    if (isCryptoError(e)) return undefined;
    throw e;
  }
}

/**
 * Verifies `note`: it parses; it is a checkpoint of the trusted origin (or, before any origin
 * is known, of the origin it names); a trusted hub key signed it under that origin; every
 * cosignature line by a configured witness verifies. Never throws on the note.
 */
export function verifyCheckpointNote(note: string, trust: LogTrust): CheckpointVerification {
  const claimed = unverifiedCheckpoint(note);
  if (claimed === undefined) return badSignature('CHECKPOINT_MALFORMED', 'not a signed checkpoint');
  const origin = trust.origin ?? claimed.origin;
  if (claimed.origin !== origin) {
    return {
      ok: false,
      alert: logAlert('LOG_ORIGIN_MISMATCH', `a checkpoint of another log (${claimed.origin})`, {
        expected: origin,
        origin: claimed.origin,
        size: claimed.size,
      }),
    };
  }
  const logKeys = hubNoteKeys(origin, trust.hubKeys);
  let failure: string = 'NOTE_UNVERIFIED';
  for (const logKey of logKeys) {
    let result: ReturnType<typeof verifyCosignedCheckpoint>;
    try {
      result = verifyCosignedCheckpoint(note, {
        logKey,
        witnesses: trust.witnesses,
        quorum: 0,
        origin,
      });
    } catch (e) {
      // A trust that cannot be a policy (a witness key repeated, or equal to this hub key —
      // e.g. a bundle's own unpinned hub key): nothing verifies under it.
      if (!isCryptoError(e)) throw e;
      failure = e.code;
      break;
    }
    if (result.ok) {
      return {
        ok: true,
        checkpoint: {
          origin,
          size: result.value.checkpoint.size,
          root: result.value.checkpoint.rootHash,
          note,
          text: result.value.text,
          cosigners: result.value.cosigners.map((c) => c.key.name),
        },
      };
    }
    // Another hub key may have signed it; any other failure condemns the note.
    if (result.error.code !== 'NOTE_UNVERIFIED') {
      failure = result.error.code;
      break;
    }
  }
  return badSignature(failure, `checkpoint signature: ${failure}`, claimed.size);
}

/** LOG_QUORUM_NOT_MET unless at least `trust.quorum` configured witnesses cosigned. */
export function quorumAlert(checkpoint: VerifiedCheckpoint, trust: LogTrust): LogAlert | undefined {
  if (checkpoint.cosigners.length >= trust.quorum) return undefined;
  return logAlert(
    'LOG_QUORUM_NOT_MET',
    `${checkpoint.cosigners.length} of ${trust.quorum} required witness cosignatures`,
    { size: checkpoint.size, cosigners: checkpoint.cosigners.length, quorum: trust.quorum },
  );
}
