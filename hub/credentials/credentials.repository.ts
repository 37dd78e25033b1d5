/**
 * Storage of credentials, revocations and affirmations (credentials.table.ts). Each write runs
 * in one transaction with its log append; the unique indexes refuse a concurrent duplicate.
 */
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { HubDatabase } from '../database.js';
import { credentialingBodies } from './bodies.table.js';
import { credentialAffirmations, credentialRevocations, credentials } from './credentials.table.js';

export type StoredCredential = typeof credentials.$inferSelect;
export type StoredRevocation = typeof credentialRevocations.$inferSelect;
export type StoredAffirmation = typeof credentialAffirmations.$inferSelect;

type InLog = (tx: HubDatabase) => Promise<number>;

export function credentialsRepository(db: HubDatabase) {
  return {
    async findCredential(id: string): Promise<StoredCredential | undefined> {
      return (await db.select().from(credentials).where(eq(credentials.id, id)))[0];
    },
    async findRevocation(id: string): Promise<StoredRevocation | undefined> {
      const rows = await db
        .select()
        .from(credentialRevocations)
        .where(eq(credentialRevocations.id, id));
      return rows[0];
    },
    async revocationOf(credential: string): Promise<StoredRevocation | undefined> {
      const rows = await db
        .select()
        .from(credentialRevocations)
        .where(eq(credentialRevocations.credential, credential));
      return rows[0];
    },
    async findAffirmation(id: string): Promise<StoredAffirmation | undefined> {
      const rows = await db
        .select()
        .from(credentialAffirmations)
        .where(eq(credentialAffirmations.id, id));
      return rows[0];
    },
    async sameAssessment(
      body: string,
      ori: string,
      assessedOn: string,
    ): Promise<StoredCredential | undefined> {
      const rows = await db
        .select()
        .from(credentials)
        .where(
          and(
            eq(credentials.body, body),
            eq(credentials.ori, ori),
            eq(credentials.assessedOn, assessedOn),
          ),
        );
      return rows[0];
    },
    async sameAffirmationDay(ori: string, day: string): Promise<StoredAffirmation | undefined> {
      const rows = await db
        .select()
        .from(credentialAffirmations)
        .where(
          and(eq(credentialAffirmations.ori, ori), eq(credentialAffirmations.affirmedOn, day)),
        );
      return rows[0];
    },

    async storeCredential(row: Omit<StoredCredential, 'logIndex'>, inLog: InLog): Promise<void> {
      await db.transaction(async (tx) => {
        const logIndex = await inLog(tx);
        await tx.insert(credentials).values({ ...row, logIndex });
      });
    },
    async storeRevocation(row: Omit<StoredRevocation, 'logIndex'>, inLog: InLog): Promise<void> {
      await db.transaction(async (tx) => {
        const logIndex = await inLog(tx);
        await tx.insert(credentialRevocations).values({ ...row, logIndex });
      });
    },
    async storeAffirmation(row: Omit<StoredAffirmation, 'logIndex'>, inLog: InLog): Promise<void> {
      await db.transaction(async (tx) => {
        const logIndex = await inLog(tx);
        await tx.insert(credentialAffirmations).values({ ...row, logIndex });
      });
    },

    /** Credentials (with their revocation), filtered, newest assessment first. */
    async listCredentials(
      filter: { ori?: string; body?: string; oris?: readonly string[] },
      limit?: number,
    ): Promise<{ credential: StoredCredential; revocation: StoredRevocation | null }[]> {
      const where: SQL[] = [];
      if (filter.ori !== undefined) where.push(eq(credentials.ori, filter.ori));
      if (filter.body !== undefined) where.push(eq(credentials.body, filter.body));
      if (filter.oris !== undefined) {
        if (filter.oris.length === 0) return [];
        where.push(inArray(credentials.ori, [...filter.oris]));
      }
      const q = db
        .select({ credential: credentials, revocation: credentialRevocations })
        .from(credentials)
        .leftJoin(credentialRevocations, eq(credentialRevocations.credential, credentials.id))
        .where(and(...where))
        .orderBy(desc(credentials.assessedOn), desc(credentials.id));
      return limit === undefined ? q : q.limit(limit);
    },

    /** Affirmations, filtered, newest first. */
    async listAffirmations(
      filter: { ori?: string; oris?: readonly string[] },
      limit?: number,
    ): Promise<StoredAffirmation[]> {
      const where: SQL[] = [];
      if (filter.ori !== undefined) where.push(eq(credentialAffirmations.ori, filter.ori));
      if (filter.oris !== undefined) {
        if (filter.oris.length === 0) return [];
        where.push(inArray(credentialAffirmations.ori, [...filter.oris]));
      }
      const q = db
        .select()
        .from(credentialAffirmations)
        .where(and(...where))
        .orderBy(desc(credentialAffirmations.affirmedOn), desc(credentialAffirmations.id));
      return limit === undefined ? q : q.limit(limit);
    },

    /** Every body's status and since when (for the standing). */
    async bodyStates(): Promise<{ id: string; status: string; statusSince: Date }[]> {
      return db
        .select({
          id: credentialingBodies.id,
          status: credentialingBodies.status,
          statusSince: credentialingBodies.statusSince,
        })
        .from(credentialingBodies);
    },
  };
}
