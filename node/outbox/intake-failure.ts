/**
 * What a failed intake request means for the statements it carried (docs/node.md "Outbox").
 * The hub's intake (hub/intake) refuses a batch as a whole: nothing is stored on any 4xx.
 *
 * - `transient`: the hub may not have answered at all, or may have stored the batch (network,
 *   timeout, 408, 429, 5xx, an answer the node could not read), or lost a race with a concurrent
 *   batch (409 naming no statement) → the ordinary backoff; resending is safe, the hub answers
 *   `duplicate` for what it holds.
 * - `statements`: the problem names `attestations[i]` (the intake's per-statement checks:
 *   signature, payload, issuer, epoch, clock, supersession, a different statement under the id)
 *   → those statements can never be accepted as they are; the same bytes would be refused again.
 * - `too_large`: the batch's size is refused (413 PAYLOAD_TOO_LARGE from the hub's body limit or a
 *   proxy; VALIDATION_FAILED on `attestations` itself, more statements than this hub takes) →
 *   the same batch would be refused forever, smaller ones may pass: the sender splits it in two.
 * - `agency`: any other refusal names no statement — it is about the agency or the request
 *   (request token: AUTH_*; the registry: AGENCY_SUSPENDED, ROLE_REQUIRED; the request itself:
 *   NOT_FOUND at a wrong hub URL; a proxy's 4xx without a problem body) → nothing is wrong with
 *   the statements: they wait, and the batch is sent again after the long backoff
 *   (AGENCY_REFUSAL_MIN_BACKOFF_MS).
 */
import type { ClientError } from '../clients/index.js';

export type IntakeFailure =
  | { readonly kind: 'transient' }
  | { readonly kind: 'statements'; readonly positions: ReadonlySet<number> }
  | { readonly kind: 'too_large' }
  | { readonly kind: 'agency' };

const ATTESTATION_FIELD = /^attestations\[(\d+)\]/;

/** The position in the batch a field error names, if it names one of the `sent` statements. */
export function namedPosition(field: string, sent: number): number | undefined {
  const m = ATTESTATION_FIELD.exec(field);
  if (m === null) return undefined;
  const i = Number(m[1]);
  return Number.isSafeInteger(i) && i < sent ? i : undefined;
}

export function classifyIntakeFailure(e: ClientError, sent: number): IntakeFailure {
  const unreadable = e.code === 'RESPONSE_INVALID' || e.code === 'RESPONSE_TOO_LARGE';
  if (e.retryable || unreadable) return { kind: 'transient' };
  const positions = new Set<number>();
  for (const fe of e.errors) {
    const i = namedPosition(fe.field, sent);
    if (i !== undefined) positions.add(i);
  }
  if (positions.size > 0) return { kind: 'statements', positions };
  // A conflict that names no statement is the hub losing a race with a concurrent batch
  // (intake retries its transaction, then gives up): it clears by itself, like a 5xx.
  if (e.status === 409) return { kind: 'transient' };
  if (e.status === 413 || e.code === 'PAYLOAD_TOO_LARGE') return { kind: 'too_large' };
  if (e.code === 'VALIDATION_FAILED' && e.errors.some((fe) => fe.field === 'attestations')) {
    return { kind: 'too_large' };
  }
  return { kind: 'agency' };
}
