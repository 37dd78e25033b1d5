/**
 * What a check refuses before anything is stored or sent (docs/node.md "API", Checks): a
 * candidate whose identifiers cannot be normalized (docs/protocol.md §2.9), and a consentRef
 * that contains one of those identifiers — the hub keeps consentRef in its audit
 * (node/reference-guard.ts). The one place these rules live: `checkCandidate` takes only a
 * `ScreenedCandidate`, so no check reaches a keyholder without passing here. Pure.
 */
import { tryDeriveMatchKeys, type Identity } from '../../crypto/match-keys/index.js';
import { MAX_ATTESTATION_KEYS } from '../../protocol/attestation.js';
import { identifierInReference, REFERENCE_IDENTIFIER_LABELS } from '../reference-guard.js';

/** A refused check as the node API answers it (node/api/problem.ts). */
export interface CheckRefusal {
  /** 400 VALIDATION_FAILED: an identifier; 422 REFERENCE_CONTAINS_IDENTIFIER: consentRef. */
  readonly code: 'VALIDATION_FAILED' | 'REFERENCE_CONTAINS_IDENTIFIER';
  readonly detail: string;
  /** `candidate.<field>` with the §2.9 code, or `consentRef` with `not_allowed`. */
  readonly errors: readonly {
    readonly field: string;
    readonly code: string;
    readonly message: string;
  }[];
}

declare const screened: unique symbol;
/** A candidate `screenCandidate` let through with its consentRef. */
export type ScreenedCandidate = Identity & { readonly [screened]: true };

export type Screening =
  | { readonly ok: true; readonly candidate: ScreenedCandidate }
  | { readonly ok: false; readonly refusal: CheckRefusal };

/** Identity errors (§2.9 codes, or a key-count limit) as the refusal naming each field. */
export function identityRefusal(
  errors: readonly {
    readonly code: string;
    readonly field?: string | undefined;
    readonly message: string;
  }[],
): CheckRefusal {
  return {
    code: 'VALIDATION_FAILED',
    detail: 'the candidate identifiers cannot be used',
    errors: errors.map((e) => ({
      field: e.field === undefined ? 'candidate' : `candidate.${e.field}`,
      code: e.code,
      message: e.message,
    })),
  };
}

export function screenCandidate(candidate: Identity, consentRef: string, asOf: Date): Screening {
  const derived = tryDeriveMatchKeys(candidate, { asOf });
  if (!derived.ok) return { ok: false, refusal: identityRefusal(derived.errors) };
  if (derived.keys.length > MAX_ATTESTATION_KEYS) {
    const message = `the candidate yields ${derived.keys.length} keys; at most ${MAX_ATTESTATION_KEYS}`;
    return {
      ok: false,
      refusal: identityRefusal([{ code: 'IDENTITY_TOO_MANY_KEYS', field: 'aliases', message }]),
    };
  }
  const inConsentRef = identifierInReference(consentRef, candidate);
  if (inConsentRef !== undefined) {
    const message = `consentRef contains the candidate's ${REFERENCE_IDENTIFIER_LABELS[inConsentRef]}; the hub keeps it, so use a reference that carries no identifier`;
    return {
      ok: false,
      refusal: {
        code: 'REFERENCE_CONTAINS_IDENTIFIER',
        detail: message,
        errors: [{ field: 'consentRef', code: 'not_allowed', message }],
      },
    };
  }
  return { ok: true, candidate: candidate as ScreenedCandidate };
}
