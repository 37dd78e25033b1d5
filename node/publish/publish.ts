/**
 * Publish (issue 3, node): outcomes that need an attestation → their officers' hub indexes
 * through the keyholders → signed attestations → the outbox, page by page. Each page's
 * statements are recorded (delivery `pending`) and enqueued in ONE transaction, so a crash
 * leaves either nothing or statements that the outbox will deliver; delivery is the outbox's.
 *
 * Idempotent: an outcome revision with a statement pending, sent or accepted is not offered
 * again (outcomesRepository.needingAttestation), and the transaction re-checks that under a row
 * lock, so two runs at once sign each revision once. A revision the hub refused is not offered
 * again unless `retryRejected` (the operator fixed the cause), so a permanent refusal does not
 * turn into a new statement on every run.
 */
import { and, count, inArray } from 'drizzle-orm';
import { parseStatement, signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { SigningKey } from '../../crypto/signing/index.js';
import { AttestationPayloadSchema } from '../../protocol/attestation.js';
import { isAllowedTransition } from '../../protocol/attestation-lifecycle.js';
import { safeDecode } from '../../protocol/decode.js';
import { MAX_INTAKE_BATCH } from '../../protocol/intake.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { identityOf } from '../import/index.js';
import {
  attestations,
  attestationsRepository,
  officersRepository,
  outboxRepository,
  outcomes,
  outcomesRepository,
  type NewAttestation,
  type NodeDatabase,
  type OutcomeToAttest,
} from '../store/index.js';
import { tokenizeIdentities, type KeyholderSet, type TokenizedKey } from '../tokenize/index.js';
import { buildAttestationPayload, issuedAtAfter } from './build-attestation.js';

/** The outbox item kind the sender delivers to the hub's intake. */
export const ATTESTATIONS_OUTBOX_KIND = 'attestations';

export interface AttestationsOutboxPayload {
  /** Statement ids in the order they are to be sent; the JWS are in `attestations`. */
  readonly attestationIds: readonly string[];
}

export interface PublishDeps {
  readonly db: NodeDatabase;
  readonly keyholders: KeyholderSet;
  readonly ori: string;
  readonly key: SigningKey;
  readonly now: () => Date;
  /** Statement ids (UUIDv7 random bits) and OPRF blinds. */
  readonly rng: (n: number) => Uint8Array;
}

export interface PublishOptions {
  /** Attestations per outbox item (one intake request); default 200, at most 500. */
  readonly batchSize?: number;
  /** Outcomes tokenized and recorded per transaction; default 200. */
  readonly pageSize?: number;
  /** Offer again revisions the hub refused. */
  readonly retryRejected?: boolean;
  readonly onProgress?: (progress: { readonly done: number }) => void;
}

/** Why one outcome was not published this run: codes and fields only, never values. */
export interface PublishFailure {
  readonly outcomeId: number;
  readonly employeeId: string;
  readonly caseNumber: string;
  readonly errors: readonly { readonly code: string; readonly field: string | null }[];
}

export interface PublishResult {
  /** Outcomes offered by the store this run. */
  readonly considered: number;
  /** Statements signed and enqueued. */
  readonly signed: number;
  /** Outbox items created. */
  readonly batches: number;
  /** Outcomes left for a later run: an earlier statement of theirs is still on its way. */
  readonly waiting: number;
  /** Outcomes whose current revision the hub refused (not retried without retryRejected). */
  readonly rejectedBefore: number;
  readonly failed: readonly PublishFailure[];
}

interface Signed {
  readonly attestation: NewAttestation;
  readonly revision: number;
}

const TERMINAL = new Set(['retracted', 'expired']);

export async function publishOutcomes(
  deps: PublishDeps,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const batchSize = Math.min(Math.max(options.batchSize ?? 200, 1), MAX_INTAKE_BATCH);
  const pageSize = Math.max(options.pageSize ?? 200, 1);
  const store = outcomesRepository(deps.db);
  const failed: PublishFailure[] = [];
  let [considered, signed, batches, waiting, rejectedBefore] = [0, 0, 0, 0, 0];
  let afterId = 0;

  for (;;) {
    const page = await store.needingAttestation({ afterId, limit: pageSize });
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.outcome.id;
    considered += page.length;
    const blocked = await blockers(deps.db, page);
    const ready: OutcomeToAttest[] = [];
    for (const item of page) {
      const block = blocked.get(item.outcome.id);
      if (block === 'in_flight') waiting++;
      else if (block === 'rejected' && !options.retryRejected) rejectedBefore++;
      else {
        const error = transitionError(item);
        if (error) failed.push(failure(item, [error]));
        else ready.push(item);
      }
    }
    const list = await signPage(deps, ready, failed);
    const written = await recordAndEnqueue(deps, list, batchSize);
    signed += written.signed;
    batches += written.batches;
    options.onProgress?.({ done: considered });
  }
  return { considered, signed, batches, waiting, rejectedBefore, failed };
}

function failure(
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
function transitionError(item: OutcomeToAttest): { code: string; field: string } | undefined {
  const from = item.outcome.attestedStatus;
  if (from === null || item.outcome.currentAttestationId === null) return undefined;
  if (TERMINAL.has(from)) return { code: 'ATTESTATION_TERMINAL', field: 'status' };
  if (!isAllowedTransition(from, item.outcome.status)) {
    return { code: 'STATUS_TRANSITION', field: 'status' };
  }
  return undefined;
}

/**
 * Outcomes with a statement still on its way (any revision: a successor must name the head of
 * its chain, which is not known until the hub answers), or whose current revision was refused.
 */
async function blockers(
  db: NodeDatabase,
  page: readonly OutcomeToAttest[],
): Promise<Map<number, 'in_flight' | 'rejected'>> {
  const rows = await db
    .select({
      outcomeId: attestations.outcomeId,
      revision: attestations.outcomeRevision,
      delivery: attestations.delivery,
    })
    .from(attestations)
    .where(
      and(
        inArray(
          attestations.outcomeId,
          page.map((p) => p.outcome.id),
        ),
        inArray(attestations.delivery, ['pending', 'sent', 'rejected']),
      ),
    );
  const revisionOf = new Map(page.map((p) => [p.outcome.id, p.outcome.revision]));
  const out = new Map<number, 'in_flight' | 'rejected'>();
  for (const r of rows) {
    if (r.delivery !== 'rejected') out.set(r.outcomeId, 'in_flight');
    else if (r.revision === revisionOf.get(r.outcomeId) && !out.has(r.outcomeId)) {
      out.set(r.outcomeId, 'rejected');
    }
  }
  return out;
}

async function signPage(
  deps: PublishDeps,
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
  if (ids.length === 0) return found;
  const rows = await db
    .select({ id: attestations.id, jws: attestations.jws })
    .from(attestations)
    .where(inArray(attestations.id, [...ids]));
  for (const r of rows) {
    const parsed = parseStatement(r.jws, [STATEMENT_TYPES.attestation]);
    const issuedAt = parsed.ok ? parsed.statement.payload['issuedAt'] : undefined;
    if (typeof issuedAt === 'string') found.set(r.id, issuedAt);
  }
  return found;
}

async function recordAndEnqueue(
  deps: PublishDeps,
  list: readonly Signed[],
  batchSize: number,
): Promise<{ signed: number; batches: number }> {
  if (list.length === 0) return { signed: 0, batches: 0 };
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    // Lock the outcomes, then keep only statements whose revision is still current and not
    // covered by a statement another run recorded meanwhile.
    const ids = [...new Set(list.map((s) => s.attestation.outcomeId))];
    const current = await tx
      .select({ id: outcomes.id, revision: outcomes.revision })
      .from(outcomes)
      .where(inArray(outcomes.id, ids))
      .for('update');
    const revisionOf = new Map(current.map((r) => [r.id, r.revision]));
    const covered = await tx
      .select({ outcomeId: attestations.outcomeId })
      .from(attestations)
      .where(
        and(
          inArray(attestations.outcomeId, ids),
          inArray(attestations.delivery, ['pending', 'sent']),
        ),
      );
    const busy = new Set(covered.map((c) => c.outcomeId));
    const keep = list.filter(
      (s) =>
        revisionOf.get(s.attestation.outcomeId) === s.revision &&
        !busy.has(s.attestation.outcomeId),
    );
    const repo = attestationsRepository(tx);
    for (const s of keep) await repo.record(s.attestation, now);
    const outbox = outboxRepository(tx);
    let batches = 0;
    for (let i = 0; i < keep.length; i += batchSize) {
      const part = keep.slice(i, i + batchSize).map((s) => s.attestation.id);
      const payload: AttestationsOutboxPayload = { attestationIds: part };
      await outbox.enqueue(
        { kind: ATTESTATIONS_OUTBOX_KIND, payload, dedupeKey: `attestations:${part[0]}` },
        now,
      );
      batches++;
    }
    return { signed: keep.length, batches };
  });
}

/** For status pages: statements by delivery state. */
export async function attestationCounts(db: NodeDatabase) {
  const rows = await db
    .select({ delivery: attestations.delivery, n: count() })
    .from(attestations)
    .groupBy(attestations.delivery);
  const counts = { pending: 0, sent: 0, accepted: 0, rejected: 0 };
  for (const r of rows) counts[r.delivery] = r.n;
  return counts;
}
