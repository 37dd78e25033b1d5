/**
 * Outcomes and the bookkeeping that tells the publisher which need a new attestation
 * (outcomes.table.ts explains `revision` / `attested_revision`).
 */
import {
  and,
  asc,
  count,
  eq,
  gt,
  inArray,
  exists,
  isNotNull,
  isNull,
  lt,
  notExists,
  notInArray,
  or,
  sql,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AttestationStatus } from '../../protocol/attestation.js';
import { SUPERSEDING_ONLY_STATUSES } from '../../protocol/attestation.js';
import { isUniqueViolation, sqlErrorOf, SQLSTATE } from '../../platform/db/index.js';
import { NodeError } from '../errors.js';
import { attestations } from './attestations.table.js';
import type { NodeDatabase } from './database.js';
import { officers } from './officers.table.js';
import { outcomes } from './outcomes.table.js';

export type Outcome = typeof outcomes.$inferSelect;

/** The attested fields of an outcome, as an import or a user sets them. */
export interface OutcomeFields {
  readonly localRef: string;
  readonly category: string;
  readonly categoryList: number;
  readonly useOfForce: boolean;
  readonly eventDate: string;
  readonly outcomeDate: string;
  readonly status: AttestationStatus;
  readonly statusDate: string;
  readonly notified: boolean;
  readonly disputedSince: string | null;
}

export interface NewOutcome extends OutcomeFields {
  readonly officerId: number;
}

/** An outcome the publisher should attest, with the officer whose keys it carries. */
export interface OutcomeToAttest {
  readonly outcome: Outcome;
  readonly employeeId: string;
}

function insertError(e: unknown, what: string): unknown {
  if (isUniqueViolation(e, 'outcomes_officer_case_unique')) {
    return new NodeError('OUTCOME_EXISTS', `${what}: the officer has an outcome with this case`, {
      field: 'localRef',
      cause: e,
    });
  }
  if (sqlErrorOf(e)?.code === SQLSTATE.FOREIGN_KEY_VIOLATION) {
    return new NodeError('OFFICER_UNKNOWN', `${what}: no such officer`, {
      field: 'officerId',
      cause: e,
    });
  }
  return e;
}

/** The key `findByCases` uses: officer id and case number. */
export function caseKey(officerId: number, localRef: string): string {
  return `${officerId}\u0000${localRef}`;
}

/** Statuses nothing supersedes (§5.5.2): their records are never re-stated. */
const TERMINAL_STATUSES = ['retracted', 'expired'] as const;

/**
 * The condition of `needingAttestation`, shared with its count: a revision not yet attested,
 * or — given the epoch the node now tokenizes under — a current statement under an older epoch
 * that must be re-stated (docs/protocol.md §4.8; nothing of the outcome on its way).
 */
function needsAttestation(db: NodeDatabase, epoch: number | undefined) {
  const changed = needsNewRevision(db);
  return epoch === undefined ? changed : or(changed, needsRestating(db, epoch));
}

function needsRestating(db: NodeDatabase, epoch: number) {
  const current = alias(attestations, 'current');
  const underOlderEpoch = db
    .select({ one: sql`1` })
    .from(current)
    .where(and(eq(current.id, outcomes.currentAttestationId), lt(current.epoch, epoch)));
  const onItsWay = db
    .select({ one: sql`1` })
    .from(attestations)
    .where(
      and(
        eq(attestations.outcomeId, outcomes.id),
        inArray(attestations.delivery, ['pending', 'sent']),
      ),
    );
  return and(
    exists(underOlderEpoch),
    notInArray(outcomes.attestedStatus, [...TERMINAL_STATUSES]),
    notExists(onItsWay),
  );
}

function needsNewRevision(db: NodeDatabase) {
  const inFlight = db
    .select({ one: sql`1` })
    .from(attestations)
    .where(
      and(
        eq(attestations.outcomeId, outcomes.id),
        eq(attestations.outcomeRevision, outcomes.revision),
        inArray(attestations.delivery, ['pending', 'sent', 'accepted']),
      ),
    );
  return and(
    sql`${outcomes.attestedRevision} is distinct from ${outcomes.revision}`,
    or(
      isNotNull(outcomes.attestedRevision),
      notInArray(outcomes.status, [...SUPERSEDING_ONLY_STATUSES]),
    ),
    notExists(inFlight),
  );
}

