/**
 * This node as a witness of the hub's log (C2SP tlog-cosignature, cosignature/v1; docs/node.md
 * "Witness"): after a monitor pass verified a checkpoint — the hub's signature, our origin,
 * consistency with every checkpoint this node verified before, our own statements still in
 * it — the node cosigns the checkpoint text with the agency's own Ed25519 key under the key
 * name `spx-witness/<ORI>` and gives the line to the hub, which publishes it with the
 * checkpoint. Other nodes can then require k such cosignatures, so the hub cannot show them a
 * log that the witnesses did not see.
 *
 * The agency key is a non-extractable WebCrypto key, so the signature is WebCrypto's Ed25519
 * (RFC 8032: deterministic, the same bytes crypto/note would make from the seed) over
 * crypto/note's cosignature/v1 message, framed by crypto/note's formatter; the seed is never
 * read back.
 */
import { webcrypto } from 'node:crypto';
import { fromBase64url } from '../../crypto/encoding.js';
import {
  cosignatureV1Message,
  formatSignatureLine,
  formatVerifierKey,
  noteVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  type NoteVerifierKey,
} from '../../crypto/note/index.js';
import type { SigningKey } from '../../crypto/signing/index.js';
import { witnessKeyName } from '../../protocol/tlog.js';
import { isClientError, type HubClient } from '../clients/index.js';
import { logAlert, type LogAlert } from './alerts.js';
import type { VerifiedCheckpoint } from './verify-checkpoint.js';

export interface WitnessIdentity {
  readonly ori: string;
  readonly key: SigningKey;
}

/** The agency's witness verifier key: what other nodes list in SPX_NODE_LOG_WITNESSES. */
export function witnessVerifierKey(identity: WitnessIdentity): NoteVerifierKey {
  return witnessVerifierKeyOf(identity.ori, identity.key.publicJwk);
}

/** The witness verifier key of agency `ori` from its public JWK (what the registry publishes). */
export function witnessVerifierKeyOf(
  ori: string,
  publicJwk: { readonly x: string },
): NoteVerifierKey {
  const publicKey = fromBase64url(publicJwk.x);
  if (publicKey === undefined) throw new TypeError('the agency key has no usable x');
  return noteVerifierKey(witnessKeyName(ori), publicKey, SIGNATURE_TYPE_COSIGNATURE_V1);
}

/** Its text form (`spx-witness/<ORI>+<key hash>+<base64 key>`). */
export function witnessKeyText(identity: WitnessIdentity): string {
  return formatVerifierKey(witnessVerifierKey(identity));
}

/** The cosignature line (newline-terminated) over `checkpointText` at `now` (whole seconds). */
export async function cosignCheckpointText(
  checkpointText: string,
  identity: WitnessIdentity,
  now: Date,
): Promise<string> {
  const key = witnessVerifierKey(identity);
  const timestamp = Math.floor(now.getTime() / 1000);
  const message = cosignatureV1Message(checkpointText, timestamp);
  const signature = new Uint8Array(
    await webcrypto.subtle.sign(
      'Ed25519',
      identity.key.privateKey as unknown as webcrypto.CryptoKey,
      message,
    ),
  );
  const signed = new Uint8Array(8 + signature.length);
  new DataView(signed.buffer).setBigUint64(0, BigInt(timestamp));
  signed.set(signature, 8);
  return formatSignatureLine({ name: key.name, keyHash: key.keyHash, signature: signed });
}

export type CosignOutcome =
  { readonly ok: true; readonly line: string } | { readonly ok: false; readonly alert: LogAlert };

/** Cosigns `checkpoint` and POSTs it to /v1/log/cosignatures; a failure is LOG_COSIGN_FAILED. */
export async function cosignAndSubmit(
  hub: Pick<HubClient, 'submitCosignature'>,
  checkpoint: VerifiedCheckpoint,
  identity: WitnessIdentity,
  now: Date,
): Promise<CosignOutcome> {
  const line = await cosignCheckpointText(checkpoint.text, identity, now);
  try {
    await hub.submitCosignature({ size: checkpoint.size, cosignature: line });
    return { ok: true, line };
  } catch (e) {
    if (!isClientError(e)) throw e;
    return {
      ok: false,
      alert: logAlert(
        'LOG_COSIGN_FAILED',
        `cosignature of ${checkpoint.size} not delivered: ${e.code}`,
        {
          size: checkpoint.size,
          witness: witnessKeyName(identity.ori),
          reason: e.code,
        },
      ),
    };
  }
}
