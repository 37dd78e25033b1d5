/** Checks made by this node: the request's context, then the hub's signed answer or a failure. */
import { and, desc, eq, ilike, lt, or, type SQL } from 'drizzle-orm';
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
  /** The evidence bundle built when the answer was verified (checks.table.ts `evidence`). */
  readonly evidence?: unknown;
}

/** The console's search of past checks: newest first, a page at a time. */
export interface CheckSearch {
  /** Matched, case-insensitively, within consent reference, candidate reference or requester. */
  readonly text?: string | undefined;
  readonly verdict?: Verdict | undefined;
  /** Checks older than this one (the previous page's last): ids are UUIDv7, time-ordered. */
  readonly beforeId?: string | undefined;
  readonly limit: number;
}

/** `text` as a LIKE pattern matching it literally anywhere. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
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

    async search(q: CheckSearch): Promise<Check[]> {
      const conditions: (SQL | undefined)[] = [];
      if (q.text !== undefined && q.text !== '') {
        const pattern = containsPattern(q.text);
        conditions.push(
          or(
            ilike(checks.consentRef, pattern),
            ilike(checks.candidateRef, pattern),
            ilike(checks.requestedBy, pattern),
          ),
        );
      }
      if (q.verdict !== undefined) conditions.push(eq(checks.verdict, q.verdict));
      if (q.beforeId !== undefined) conditions.push(lt(checks.id, q.beforeId));
      return db
        .select()
        .from(checks)
        .where(and(...conditions))
        .orderBy(desc(checks.id))
        .limit(q.limit);
    },
  };
}

export type ChecksRepository = ReturnType<typeof checksRepository>;
