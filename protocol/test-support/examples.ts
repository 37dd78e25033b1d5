/**
 * Deterministic example messages, valid under this version's schemas: used by the tests next
 * to each message, by test/vectors/protocol/generate.ts and by node/hub tests that need a
 * well-formed message. Byte values are derived from labels with SHA-256 so they are stable
 * across runs; they are NOT valid group elements or signatures (those live in §4 and §6
 * vectors), only correctly sized values.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url, utf8 } from '../../crypto/encoding.js';
import { jwkThumbprint, type AgencyKey } from '../agency-key.js';
import { statementDigest } from '../check-answer.js';
import type { AttestationPayload } from '../attestation.js';
import type { CheckMatch, CheckResponsePayload } from '../check-response.js';
import type { CheckPolicy, CheckRequest } from '../check-request.js';
import { computeVerdict } from '../check-verdict.js';
import type { IntakeBatch, IntakeReceipt } from '../intake.js';
import type { InclusionEvidence } from '../tlog.js';
import type { RegistryEntry } from '../registry-entry.js';
import type { TokenizationRequest, TokenizationResponse } from '../tokenization.js';
import { PROTOCOL_VERSION } from '../version.js';

/** `n` bytes derived from `label`: SHA-256(label || counter) blocks, truncated. */
export function exampleBytes(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, off = 0; off < n; i++, off += 32) {
    out.set(sha256(utf8(`${label}#${i}`)).subarray(0, Math.min(32, n - off)), off);
  }
  return out;
}

export function exampleB64(label: string, n: number): string {
  return toBase64url(exampleBytes(label, n));
}

/**
 * A compact JWS with the §6.4 header (`alg`, `kid`, `typ` in that order) over the JSON of
 * `payload`; the signature is a placeholder, not a real Ed25519 signature.
 */
export function exampleJws(typ: string, payload: unknown, label: string): string {
  const kid = exampleB64(`${label}/kid`, 32);
  const header = toBase64url(utf8(`{"alg":"Ed25519","kid":"${kid}","typ":"${typ}"}`));
  const body = toBase64url(utf8(JSON.stringify(payload)));
  return `${header}.${body}.${exampleB64(`${label}/sig`, 64)}`;
}

export function exampleAgencyKey(label: string, status: AgencyKey['status'] = 'active'): AgencyKey {
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: exampleB64(label, 32) } as const;
  return { kid: jwkThumbprint(jwk), status, jwk };
}

export const EXAMPLE_CONTACT = {
  name: 'Records Custodian',
  email: 'records@agency.example.gov',
  phone: '+12135550100',
};

export function exampleRegistryEntry(): RegistryEntry {
  return {
    ori: 'CA0194200',
    name: 'Example City Police Department',
    jurisdiction: 'local',
    state: 'CA',
    roles: ['reporter', 'checker'],
    keys: [exampleAgencyKey('agency-key-2', 'active'), exampleAgencyKey('agency-key-1', 'retired')],
    contact: EXAMPLE_CONTACT,
    status: 'active',
  };
}

export function exampleTokenizationRequest(count = 3): TokenizationRequest {
  return {
    epoch: 1,
    blindedElements: Array.from({ length: count }, (_, i) => exampleB64(`blinded-${i}`, 32)),
  };
}

export function exampleTokenizationResponse(count = 3): TokenizationResponse {
  return {
    epoch: 1,
    shareIndex: 1,
    evaluatedElements: Array.from({ length: count }, (_, i) => exampleB64(`evaluated-${i}`, 32)),
    proof: exampleB64('proof', 64),
  };
}

export const EXAMPLE_IDS = {
  attestation: '0190f1c2-3b4a-7c5d-8e6f-708192a3b4c5',
  superseded: '0190f1c2-3b4a-7000-8000-000000000001',
  check: '0194a0b1-c2d3-7e4f-9a5b-6c7d8e9fa0b1',
} as const;

export function exampleAttestation(
  overrides: Partial<AttestationPayload> = {},
): AttestationPayload {
  return {
    v: PROTOCOL_VERSION,
    id: EXAMPLE_IDS.attestation,
    issuer: 'CA0194200',
    tokens: {
      epoch: 1,
      keys: [
        { kind: 'ssn', index: exampleB64('officer-a/ssn', 32) },
        { kind: 'name_dob', index: exampleB64('officer-a/name_dob', 32) },
        { kind: 'last_dob', index: exampleB64('officer-a/last_dob', 32) },
      ],
    },
    categoryList: 1,
    category: 'termination',
    useOfForce: true,
    eventDate: '2023-04-02',
    outcomeDate: '2023-09-14',
    status: 'final',
    statusDate: '2023-11-01',
    notified: true,
    disputed: null,
    supersedes: null,
    localRef: 'IA-2023-0042',
    issuedAt: '2023-11-02T15:04:05Z',
    ...overrides,
  };
}

export function exampleIntakeBatch(): IntakeBatch {
  return { attestations: [exampleJws('spx-attestation+jws', exampleAttestation(), 'att-1')] };
}

