/**
 * Signing one page of outcomes (publish.ts): their officers' hub indexes through the keyholders,
 * then one attestation per outcome, checked against the protocol's schema before it is signed.
 * An outcome that cannot be signed becomes a `PublishFailure` (codes and fields, never values).
 */
import { parseStatement, signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { SigningKey } from '../../crypto/signing/index.js';
import { AttestationPayloadSchema } from '../../protocol/attestation.js';
import { isAllowedTransition } from '../../protocol/attestation-lifecycle.js';
import { safeDecode } from '../../protocol/decode.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { identityOf } from '../import/index.js';
import {
  attestationsRepository,
  officersRepository,
  type NewAttestation,
  type NodeDatabase,
  type OutcomeToAttest,
} from '../store/index.js';
import { tokenizeIdentities, type KeyholderSet, type TokenizedKey } from '../tokenize/index.js';
import { buildAttestationPayload, issuedAtAfter } from './build-attestation.js';

export interface SigningDeps {
  readonly db: NodeDatabase;
  readonly keyholders: KeyholderSet;
  readonly ori: string;
  readonly key: SigningKey;
  readonly now: () => Date;
  /** Statement ids (UUIDv7 random bits) and OPRF blinds. */
  readonly rng: (n: number) => Uint8Array;
}

/** Why one outcome was not published this run: codes and fields only, never values. */
export interface PublishFailure {
  readonly outcomeId: number;
  readonly employeeId: string;
  readonly caseNumber: string;
  readonly errors: readonly { readonly code: string; readonly field: string | null }[];
}

export interface Signed {
  readonly attestation: NewAttestation;
  readonly revision: number;
  /**
   * It only re-states the outcome's current statement under a newer epoch: the revision was
   * attested already (docs/protocol.md §5.5.3 re-statement).
   */
  readonly restates: boolean;
}

const TERMINAL = new Set(['retracted', 'expired']);

export function failure(
  item: OutcomeToAttest,
  errors: readonly { code: string; field?: string | null | undefined }[],
): PublishFailure {
  return {
    outcomeId: item.outcome.id,
    employeeId: item.employeeId,
    caseNumber: item.outcome.localRef,
    errors: errors.map((e) => ({ code: e.code, field: e.field ?? null })),
  };
}

/** A statement that the hub would refuse as a successor of the current one (§5.5.3). */
export function transitionError(
  item: OutcomeToAttest,
): { code: string; field: string } | undefined {
  const from = item.outcome.attestedStatus;
  if (from === null || item.outcome.currentAttestationId === null) return undefined;
  if (TERMINAL.has(from)) return { code: 'ATTESTATION_TERMINAL', field: 'status' };
  if (!isAllowedTransition(from, item.outcome.status)) {
    return { code: 'STATUS_TRANSITION', field: 'status' };
  }
  return undefined;
}

/** Signs a statement for each of `items`; those that cannot be signed go to `failed`. */
export async function signPage(
  deps: SigningDeps,
  items: readonly OutcomeToAttest[],
  failed: PublishFailure[],
): Promise<Signed[]> {
  if (items.length === 0) return [];
  const officers = await officersRepository(deps.db).findByEmployeeIds(
    items.map((i) => i.employeeId),
  );
  const employeeIds = [...officers.keys()];
  // Throws TokenizeError when the keyholders fail: the whole run stops, nothing is written
  // for this page, and the next run starts over (tokenizing again gives the same indexes).
  const tokens = await tokenizeIdentities(
    employeeIds.map((id) => identityOf(officers.get(id)!)),
    { keyholders: deps.keyholders, rng: deps.rng, asOf: deps.now() },
  );
  const keysOf = new Map<string, readonly TokenizedKey[]>();
  const errorsOf = new Map<string, readonly { code: string; field: string | undefined }[]>();
  employeeIds.forEach((id, i) => {
    const t = tokens.identities[i]!;
    if (t.ok) keysOf.set(id, t.keys);
    else errorsOf.set(id, t.errors);
  });
  const previous = await previousIssuedAt(
    deps.db,
    items.map((i) => i.outcome.currentAttestationId).filter((id): id is string => id !== null),
  );

  const out: Signed[] = [];
  for (const item of items) {
    const keys = keysOf.get(item.employeeId);
    if (keys === undefined) {
      failed.push(failure(item, errorsOf.get(item.employeeId) ?? [{ code: 'OFFICER_UNKNOWN' }]));
      continue;
    }
    const now = deps.now();
    const supersedes = item.outcome.currentAttestationId;
    const payload = buildAttestationPayload({
      id: newStatementId(now.getTime(), deps.rng),
      issuer: deps.ori,
      epoch: tokens.epoch,
      keys,
      outcome: item.outcome,
      supersedes,
      issuedAt: issuedAtAfter(now, supersedes === null ? undefined : previous.get(supersedes)),
    });
    const checked = safeDecode(AttestationPayloadSchema, payload);
    if (!checked.ok) {
      failed.push(
        failure(
          item,
          checked.error.errors.map((e) => ({
            code: `ATTESTATION_INVALID:${e.code}`,
            field: e.field,
          })),
        ),
      );
      continue;
    }
    const jws = await signStatement(payload as unknown as JsonObject, {
      typ: STATEMENT_TYPES.attestation,
      key: deps.key,
    });
    out.push({
      revision: item.outcome.revision,
      restates: supersedes !== null && item.outcome.attestedRevision === item.outcome.revision,
      attestation: {
        id: payload.id,
        outcomeId: item.outcome.id,
        outcomeRevision: item.outcome.revision,
        statementStatus: payload.status,
        epoch: tokens.epoch,
        jws,
        supersedes,
      },
    });
  }
  return out;
}

/** issuedAt of the statements about to be superseded, read back from their own JWS. */
async function previousIssuedAt(db: NodeDatabase, ids: readonly string[]) {
  const found = new Map<string, string>();
  for (const [id, jws] of await attestationsRepository(db).jwsOf(ids)) {
    const parsed = parseStatement(jws, [STATEMENT_TYPES.attestation]);
    const issuedAt = parsed.ok ? parsed.value.payload['issuedAt'] : undefined;
    if (typeof issuedAt === 'string') found.set(id, issuedAt);
  }
  return found;
}
