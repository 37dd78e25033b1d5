/**
 * Building the log entries the hub appends (protocol/tlog.ts; docs/transparency.md, "What is
 * logged"). Pure: time and randomness come in.
 */
import type { Ed25519PublicJwk } from '../../protocol/agency-key.js';
import { formatTimestamp } from '../../protocol/common.js';
import {
  attestationLogEntry,
  LOG_SALT_BYTES,
  type AgencyLogEntry,
  type AgencyLogEvent,
  type BodyLogEvent,
  type CredentialingBodyLogEntry,
  type KeyholderKeyLogEntry,
} from '../../protocol/tlog.js';
import type { Rng } from '../../protocol/statement-id.js';
import type { NewLogEntry } from './append-plan.js';

/** An accepted attestation's entry: a commitment under a fresh 32-byte salt from `rng`. */
export function attestationEntry(statementId: string, compactJws: string, rng: Rng): NewLogEntry {
  const salt = rng(LOG_SALT_BYTES);
  if (!(salt instanceof Uint8Array) || salt.length !== LOG_SALT_BYTES) {
    throw new Error(`rng returned no ${LOG_SALT_BYTES}-byte salt`);
  }
  return { entry: attestationLogEntry(salt, compactJws), statementId, salt };
}

/** A registry change: the agency's active key after it, and the key itself when it is new. */
export function agencyEntry(
  event: AgencyLogEvent,
  ori: string,
  kid: string,
  publicJwk: Ed25519PublicJwk | null,
  now: Date,
): NewLogEntry {
  const entry: AgencyLogEntry = {
    v: 1,
    kind: 'agency',
    event,
    ori,
    kid,
    publicJwk: publicJwk === null ? null : { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x },
    at: formatTimestamp(now),
  };
  return { entry };
}

/** The keyholder set's public key of one epoch, with its shares (index i for publicShares[i-1]). */
export function keyholderKeyEntry(
  epoch: number,
  publicKey: string,
  publicShares: readonly string[],
  now: Date,
): NewLogEntry {
  const entry: KeyholderKeyLogEntry = {
    v: 1,
    kind: 'keyholder_key',
    epoch,
    publicKey,
    shares: publicShares.map((share, i) => ({ index: i + 1, publicKey: share })),
    at: formatTimestamp(now),
  };
  return { entry };
}

/** A credentialing body's enrolment or change: its active key after it, the key when new. */
export function bodyEntry(
  event: BodyLogEvent,
  body: string,
  kid: string,
  publicJwk: Ed25519PublicJwk | null,
  now: Date,
): NewLogEntry {
  const entry: CredentialingBodyLogEntry = {
    v: 1,
    kind: 'credentialing_body',
    event,
    body,
    kid,
    publicJwk: publicJwk === null ? null : { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x },
    at: formatTimestamp(now),
  };
  return { entry };
}
