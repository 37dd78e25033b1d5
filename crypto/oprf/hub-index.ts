/**
 * Values derived from an OPRF output (docs/protocol.md §4.6). The hub never sees the 64-byte
 * OPRF output itself, only a hub index derived from it with a labelled KDF, so that other
 * purposes (a verifiable map, a query commitment, …) can later derive values from the same
 * output that are independent of the hub index and of each other.
 *
 *   value = HKDF-SHA256(IKM = output, salt = "SPX1 oprf-output", info = label, L)   (RFC 5869)
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.js';
import { utf8 } from '../encoding.js';
import { OUTPUT_BYTES } from './suite.js';

/** Fixed, public HKDF salt: domain-separates SPX1 from any other use of these outputs. */
export const TOKEN_KDF_SALT = 'SPX1 oprf-output';
/** The label of the one value the hub stores. */
export const HUB_INDEX_LABEL = 'SPX1 hub-index';
export const HUB_INDEX_BYTES = 32;

const LABEL = /^SPX1 [a-z0-9][a-z0-9-]*$/;

/**
 * Derives `length` bytes for the purpose named by `label` (ASCII "SPX1 " followed by a
 * lower-case purpose name). Distinct labels give computationally independent values.
 */
export function deriveFromOutput(output: Uint8Array, label: string, length = 32): Uint8Array {
  if (!(output instanceof Uint8Array) || output.length !== OUTPUT_BYTES) {
    throw new CryptoError('OPRF_INPUT_INVALID', `output must be ${OUTPUT_BYTES} bytes`, {
      field: 'output',
    });
  }
  if (typeof label !== 'string' || !LABEL.test(label)) {
    throw new CryptoError('OPRF_INPUT_INVALID', 'label must be "SPX1 <purpose>"', {
      field: 'label',
    });
  }
  if (!Number.isInteger(length) || length < 16 || length > 255 * 32) {
    throw new CryptoError('OPRF_INPUT_INVALID', 'length must be 16..8160 bytes', {
      field: 'length',
    });
  }
  return hkdf(sha256, output, utf8(TOKEN_KDF_SALT), utf8(label), length);
}

/** The 32-byte hub index of one match key: the only token value that reaches the hub. */
export function hubIndex(output: Uint8Array): Uint8Array {
  return deriveFromOutput(output, HUB_INDEX_LABEL, HUB_INDEX_BYTES);
}
