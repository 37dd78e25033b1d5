/**
 * One outcome → one attestation payload (docs/protocol.md §5.5). Pure: the clock, the new id
 * and the officer's tokens come in as data. What goes in is exactly the attested fields of the
 * outcome and the officer's hub indexes; never a name, date of birth, SSN or licence.
 */
import { MAX_LOCAL_REF_LENGTH, type AttestationPayload } from '../../protocol/attestation.js';
import { opaqueRef, formatTimestamp, type TokenKey } from '../../protocol/common.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { Outcome } from '../store/index.js';

const LocalRefSchema = opaqueRef(MAX_LOCAL_REF_LENGTH);

/**
 * The case number as `localRef` only when it is opaque by §5.1's rule (small alphabet, not
 * shaped like an SSN); otherwise null. The import already refuses other case numbers, so this
 * guards records written by other means: a reference that could carry an identifier is dropped,
 * never sent.
 */
export function opaqueLocalRef(caseNumber: string): string | null {
  return LocalRefSchema.safeParse(caseNumber).success ? caseNumber : null;
}

/**
 * `issuedAt` of a statement that supersedes one issued at `previousIssuedAt`: §5.5.3 needs it
 * strictly later, and timestamps have whole seconds, so two publications within one second
 * (an import and a quick correction) take the next second rather than being refused.
 */
export function issuedAtAfter(now: Date, previousIssuedAt: string | undefined): string {
  const issued = formatTimestamp(now);
  if (previousIssuedAt === undefined || issued > previousIssuedAt) return issued;
  return formatTimestamp(new Date(Date.parse(previousIssuedAt) + 1000));
}

export interface AttestationInput {
  readonly id: string;
  readonly issuer: string;
  readonly epoch: number;
  readonly keys: readonly TokenKey[];
  readonly outcome: Outcome;
  /** The statement this one replaces: the outcome's current accepted attestation. */
  readonly supersedes: string | null;
  readonly issuedAt: string;
}

export function buildAttestationPayload(input: AttestationInput): AttestationPayload {
  const o = input.outcome;
  return {
    v: PROTOCOL_VERSION,
    id: input.id,
    issuer: input.issuer,
    tokens: { epoch: input.epoch, keys: input.keys.map((k) => ({ kind: k.kind, index: k.index })) },
    categoryList: o.categoryList,
    category: o.category as AttestationPayload['category'],
    useOfForce: o.useOfForce,
    eventDate: o.eventDate,
    outcomeDate: o.outcomeDate,
    status: o.status,
    statusDate: o.statusDate,
    notified: o.notified,
    disputed: o.disputedSince === null ? null : { since: o.disputedSince },
    supersedes: input.supersedes,
    localRef: opaqueLocalRef(o.localRef),
    issuedAt: input.issuedAt,
  };
}
