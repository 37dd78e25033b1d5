/** Test support: attestations signed for real by a test agency. */
import { signStatement, type JsonObject } from '../../../crypto/signing/index.js';
import type { AttestationPayload } from '../../../protocol/attestation.js';
import type { TokenKey } from '../../../protocol/common.js';
import { STATEMENT_TYPES } from '../../../protocol/statement-types.js';
import { PROTOCOL_VERSION } from '../../../protocol/version.js';
import { seededRng, uuidV7 } from './deterministic.js';
import type { TestAgency } from './federation.js';

const ids = seededRng('attestation-ids');

/** A final termination reported by `agency` for the officer behind `keys`. */
export function attestationPayload(
  agency: TestAgency,
  keys: readonly TokenKey[],
  overrides: Partial<AttestationPayload> = {},
  epoch = 1,
): AttestationPayload {
  return {
    v: PROTOCOL_VERSION,
    id: uuidV7(new Date('2024-11-02T15:04:05Z'), ids),
    issuer: agency.entry.ori,
    tokens: { epoch, keys: [...keys] },
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
    issuedAt: '2024-11-02T15:04:05Z',
    ...overrides,
  };
}

export function signAttestation(agency: TestAgency, payload: AttestationPayload): Promise<string> {
  return signStatement(payload as unknown as JsonObject, {
    typ: STATEMENT_TYPES.attestation,
    key: agency.key,
  });
}
