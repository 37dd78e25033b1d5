/**
 * Expungement by court order (docs/transparency.md, "Expungement"): in one transaction, delete
 * the record — every statement of its supersession chain, since each version describes the same
 * record — with its hub indexes, erase the salt and statement id of each leaf (the leaf and its
 * entry stay, so the log still verifies), and record who did it, when, under which order.
 *
 * Without the salt, the leaf's commitment can no longer be linked to the statement, even by
 * someone holding the statement: SHA-256 over a random 32-byte salt cannot be searched. The
 * statement id is kept in `log_expungements` so that the same statement cannot be submitted
 * again (intake answers CONFLICT).
 */
import type { HubDatabase } from '../database.js';
import { HubError } from '../errors.js';
import { expungeRepository, type ChainLink, type ExpungeRepository } from './expunge.repository.js';

export interface ExpungeRequest {
  readonly attestationId: string;
  /** The court order's reference (docket number), as the operator gives it. */
  readonly orderRef: string;
  /** Who ran the expungement (the operator's name or account). */
  readonly by: string;
}

export interface ExpungedStatement {
  readonly id: string;
  readonly issuer: string;
  /** Its leaf, which stays in the log without salt; null if it was never logged. */
  readonly logIndex: number | null;
}

/** Longest chain followed: far beyond any real record's history. */
const MAX_CHAIN = 10_000;
/** 1 to 200 characters, none of them a control character (it ends up in logs and reports). */
function isPlainText(text: string): boolean {
  return (
    text.length >= 1 &&
    text.length <= 200 &&
    [...text].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
  );
}

/** Every statement of the chain through `start`, locked, oldest first. */
async function chainOf(repo: ExpungeRepository, start: ChainLink): Promise<ChainLink[]> {
  const chain = [start];
  for (let at = start; at.supersedes !== null && chain.length < MAX_CHAIN;) {
    const previous = await repo.lockLink(at.supersedes);
    if (previous === undefined) break;
    chain.unshift(previous);
    at = previous;
  }
  for (let at = start; at.supersededBy !== null && chain.length < MAX_CHAIN;) {
    const next = await repo.lockLink(at.supersededBy);
    if (next === undefined) break;
    chain.push(next);
    at = next;
  }
  return chain;
}

/**
 * Told, in the expungement's transaction and before anything is erased, the ids of every version
 * of the record: the corrections to earlier checkers (hub/mailbox/corrections.ts).
 */
export type BeforeErase = (tx: HubDatabase, chainIds: readonly string[]) => Promise<unknown>;

export async function expungeAttestation(
  db: HubDatabase,
  request: ExpungeRequest,
  now: Date,
  beforeErase?: BeforeErase,
): Promise<ExpungedStatement[]> {
  if (!isPlainText(request.orderRef)) {
    throw new HubError('ENTRY_INVALID', 'the order reference is 1 to 200 characters', {
      field: 'order',
    });
  }
  if (!isPlainText(request.by)) {
    throw new HubError('ENTRY_INVALID', 'who expunges is 1 to 200 characters', { field: 'by' });
  }
  return db.transaction(async (tx) => {
    const repo = expungeRepository(tx);
    const start = await repo.lockLink(request.attestationId);
    if (start === undefined) {
      const at = await repo.expungedAt(request.attestationId);
      if (at !== undefined) {
        throw new HubError('ATTESTATION_EXPUNGED', `already expunged on ${at.toISOString()}`, {
          field: 'id',
        });
      }
      throw new HubError(
        'ATTESTATION_UNKNOWN',
        `the hub holds no statement ${request.attestationId}`,
        { field: 'id' },
      );
    }
    const chain = await chainOf(repo, start);
    await beforeErase?.(
      tx,
      chain.map((c) => c.id),
    );
    const indexOf = await repo.erase(chain.map((c) => c.id));
    const done = chain.map((c) => ({
      id: c.id,
      issuer: c.issuer,
      logIndex: indexOf.get(c.id) ?? null,
    }));
    await repo.record(
      done.map((d) => ({
        attestationId: d.id,
        logIndex: d.logIndex,
        issuer: d.issuer,
        orderRef: request.orderRef,
        expungedBy: request.by,
        expungedAt: now,
      })),
    );
    return done;
  });
}
