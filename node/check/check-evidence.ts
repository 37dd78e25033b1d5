/**
 * The evidence bundle of a verified check (protocol/check-evidence.ts): the request as sent,
 * the answer as received, and the public keys it was verified with — so the hiring file can be
 * verified again later without the hub (verify-evidence.ts). Pure.
 *
 * The agencies are the registry entries the verification itself used: `recordingResolver`
 * wraps the check's ResolveAgency and keeps what each lookup returned, so the bundle holds the
 * keys the attestations were actually verified with, not a later fetch.
 */
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { CHECK_EVIDENCE_VERSION, type CheckEvidence } from '../../protocol/check-evidence.js';
import type { CheckRequest } from '../../protocol/check-request.js';
import { formatTimestamp } from '../../protocol/common.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import type { ResolveAgency, VerifiedCheck } from './verify-answer.js';

export interface RecordingResolver {
  readonly resolveAgency: ResolveAgency;
  /** The entry the last lookup of `ori` returned; undefined if never looked up or unknown. */
  readonly resolved: (ori: string) => RegistryEntry | undefined;
}

export function recordingResolver(inner: ResolveAgency): RecordingResolver {
  const seen = new Map<string, RegistryEntry | undefined>();
  return {
    resolveAgency: async (ori) => {
      const entry = await inner(ori);
      seen.set(ori, entry);
      return entry;
    },
    resolved: (ori) => seen.get(ori),
  };
}

export interface CheckEvidenceInput {
  /** This node's ORI, the requester the response was verified for. */
  readonly requester: string;
  readonly request: CheckRequest;
  readonly verified: VerifiedCheck;
  /** The registry entries the verification resolved (RecordingResolver.resolved). */
  readonly resolved: (ori: string) => RegistryEntry | undefined;
  /** The hub keys the answer was verified with. */
  readonly hubKeys: readonly PublicKeyInfo[];
  readonly verifiedAt: Date;
}

export function buildCheckEvidence(input: CheckEvidenceInput): CheckEvidence {
  const { verified } = input;
  const issuers = [...new Set(verified.attestations.map((a) => a.issuer))].sort();
  const agencies = issuers.map((ori) => {
    const entry = input.resolved(ori);
    // verifyCheckAnswer resolved every issuer before it accepted the answer.
    if (entry === undefined) throw new Error(`evidence: issuer ${ori} was not resolved`);
    return entry;
  });
  return {
    v: CHECK_EVIDENCE_VERSION,
    requester: input.requester,
    request: input.request,
    answer: verified.answer,
    agencies,
    hubKeys: {
      keys: input.hubKeys.map(({ kid, publicJwk: { kty, crv, x } }) => ({ kty, crv, x, kid })),
    },
    logOrigin: verified.checkpoint.origin,
    verifiedAt: formatTimestamp(input.verifiedAt),
  };
}
