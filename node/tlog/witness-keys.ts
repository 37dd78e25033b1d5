/**
 * Witness verifier keys as a person gives them (`--witness`, SPX_NODE_LOG_WITNESSES' form):
 * C2SP `spx-witness/<ORI>+<hash>+<base64>`, shown by a witness node's GET /v1/log/status. Pure;
 * a failure is returned with the key it concerns, never thrown. Used by the auditor
 * (node/audit) and `spx node verify-evidence` (node/cli).
 */
import { bytesEqual } from '../../crypto/encoding.js';
import { isCryptoError } from '../../crypto/errors.js';
import { fail, ok, type Failure, type Result } from '../../crypto/result.js';
import {
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  type NoteVerifierKey,
} from '../../crypto/note/index.js';

/** A flag's or file's value refused: `field` names the member, `message` says what it must be. */
export type InputFailure = Failure<'INPUT_INVALID'> & {
  readonly field: string;
  readonly message: string;
};

/** Trust material read from text: the value, or the member at fault and why. */
export type Parsed<T> = Result<T, InputFailure>;

export const refused = (field: string, message: string) =>
  fail({ code: 'INPUT_INVALID', field, message } as const);

/**
 * cosignature/v1 keys (type 0x04), no public key listed twice — one key under two names could
 * be counted twice towards a quorum.
 */
export function parseWitnessKeys(texts: readonly string[]): Parsed<NoteVerifierKey[]> {
  const keys: NoteVerifierKey[] = [];
  for (const [i, text] of texts.entries()) {
    const field = `witness ${i + 1}`;
    let key: NoteVerifierKey;
    try {
      key = parseVerifierKey(text);
    } catch (e) {
      if (!isCryptoError(e)) throw e;
      return refused(field, 'not a C2SP verifier key (<name>+<hash>+<base64 key>)');
    }
    if (key.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
      return refused(field, 'not a cosignature/v1 (type 0x04) key');
    }
    if (keys.some((k) => bytesEqual(k.publicKey, key.publicKey))) {
      return refused(field, 'repeats the public key of another witness');
    }
    keys.push(key);
  }
  return ok(keys);
}
