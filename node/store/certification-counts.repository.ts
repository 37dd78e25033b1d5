/**
 * What a period certification counts (node/certify, docs/node.md "Certifications"): the
 * statements signed around a period, and the roster's sworn officers on a day.
 */
import { and, count, gt, gte, isNull, lt, lte, ne, or } from 'drizzle-orm';
import { attestations } from './attestations.table.js';
import type { NodeDatabase } from './database.js';
import { officers } from './officers.table.js';

export function certificationCountsRepository(db: NodeDatabase) {
  return {
    /** Statements not refused by the hub, signed (createdAt) in [from, to), with their JWS. */
    async statementsCreatedBetween(
      from: Date,
      to: Date,
    ): Promise<{ jws: string; delivery: string }[]> {
      return db
        .select({ jws: attestations.jws, delivery: attestations.delivery })
        .from(attestations)
        .where(
          and(
            ne(attestations.delivery, 'rejected'),
            gte(attestations.createdAt, from),
            lt(attestations.createdAt, to),
          ),
        );
    },

    /** Officers hired on or before `day` (or undated) and not separated by then. */
    async swornOn(day: string): Promise<number> {
      const rows = await db
        .select({ n: count() })
        .from(officers)
        .where(
          and(
            or(isNull(officers.hireDate), lte(officers.hireDate, day)),
            or(isNull(officers.separationDate), gt(officers.separationDate, day)),
          ),
        );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