export function outcomesRepository(db: NodeDatabase) {
  return {
    async insertMany(list: readonly NewOutcome[], now: Date): Promise<Outcome[]> {
      const out: Outcome[] = [];
      for (let i = 0; i < list.length; i += 500) {
        const part = list.slice(i, i + 500);
        try {
          const rows = await db
            .insert(outcomes)
            .values(part.map((o) => ({ ...o, revision: 1, createdAt: now, updatedAt: now })))
            .returning();
          out.push(...rows);
        } catch (e) {
          throw insertError(e, part.length === 1 ? `case ${part[0]!.localRef}` : 'batch');
        }
      }
      return out;
    },

    async insert(outcome: NewOutcome, now: Date): Promise<Outcome> {
      const [row] = await this.insertMany([outcome], now);
      return row!;
    },

    /** Sets the attested fields and bumps the revision: the outcome needs a new attestation. */
    async update(id: number, fields: OutcomeFields, now: Date): Promise<Outcome> {
      let row: Outcome | undefined;
      try {
        [row] = await db
          .update(outcomes)
          .set({ ...fields, revision: sql`${outcomes.revision} + 1`, updatedAt: now })
          .where(eq(outcomes.id, id))
          .returning();
      } catch (e) {
        throw insertError(e, `case ${fields.localRef}`);
      }
      if (row === undefined) throw new NodeError('OUTCOME_UNKNOWN', `no outcome ${id}`);
      return row;
    },

    async get(id: number): Promise<Outcome> {
      const [row] = await db.select().from(outcomes).where(eq(outcomes.id, id));
      if (row === undefined) throw new NodeError('OUTCOME_UNKNOWN', `no outcome ${id}`);
      return row;
    },

    /**
     * The current revision and current attestation of each outcome among `ids`, each row locked
     * FOR UPDATE until the transaction ends (run inside one): what the publisher re-checks
     * before recording.
     */
    async lockHeads(
      ids: readonly number[],
    ): Promise<Map<number, { revision: number; currentAttestationId: string | null }>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({
          id: outcomes.id,
          revision: outcomes.revision,
          currentAttestationId: outcomes.currentAttestationId,
        })
        .from(outcomes)
        .where(inArray(outcomes.id, [...ids]))
        .for('update');
      return new Map(rows.map(({ id, ...head }) => [id, head]));
    },

    async listByOfficer(officerId: number): Promise<Outcome[]> {
      return db
        .select()
        .from(outcomes)
        .where(eq(outcomes.officerId, officerId))
        .orderBy(asc(outcomes.id));
    },

    /** Every outcome of these officers, keyed by `caseKey(officerId, localRef)`. */
    async findByOfficers(officerIds: readonly number[]): Promise<Map<string, Outcome>> {
      const found = new Map<string, Outcome>();
      const ids = [...new Set(officerIds)];
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await db
          .select()
          .from(outcomes)
          .where(inArray(outcomes.officerId, ids.slice(i, i + 1000)));
        for (const r of rows) found.set(caseKey(r.officerId, r.localRef), r);
      }
      return found;
    },

    async count(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(outcomes);
      return row?.n ?? 0;
    },

    /**
     * Outcomes whose current revision has no accepted attestation and none on its way (pending
     * or sent), in id order. An outcome never attested whose status is overturned, retracted
     * or expired is left out: those statuses only supersede an earlier statement (§5.5.2), and
     * there is nothing to supersede — the hub never heard of it.
     *
     * With `epoch` (the one the node tokenizes under), also outcomes whose current statement is
     * under an older epoch and is not retracted or expired, with nothing on its way: they are
     * re-stated under `epoch` (§4.8).
     */
    async needingAttestation(page: {
      afterId?: number;
      limit: number;
      epoch?: number;
      /** Only outcomes whose status is one of these (the retention pass: `expired`). */
      statuses?: readonly AttestationStatus[];
    }): Promise<OutcomeToAttest[]> {
      const rows = await db
        .select({ outcome: outcomes, employeeId: officers.employeeId })
        .from(outcomes)
        .innerJoin(officers, eq(officers.id, outcomes.officerId))
        .where(
          and(
            gt(outcomes.id, page.afterId ?? 0),
            needsAttestation(db, page.epoch),
            page.statuses === undefined ? undefined : inArray(outcomes.status, [...page.statuses]),
          ),
        )
        .orderBy(asc(outcomes.id))
        .limit(page.limit);
      return rows;
    },

    /** How many outcomes `needingAttestation` would list now (a publish's progress total). */
    async countNeedingAttestation(epoch?: number): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(outcomes)
        .innerJoin(officers, eq(officers.id, outcomes.officerId))
        .where(needsAttestation(db, epoch));
      return row?.n ?? 0;
    },

    /**
     * Current statements of outcomes that are not retracted or expired, counted by epoch,
     * ascending: how far a re-statement under a new epoch has come (`spx node status`).
     */
    async currentByEpoch(): Promise<{ epoch: number; count: number }[]> {
      const rows = await db
        .select({ epoch: attestations.epoch, n: count() })
        .from(outcomes)
        .innerJoin(attestations, eq(attestations.id, outcomes.currentAttestationId))
        .where(notInArray(outcomes.attestedStatus, [...TERMINAL_STATUSES]))
        .groupBy(attestations.epoch)
        .orderBy(asc(attestations.epoch));
      return rows.map((r) => ({ epoch: r.epoch, count: r.n }));
    },

    /** Outcomes whose status is `status` (for status pages). */
    async countByStatus(status: AttestationStatus): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(outcomes)
        .where(eq(outcomes.status, status));
      return row?.n ?? 0;
    },

    /** Outcomes that have never been attested (for status pages). */
    async countNeverAttested(): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(outcomes)
        .where(isNull(outcomes.attestedRevision));
      return row?.n ?? 0;
    },
  };
}

export type OutcomesRepository = ReturnType<typeof outcomesRepository>;
