/**
 * Verifying a check evidence bundle (protocol/check-evidence.ts) later, from the hiring file
 * alone: no hub, no node, no network (docs/transparency.md "Evidence in receipts and answers").
 *
 * The checks are those the node ran when the answer arrived — verifyCheckAnswer, the §5.8.3
 * checklist, against the request, the agencies' registry entries and the log origin the bundle
 * records — and, when witnesses are given, their quorum over the checkpoint. What is trusted is
 * the caller's: the hub keys it pins (else the bundle's own `hubKeys`, which proves only that
 * the bundle is consistent — anyone can sign a bundle with a key they put in it; the result says
 * so), the log origin, the requester, the witnesses. Pure; async only because WebCrypto
 * verification is. Never throws on the bundle: a failure is a result with the stable code of
 * the first failing step (CheckError codes).
 */
import type { NoteVerifierKey } from '../../crypto/note/index.js';
import { isCryptoError } from '../../crypto/errors.js';
import {
  importPublicJwk,
  type PublicKeyInfo,
  type StatementVerifyCode,
} from '../../crypto/signing/index.js';
import type { CheckEvidence, HubJwk } from '../../protocol/check-evidence.js';
import type { FieldError } from '../../protocol/problem.js';
import type { LogAlert } from '../tlog/alerts.js';
import { quorumAlert, verifyCheckpointNote } from '../tlog/verify-checkpoint.js';
import { isCheckError, type CheckErrorCode } from './check-error.js';
import { presentCheck, type CheckPresentation } from './present.js';
import { verifyCheckAnswer, type VerifiedCheck } from './verify-answer.js';

/** What the verifier trusts; everything left out is taken from the bundle and reported so. */
export interface EvidenceTrust {
  /** The hub's statement-signing keys, pinned (e.g. GET /v1/hub/keys kept by the agency). */
  readonly hubKeys?: readonly PublicKeyInfo[] | undefined;
  /** The transparency log's origin (SPX_NODE_LOG_ORIGIN). */
  readonly logOrigin?: string | undefined;
  /** The checking agency's ORI. */
  readonly requester?: string | undefined;
  /** Witnesses whose cosignatures count (C2SP verifier keys of type 0x04). */
  readonly witnesses?: readonly NoteVerifierKey[] | undefined;
  /** Cosignatures required; default 1 when witnesses are given, else 0. */
  readonly quorum?: number | undefined;
}

/** Which trust anchors came from the caller (true) rather than from the bundle itself. */
export interface EvidencePins {
  readonly hubKeys: boolean;
  readonly logOrigin: boolean;
  readonly requester: boolean;
}

export type EvidenceVerification =
  | {
      readonly ok: true;
      readonly pinned: EvidencePins;
      readonly verified: VerifiedCheck;
      /** The verdict and matches as people read them (node/check/present.ts). */
      readonly presentation: CheckPresentation;
      /** Names of the trusted witnesses whose cosignatures verified. */
      readonly cosigners: readonly string[];
    }
  | {
      readonly ok: false;
      readonly pinned: EvidencePins;
      readonly code: CheckErrorCode;
      readonly message: string;
      /** The first field at fault, named from the answer (`attestations[1]`, `log.checkpoint`). */
      readonly field: string | undefined;
      readonly errors: readonly FieldError[];
      readonly signatureCode: StatementVerifyCode | undefined;
    };

export async function verifyCheckEvidence(
  bundle: CheckEvidence,
  trust: EvidenceTrust = {},
): Promise<EvidenceVerification> {
  const pinned: EvidencePins = {
    hubKeys: trust.hubKeys !== undefined,
    logOrigin: trust.logOrigin !== undefined,
    requester: trust.requester !== undefined,
  };
  const hubKeys = trust.hubKeys ?? (await usableKeys(bundle.hubKeys.keys));
  let verified: VerifiedCheck;
  try {
    verified = await verifyCheckAnswer(bundle.answer, {
      request: bundle.request,
      requester: trust.requester ?? bundle.requester,
      hubKeys,
      resolveAgency: (ori) => bundle.agencies.find((a) => a.ori === ori),
      logOrigin: trust.logOrigin ?? bundle.logOrigin,
    });
  } catch (e) {
    if (!isCheckError(e)) throw e;
    return failure(pinned, e.code, e.message, e.errors, e.signatureCode);
  }

  // Witnesses: counted over the checkpoint verifyCheckAnswer accepted (it checks the hub's
  // signature only, as a fresh answer's checkpoint may not have been cosigned yet).
  const witnesses = trust.witnesses ?? [];
  const quorum = trust.quorum ?? Math.min(1, witnesses.length);
  const logTrust = { hubKeys, origin: verified.checkpoint.origin, witnesses, quorum };
  const cosigned = verifyCheckpointNote(verified.checkpoint.note, logTrust);
  if (!cosigned.ok) return checkpointFailure(pinned, cosigned.alert);
  const short = quorumAlert(cosigned.checkpoint, logTrust);
  if (short !== undefined) return checkpointFailure(pinned, short);
  return {
    ok: true,
    pinned,
    verified,
    presentation: presentCheck(verified),
    cosigners: cosigned.checkpoint.cosigners,
  };
}

function failure(
  pinned: EvidencePins,
  code: CheckErrorCode,
  message: string,
  errors: readonly FieldError[],
  signatureCode: StatementVerifyCode | undefined,
): EvidenceVerification {
  return { ok: false, pinned, code, message, field: errors[0]?.field, errors, signatureCode };
}

/** A witness cosignature that does not verify, or too few: LOG_BAD_SIGNATURE, LOG_QUORUM_NOT_MET. */
function checkpointFailure(pinned: EvidencePins, alert: LogAlert): EvidenceVerification {
  const error: FieldError = {
    field: 'log.checkpoint',
    code: 'invalid_value',
    message: `${alert.code}: ${alert.message}`,
  };
  return failure(pinned, 'LOG_CHECKPOINT_INVALID', alert.message, [error], undefined);
}

/**
 * The bundle's hub keys; one that is no usable Ed25519 key (importPublicJwk refuses
 * small-order points) is left out, so what it "signed" fails as HUB_SIGNATURE_INVALID.
 */
async function usableKeys(keys: readonly HubJwk[]): Promise<PublicKeyInfo[]> {
  const usable: PublicKeyInfo[] = [];
  for (const jwk of keys) {
    try {
      usable.push(await importPublicJwk(jwk));
    } catch (e) {
      if (!isCryptoError(e)) throw e;
    }
  }
  return usable;
}
