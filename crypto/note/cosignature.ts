/**
 * Witness cosignatures (C2SP tlog-cosignature, https://c2sp.org/tlog-cosignature), Ed25519
 * cosignature/v1, signature type 0x04:
 *
 *   line       — <witness name> base64(key hash[4] || timestamp[8, big-endian] || signature[64])
 *   signed     "cosignature/v1\n" || "time <timestamp>\n" || <whole checkpoint text>
 *
 * A cosignature says that, at `timestamp` (POSIX seconds), the witness had verified the
 * checkpoint as consistent with every earlier one it saw from that log. The signed message
 * does not include the witness name, so the same public key must never serve two witnesses:
 * a verifier that allowed it could count one cosignature twice under two names. The policy
 * check below therefore requires distinct witness keys.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { bytesEqual } from '../encoding.js';
import { CryptoError } from '../errors.js';
import { ok } from '../result.js';
import type { Result } from '../result.js';
import { parseCheckpoint } from './checkpoint.js';
import type { Checkpoint } from './checkpoint.js';
import { SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519, checkSigner } from './keys.js';
import type { NoteSigner, NoteVerifierKey } from './keys.js';
import { formatSignatureLine, parseSignedNote } from './signed-note.js';
import type { SignedNote } from './signed-note.js';
import {
  checkKnownKeys,
  cosignatureV1Message,
  failureFromError,
  noteFailure,
  policyInvalid,
  verifyKnownSignatures,
} from './verify-note.js';
import type { NoteFailure } from './verify-note.js';

/**
 * The witness's cosignature line (with its newline) over `checkpointText`, which must be a
 * valid checkpoint; `timestamp` is the current time in POSIX seconds, passed in. The caller
 * (the witness) must first have verified the log's signature and the consistency proof.
 */
export function cosignCheckpoint(
  checkpointText: string,
  witness: NoteSigner,
  timestamp: number,
): string {
  parseCheckpoint(checkpointText);
  const signer = checkSigner(witness, 'witness');
  if (signer.key.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new CryptoError('KEY_INVALID', 'a witness key has type 0x04 (cosignature/v1)', {
      field: 'witness',
    });
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new CryptoError('COSIGNATURE_INVALID', 'timestamp is whole POSIX seconds', {
      field: 'timestamp',
    });
  }
  const time = new Uint8Array(8);
  new DataView(time.buffer).setBigUint64(0, BigInt(timestamp));
  const signature = ed25519.sign(cosignatureV1Message(checkpointText, timestamp), signer.seed);
  return formatSignatureLine({
    name: signer.key.name,
    keyHash: signer.key.keyHash,
    signature: concatBytes(time, signature),
  });
}

export interface CosignaturePolicy {
  /** The log's checkpoint key, type 0x01. */
  readonly logKey: NoteVerifierKey;
  /** The witnesses whose cosignatures count, type 0x04, each with its own public key. */
  readonly witnesses: readonly NoteVerifierKey[];
  /** How many distinct witnesses must have cosigned: 0 to witnesses.length. */
  readonly quorum: number;
  /** The origin the checkpoint must carry; the log key's name when omitted. */
  readonly origin?: string | undefined;
}

export interface Cosigner {
  readonly key: NoteVerifierKey;
  /** When the witness cosigned, in POSIX seconds (as the witness states it). */
  readonly timestamp: number;
}

export interface CosignedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The checkpoint text as signed. */
  readonly text: string;
  readonly cosigners: readonly Cosigner[];
}

export type CosignedCheckpointVerification = Result<CosignedCheckpoint, NoteFailure>;

function checkPolicy(policy: CosignaturePolicy): {
  logKey: NoteVerifierKey;
  witnesses: NoteVerifierKey[];
  origin: string;
} {
  if (typeof policy !== 'object' || policy === null || !Array.isArray(policy.witnesses)) {
    throw policyInvalid('a cosignature policy has a log key and a witness list', 'policy');
  }
  const [logKey, ...witnesses] = checkKnownKeys([policy.logKey, ...policy.witnesses], 'keys');
  if (logKey?.type !== SIGNATURE_TYPE_ED25519) {
    throw policyInvalid('the log key has type 0x01 (Ed25519)', 'logKey');
  }
  witnesses.forEach((w, i) => {
    if (w.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
      throw policyInvalid('a witness key has type 0x04 (cosignature/v1)', `witnesses[${i}]`);
    }
    const earlier = [logKey, ...witnesses.slice(0, i)];
    if (earlier.some((o) => bytesEqual(o.publicKey, w.publicKey))) {
      throw policyInvalid('each witness needs its own public key', `witnesses[${i}]`);
    }
  });
  const { quorum } = policy;
  if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
    throw policyInvalid('quorum is a whole number from 0 to the number of witnesses', 'quorum');
  }
  const origin = policy.origin ?? logKey.name;
  if (typeof origin !== 'string') throw policyInvalid('origin is a string', 'origin');
  return { logKey, witnesses, origin };
}

/**
 * Verifies a cosigned checkpoint, in this order: the note parses; every line by a known key
 * (the log's or a listed witness's) verifies; the log signed it; the text is a checkpoint of
 * the expected origin; at least `quorum` distinct witnesses cosigned it. Lines by unknown keys
 * are ignored. Never throws on the note; throws NOTE_POLICY_INVALID for a bad policy.
 * With `quorum: 0` and no witnesses this is plain checkpoint verification.
 */
export function verifyCosignedCheckpoint(
  note: string | Uint8Array,
  policy: CosignaturePolicy,
): CosignedCheckpointVerification {
  const { logKey, witnesses, origin } = checkPolicy(policy);
  let parsed: SignedNote;
  let checkpoint: Checkpoint;
  try {
    parsed = parseSignedNote(note);
  } catch (e) {
    return failureFromError(e);
  }
  const result = verifyKnownSignatures(parsed, [logKey, ...witnesses]);
  if (!result.ok) return result;
  if (!result.value.some((v) => v.key.type === SIGNATURE_TYPE_ED25519)) {
    return noteFailure('NOTE_UNVERIFIED');
  }
  try {
    checkpoint = parseCheckpoint(parsed.text);
  } catch (e) {
    return failureFromError(e);
  }
  if (checkpoint.origin !== origin) return noteFailure('CHECKPOINT_ORIGIN_MISMATCH', 'origin');
  const cosigners = result.value.flatMap((v) =>
    v.key.type === SIGNATURE_TYPE_COSIGNATURE_V1 && v.timestamp !== undefined
      ? [{ key: v.key, timestamp: v.timestamp }]
      : [],
  );
  if (cosigners.length < policy.quorum) return noteFailure('COSIGNATURE_QUORUM_NOT_MET');
  return ok({ checkpoint, text: parsed.text, cosigners });
}
