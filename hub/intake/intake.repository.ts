/**
 * Attestation storage (docs/protocol.md §5.6): lookups by statement id for idempotency and
 * supersession, and the one-transaction write of an accepted batch — which also appends the
 * batch to the transparency log (`inTx`), so statements and leaves commit together.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { executeTogether, insertRowsQuery } from '../../platform/db/bulk-insert.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { HubDatabase } from '../database.js';
import { logExpungements } from '../tlog/tlog.table.js';
import { attestationKeys, attestations } from './intake.table.js';

export interface StoredStatement {
  readonly id: string;
  readonly issuer: string;
  readonly jws: string;
  readonly receivedAt: Date;
  readonly supersededBy: string | null;
}

export interface NewStatement {
  readonly jws: string;
  readonly kid: string;
  readonly payload: AttestationPayload;
  /**
   * It re-states the statement it supersedes under a newer epoch (§5.5.3,
   * protocol/attestation-lifecycle.ts `isRestatement`): that one stays live. Absent: false.
   */
  readonly restates?: boolean;
}

/** Raised inside the write transaction when a concurrent batch got there first. */
export class IntakeRaceError extends Error {
  override readonly name = 'IntakeRaceError';
}

/** The `attestations` row of a verified statement as intake stores it (not yet superseded). */
export function attestationRow(
  { jws, kid, payload: p }: Pick<NewStatement, 'jws' | 'kid' | 'payload'>,
  receivedAt: Date,
): typeof attestations.$inferInsert {
  return {
    id: p.id,
    issuer: p.issuer,
    kid,
    epoch: p.tokens.epoch,
    categoryList: p.categoryList,
    category: p.category,
    useOfForce: p.useOfForce,
    eventDate: p.eventDate,
    outcomeDate: p.outcomeDate,
    status: p.status,
    statusDate: p.statusDate,
    disputedSince: p.disputed?.since ?? null,
    supersedes: p.supersedes,
    supersededBy: null,
    issuedAt: p.issuedAt,
    receivedAt,
    jws,
  };
}

export function intakeRepository(db: HubDatabase) {
  return {
    async findByIds(ids: readonly string[]): Promise<Map<string, StoredStatement>> {
      const unique = [...new Set(ids)];
      const out = new Map<string, StoredStatement>();
      if (unique.length === 0) return out;
      const rows = await db
        .select({
          id: attestations.id,
          issuer: attestations.issuer,
          jws: attestations.jws,
          receivedAt: attestations.receivedAt,
          supersededBy: attestations.supersededBy,
        })
        .from(attestations)
        .where(inArray(attestations.id, unique));
      for (const row of rows) out.set(row.id, row);
      return out;
    },

    /** Which of `ids` were expunged by court order (they may not come back). */
    async expungedIds(ids: readonly string[]): Promise<Set<string>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Set();
      const rows = await db
        .select({ id: logExpungements.attestationId })
        .from(logExpungements)
        .where(inArray(logExpungements.attestationId, unique));
      return new Set(rows.map((r) => r.id));
    },

    /**
     * Stores every statement of a validated batch, its hub indexes, and the supersession
     * links, then runs `inTx` (the log append), in one transaction: all or nothing. A
     * statement already superseded by a batch that committed meanwhile makes the whole write
     * fail (IntakeRaceError, or a unique violation of the id or of
     * `attestations_supersedes_unique`).
     */
    async storeBatch<T>(
      statements: readonly NewStatement[],
      receivedAt: Date,
      inTx: (tx: HubDatabase) => Promise<T>,
    ): Promise<T> {
      return db.transaction(async (tx) => {
        // The statements and their hub indexes in one statement (one round trip).
        await executeTogether(tx, [
          insertRowsQuery(
            attestations,
            statements.map((st) => attestationRow(st, receivedAt)),
          ),
          insertRowsQuery(
            attestationKeys,
            statements.flatMap(({ payload: p }) =>
              p.tokens.keys.map((k) => ({ attestationId: p.id, hubIndex: k.index, kind: k.kind })),
            ),
          ),
        ]);
        for (const { payload: p, restates } of statements) {
          if (p.supersedes === null) continue;
          const linked = await tx
            .update(attestations)
            .set({ supersededBy: p.id })
            .where(and(eq(attestations.id, p.supersedes), isNull(attestations.supersededBy)))
            .returning({ id: attestations.id });
          if (linked.length !== 1) throw new IntakeRaceError(`${p.supersedes} already superseded`);
          if (restates !== true) await retireContent(tx, p.supersedes);
        }
        return inTx(tx);
      });
    },
  };
}

/**
 * A statement that changes its chain's content makes the predecessor `id` and every statement
 * that the predecessor only re-stated no longer live (intake.table.ts). Those are the live ones
 * walking back from `id` through `supersedes` (primary-key lookups): a statement that is not
 * live has no live ancestor.
 */
async function retireContent(tx: HubDatabase, id: string): Promise<void> {
  await tx.execute(sql`
    with recursive restated(id, supersedes) as (
      select id, supersedes from attestations where id = ${id} and live
      union all
      select a.id, a.supersedes from attestations a join restated r on a.id = r.supersedes
       where a.live
    )
    update attestations set live = false where id in (select id from restated)`);
}

export type IntakeRepository = ReturnType<typeof intakeRepository>;
