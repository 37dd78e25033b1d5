/** Checks made by this node: the request's context, then the hub's signed answer or a failure. */
import { desc, eq, lt } from 'drizzle-orm';
import type { CheckPurpose } from '../../protocol/check-request.js';
import type { Verdict } from '../../protocol/check-verdict.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import { NodeError } from '../errors.js';
import { checks } from './checks.table.js';
import type { NodeDatabase } from './database.js';

export type Check = typeof checks.$inferSelect;

export interface NewCheck {
  readonly id: string;
  readonly purpose: CheckPurpose;
  readonly consentRef: string;
  readonly candidateRef: string | null;
  readonly requestedBy: string;
}

export interface CheckAnswer {
  readonly hubCheckId: string;
  /** The hub's signed response, exactly as received (it goes into the hiring file). */
  readonly responseJws: string;
  readonly verdict: Verdict;
  readonly matchCount: number;
  /** The whole answer as received, log evidence included (checks.table.ts `answer`). */
  readonly answer?: unknown;
}

export function checksRepository(db: NodeDatabase) {
  async function finish(id: string, values: Partial<Check>): Promise<Check> {
    const [row] = await db.update(checks).set(values).where(eq(checks.id, id)).returning();
    if (row === undefined) throw new NodeError('CHECK_UNKNOWN', `no check ${id}`);
    return row;
  }

  return {
    /** Records a check before it is sent, so a crash mid-check still leaves a trace. */
    async create(check: NewCheck, now: Date): Promise<Check> {
      try {
        const [row] = await db
          .insert(checks)
          .values({ ...check, state: 'pending', createdAt: now })
          .returning();
        return row!;
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new NodeError('CHECK_EXISTS', `check ${check.id} exists`, {
            field: 'id',
            cause: e,
          });
        }
        throw e;
      }
    },

    async recordAnswer(id: string, answer: CheckAnswer, now: Date): Promise<Check> {
      return finish(id, { ...answer, state: 'answered', errorCode: null, answeredAt: now });
    },

    async recordFailure(id: string, errorCode: string, now: Date): Promise<Check> {
      return finish(id, { state: 'failed', errorCode, answeredAt: now });
    },

    async get(id: string): Promise<Check> {
      const [row] = await db.select().from(checks).where(eq(checks.id, id));
      if (row === undefined) throw new NodeError('CHECK_UNKNOWN', `no check ${id}`);
      return row;
    },

    /** Newest first; `before` pages backwards by creation time. */
    async list(page: { before?: Date; limit: number }): Promise<Check[]> {
      return db
        .select()
        .from(checks)
        .where(page.before === undefined ? undefined : lt(checks.createdAt, page.before))
        .orderBy(desc(checks.createdAt), desc(checks.id))
        .limit(page.limit);
    },
  };
}

export type ChecksRepository = ReturnType<typeof checksRepository>;
