/**
 * Checking a witness's cosignature before the hub stores and publishes it (docs/transparency.md,
 * "Witnesses"). The line must be a C2SP tlog-cosignature (cosignature/v1, type 0x04) under the
 * key name `spx-witness/<ORI>` of the authenticated witness agency, by its active registered
 * Ed25519 key, over exactly the checkpoint the hub issued at that size; its timestamp may not
 * be in the future. Pure: the checkpoint, keys and time come in as data.
 */
import { fromBase64url } from '../../crypto/encoding.js';
import {
  formatSignatureLine,
  formatSignedNote,
  noteVerifierKey,
  parseSignatureLine,
  parseSignedNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  verifyNote,
  type NoteSignature,
} from '../../crypto/note/index.js';
import { bytesEqual } from '../../crypto/encoding.js';
import { ProtocolError } from '../../protocol/decode.js';
import { witnessKeyName } from '../../protocol/tlog.js';
import type { ProblemCode } from '../../protocol/problem.js';

/** How far ahead of the hub's clock a witness's timestamp may be. */
export const MAX_COSIGNATURE_SKEW_SECONDS = 300;

export interface CosignatureInput {
  /** The signed note the hub issued at the submitted size. */
  readonly checkpointNote: string;
  /** The submitted line, with or without its final newline. */
  readonly line: string;
  readonly ori: string;
  /** The witness agency's active Ed25519 public keys (JWK `x`). */
  readonly activeKeys: readonly string[];
  readonly now: Date;
}

export interface AcceptedCosignature {
  readonly keyName: string;
  /** The line as the hub publishes it, newline-terminated. */
  readonly line: string;
  /** POSIX seconds, as the witness stated. */
  readonly timestamp: number;
}

function refuse(code: ProblemCode, message: string): never {
  const fieldCode = code === 'VALIDATION_FAILED' ? 'invalid_value' : 'mismatch';
  throw new ProtocolError(code, `cosignature: ${message}`, {
    errors: [{ field: 'cosignature', code: fieldCode, message }],
  });
}

function parseLine(line: string): NoteSignature {
  const bare = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (bare.includes('\n')) refuse('SIG_MALFORMED', 'one signature line');
  try {
    return parseSignatureLine(bare, 'cosignature');
  } catch {
    return refuse('SIG_MALFORMED', 'not a signed-note signature line');
  }
}

/** Throws a ProtocolError naming `cosignature` unless the line is a valid cosignature. */
export function checkCosignature(input: CosignatureInput): AcceptedCosignature {
  const sig = parseLine(input.line);
  const keyName = witnessKeyName(input.ori);
  if (sig.name !== keyName) {
    refuse('SIG_UNKNOWN_KEY', `the key name must be ${keyName}`);
  }
  const key = input.activeKeys
    .map((x) => fromBase64url(x))
    .filter((k): k is Uint8Array => k !== undefined)
    .map((k) => noteVerifierKey(keyName, k, SIGNATURE_TYPE_COSIGNATURE_V1))
    .find((k) => bytesEqual(k.keyHash, sig.keyHash));
  if (key === undefined) {
    refuse('SIG_UNKNOWN_KEY', "the key hash is not that of the agency's active key");
  }
  const { text } = parseSignedNote(input.checkpointNote);
  const verified = verifyNote(formatSignedNote({ text, signatures: [sig] }), [key]);
  const timestamp = verified.ok ? verified.value.verifiedBy[0]?.timestamp : undefined;
  if (timestamp === undefined) {
    refuse('SIG_BAD_SIGNATURE', 'does not verify over this checkpoint');
  }
  if (timestamp > Math.floor(input.now.getTime() / 1000) + MAX_COSIGNATURE_SKEW_SECONDS) {
    refuse('VALIDATION_FAILED', 'the timestamp is in the future');
  }
  return { keyName, line: formatSignatureLine(sig), timestamp };
}