/** Standard padded base64 (RFC 4648 §4), as signed notes write bytes. */
function exampleStdB64(label: string, n: number): string {
  const std = exampleB64(label, n).replace(/-/g, '+').replace(/_/g, '/');
  return std + '='.repeat((4 - (std.length % 4)) % 4);
}

/**
 * A checkpoint note of the right shape (C2SP tlog-checkpoint in a signed note) for a tree of
 * `size` leaves; root and signature are placeholders.
 */
export function exampleCheckpointNote(size = 43): string {
  const origin = 'spx.invalid/hub-log';
  return (
    `${origin}\n${size}\n${exampleStdB64(`root-${size}`, 32)}\n\n` +
    `\u2014 ${origin} ${exampleStdB64(`checkpoint-sig-${size}`, 68)}\n`
  );
}

/** Inclusion evidence of the right shape: a leaf `index` of a tree of `size` (placeholder hashes). */
export function exampleInclusionEvidence(index = 42, size = 43): InclusionEvidence {
  let proofLength = 0;
  for (let n = size - 1; n > 0; n >>= 1) proofLength++;
  return {
    index,
    salt: exampleB64(`salt-${index}`, 32),
    proof: Array.from({ length: proofLength }, (_, i) => exampleB64(`proof-${index}-${i}`, 32)),
  };
}

export function exampleIntakeReceipt(): IntakeReceipt {
  return {
    receipts: [
      {
        id: EXAMPLE_IDS.attestation,
        status: 'accepted',
        receivedAt: '2023-11-02T15:04:07Z',
        log: exampleInclusionEvidence(),
      },
    ],
    log: { checkpoint: exampleCheckpointNote() },
  };
}

export function examplePolicy(overrides: Partial<CheckPolicy> = {}): CheckPolicy {
  return {
    categoryList: 1,
    disqualifying: ['decertification', 'criminal_conviction_on_duty', 'termination'],
    review: ['resignation_under_investigation', 'retirement_under_investigation', 'suspension'],
    otherCategories: 'review',
    useOfForce: 'at_least_review',
    findingStrength: 'moderate',
    lookbackYears: null,
    disputed: 'count',
    ...overrides,
  };
}

export function exampleCheckRequest(overrides: Partial<CheckRequest> = {}): CheckRequest {
  return {
    purpose: 'hiring',
    consentRef: 'consent/2025/0007',
    epoch: 1,
    keys: [
      { kind: 'ssn', index: exampleB64('officer-a/ssn', 32) },
      { kind: 'name_dob', index: exampleB64('officer-a/name_dob', 32) },
      { kind: 'last_dob', index: exampleB64('officer-a/last_dob', 32) },
    ],
    policy: examplePolicy(),
    ...overrides,
  };
}

/** The (placeholder-signed) compact JWS of an example attestation. */
export function exampleAttestationJws(attestation: AttestationPayload): string {
  return exampleJws('spx-attestation+jws', attestation, attestation.id);
}

/** The match the hub reports for `attestation` when `matchedKinds` of the request matched. */
export function exampleMatch(
  attestation: AttestationPayload,
  matchedKinds: CheckMatch['matchedKinds'],
  strength: CheckMatch['strength'],
  contradictedKinds: CheckMatch['contradictedKinds'] = [],
): CheckMatch {
  if (attestation.status === 'retracted' || attestation.status === 'expired') {
    throw new RangeError('retracted and expired attestations are never matched');
  }
  return {
    attestationId: attestation.id,
    attestationDigest: statementDigest(exampleAttestationJws(attestation)),
    reportingAgency: {
      ori: attestation.issuer,
      name: 'Example City Police Department',
      contact: EXAMPLE_CONTACT,
    },
    categoryList: attestation.categoryList,
    category: attestation.category,
    useOfForce: attestation.useOfForce,
    eventDate: attestation.eventDate,
    outcomeDate: attestation.outcomeDate,
    status: attestation.status as CheckMatch['status'],
    statusDate: attestation.statusDate,
    disputed: attestation.disputed,
    matchedKinds,
    strength,
    contradictedKinds,
  };
}

/** A consistent check response: verdict and reasons computed from matches and policy. */
export function exampleCheckResponse(
  request: CheckRequest = exampleCheckRequest(),
  matches: CheckMatch[] = [
    exampleMatch(exampleAttestation(), ['ssn', 'name_dob', 'last_dob'], 'strong'),
  ],
  checkedAt = '2025-01-15T10:00:00Z',
): CheckResponsePayload {
  const { verdict, reasons } = computeVerdict(matches, request.policy, checkedAt);
  return {
    v: PROTOCOL_VERSION,
    checkId: EXAMPLE_IDS.check,
    requester: 'TX2270100',
    purpose: request.purpose,
    consentRef: request.consentRef,
    checkedAt,
    epoch: request.epoch,
    keys: request.keys,
    policy: request.policy,
    matches,
    verdict,
    reasons: reasons.map((r) => ({ ...r, reasons: [...r.reasons] })),
  };
}
