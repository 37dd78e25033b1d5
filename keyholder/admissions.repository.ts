/**
 * The keyholder operator's admissions (schema.ts `admissions`, docs/keyholder.md "Admission"):
 * which agency keys may ask this keyholder to evaluate. Each change is written with its event in
 * one transaction, so the record of admissions never disagrees with the list in force.
 */
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { KeyholderDatabase } from './key-repository.js';
import { admissionEvents, admissions } from './schema.js';

export interface Admission {
  readonly ori: string;
  readonly kid: string;
  readonly admittedAt: Date;
  readonly revokedAt: Date | null;
  readonly note: string | null;
}

export interface AdmissionEvent {
  readonly seq: number;
  readonly at: Date;
  readonly action: 'admit' | 'revoke';
  readonly ori: string;
  readonly kid: string;
  readonly note: string | null;
}

export function admissionsRepository(db: KeyholderDatabase) {
  return {
    /** Whether `kid` of agency `ori` is admitted and not revoked: the evaluation gate. */
    async isAdmitted(ori: string, kid: string): Promise<boolean> {
      const [row] = await db
        .select({ kid: admissions.kid })
        .from(admissions)
        .where(
          and(eq(admissions.agencyOri, ori), eq(admissions.kid, kid), isNull(admissions.revokedAt)),
        );
      return row !== undefined;
    },

    /**
     * Admits `kid` for `ori` (again, if it was revoked). Returns false, recording nothing, when
     * it is already admitted.
     */
    async admit(ori: string, kid: string, at: Date, note: string | null): Promise<boolean> {
      return db.transaction(async (tx) => {
        const changed = await tx
          .insert(admissions)
          .values({ agencyOri: ori, kid, admittedAt: at, revokedAt: null, note })
          .onConflictDoUpdate({
            target: [admissions.agencyOri, admissions.kid],
            set: { admittedAt: at, revokedAt: null, note },
            // Only a revoked admission is renewed: one in force stays as it is, and no row comes
            // back, so nothing is recorded twice.
            setWhere: isNotNull(admissions.revokedAt),
          })
          .returning({ kid: admissions.kid });
        if (changed.length === 0) return false;
        await tx.insert(admissionEvents).values({ at, action: 'admit', agencyOri: ori, kid, note });
        return true;
      });
    },

    /**
     * Revokes `ori`'s admitted keys — one `kid`, or every key of the agency. Returns the kids
     * revoked now (none when nothing was in force).
     */
    async revoke(ori: string, kid: string | undefined, at: Date, note: string | null) {
      return db.transaction(async (tx) => {
        const revoked = await tx
          .update(admissions)
          .set({ revokedAt: at })
          .where(
            and(
              eq(admissions.agencyOri, ori),
              isNull(admissions.revokedAt),
              ...(kid === undefined ? [] : [eq(admissions.kid, kid)]),
            ),
          )
          .returning({ kid: admissions.kid });
        for (const r of revoked) {
          await tx
            .insert(admissionEvents)
            .values({ at, action: 'revoke', agencyOri: ori, kid: r.kid, note });
        }
        return revoked.map((r) => r.kid);
      });
    },

    /** Every admission, in force or revoked, by agency then key. */
    async list(): Promise<Admission[]> {
      const rows = await db
        .select()
        .from(admissions)
        .orderBy(asc(admissions.agencyOri), asc(admissions.kid));
      return rows.map((r) => ({
        ori: r.agencyOri,
        kid: r.kid,
        admittedAt: r.admittedAt,
        revokedAt: r.revokedAt,
        note: r.note,
      }));
    },

    /** The record of changes, oldest first. */
    async events(): Promise<AdmissionEvent[]> {
      const rows = await db.select().from(admissionEvents).orderBy(asc(admissionEvents.seq));
      return rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        action: r.action as AdmissionEvent['action'],
        ori: r.agencyOri,
        kid: r.kid,
        note: r.note,
      }));
    },
  };
}
