/**
 * The hub's checkpoints (docs/transparency.md, "Checkpoints"): a C2SP tlog-checkpoint body
 *
 *   <origin>\n<size>\n<base64 root>\n
 *
 * signed as a C2SP signed note with the hub's Ed25519 signing key (the key of GET /v1/hub/keys)
 * under the key name <origin>, signature type 0x01. Witness cosignature lines (type 0x04) are
 * appended after the hub's own line when the checkpoint is served.
 *
 * The hub's private key is a non-extractable WebCrypto key, so the note signature is made with
 * WebCrypto's Ed25519 (RFC 8032, deterministic: the same bytes crypto/note would produce from
 * the seed) and framed with crypto/note's formatter.
 */
import { webcrypto } from 'node:crypto';
import { fromBase64url, utf8 } from '../../crypto/encoding.js';
import {
  appendSignatureLines,
  formatCheckpoint,
  formatSignedNote,
  noteVerifierKey,
  SIGNATURE_TYPE_ED25519,
  type NoteVerifierKey,
} from '../../crypto/note/index.js';
import type { PublicJwk, SigningKey } from '../../crypto/signing/keys.js';

/** Longest origin (tlog-checkpoint and our key names allow 255 bytes). */
export const MAX_LOG_ORIGIN_LENGTH = 255;

/**
 * What SPX_HUB_LOG_ORIGIN may be: a schema-less URL — lower-case host name, optional port,
 * optional path of unreserved characters — as C2SP recommends for origins. It is also the
 * note key name, which must not contain spaces or plus signs; this form never does.
 */
export const LOG_ORIGIN_PATTERN =
  /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~-]+)*$/;

export function isLogOrigin(origin: string): boolean {
  return origin.length <= MAX_LOG_ORIGIN_LENGTH && LOG_ORIGIN_PATTERN.test(origin);
}

/** The note verifier key of the log: the hub's public key under the name `origin`. */
export function logVerifierKey(origin: string, publicJwk: PublicJwk): NoteVerifierKey {
  const publicKey = fromBase64url(publicJwk.x);
  if (publicKey === undefined) throw new Error('the hub public key is not base64url');
  return noteVerifierKey(origin, publicKey, SIGNATURE_TYPE_ED25519);
}

/** Formats and signs the checkpoint of a tree of `size` leaves with root `root`. */
export async function signCheckpoint(
  origin: string,
  size: number,
  root: Uint8Array,
  key: SigningKey,
): Promise<string> {
  const text = formatCheckpoint({ origin, size, rootHash: root, extensions: [] });
  const verifier = logVerifierKey(origin, key.publicJwk);
  const signature = new Uint8Array(
    await webcrypto.subtle.sign(
      'Ed25519',
      key.privateKey as unknown as webcrypto.CryptoKey,
      utf8(text),
    ),
  );
  return formatSignedNote({
    text,
    signatures: [{ name: verifier.name, keyHash: verifier.keyHash, signature }],
  });
}

/** The note with witness cosignature lines (each newline-terminated) after the hub's. */
export function withCosignatures(note: string, lines: readonly string[]): string {
  return lines.length === 0 ? note : appendSignatureLines(note, lines.join(''));
}
