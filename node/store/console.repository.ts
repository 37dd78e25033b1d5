/**
 * The console's users, sessions, sign-in failures and audit trail (console.table.ts). Sessions
 * are looked up by the hash of their token; expiry is decided by the caller's clock.
 */
import { and, count, desc, eq, gt, lt, lte } from 'drizzle-orm';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { ConsoleAuditAction, ConsoleRole } from '../console/roles.js';
import { NodeError } from '../errors.js';
import {
  consoleAudit,
  consoleSessions,
  consoleSignInFailures,
  consoleUsers,
} from './console.table.js';
import type { NodeDatabase } from './database.js';

export type ConsoleUser = typeof consoleUsers.$inferSelect;
export type ConsoleAuditEvent = typeof consoleAudit.$inferSelect;

export interface NewConsoleUser {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  readonly role: ConsoleRole;
  readonly passwordHash: string;
}

export interface NewAuditEvent {
  readonly login: string | null;
  readonly action: ConsoleAuditAction;
  readonly checkId?: string | null;
  readonly source?: string | null;
  readonly detail?: Record<string, unknown> | null;
}

export function consoleRepository(db: NodeDatabase) {
  return {
    async addUser(user: NewConsoleUser, now: Date): Promise<ConsoleUser> {
      try {
        const [row] = await db
          .insert(consoleUsers)
          .values({ ...user, createdAt: now, passwordChangedAt: now })
          .returning();
        return row!;
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new NodeError('USER_EXISTS', `a user ${user.login} exists`, {
            field: 'login',
            cause: e,
          });
        }
        throw e;
      }
    },

    async userByLogin(login: string): Promise<ConsoleUser | undefined> {
      const [row] = await db.select().from(consoleUsers).where(eq(consoleUsers.login, login));
      return row;
    },

    async listUsers(): Promise<ConsoleUser[]> {
      return db.select().from(consoleUsers).orderBy(consoleUsers.login).limit(1000);
    },

    /** Disables the user and ends every session of theirs (one transaction). */
    async disableUser(login: string, now: Date): Promise<ConsoleUser | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(consoleUsers)
          .set({ disabledAt: now })
          .where(eq(consoleUsers.login, login))
          .returning();
        if (row !== undefined) {
          await tx.delete(consoleSessions).where(eq(consoleSessions.userId, row.id));
        }
        return row;
      });
    },

    /** A new password ends every session of the user's. */
    async setPassword(
      login: string,
      passwordHash: string,
      now: Date,
    ): Promise<ConsoleUser | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(consoleUsers)
          .set({ passwordHash, passwordChangedAt: now })
          .where(eq(consoleUsers.login, login))
          .returning();
        if (row !== undefined) {
          await tx.delete(consoleSessions).where(eq(consoleSessions.userId, row.id));
        }
        return row;
      });
    },

    async recordSignIn(userId: string, now: Date): Promise<void> {
      await db.update(consoleUsers).set({ lastSignInAt: now }).where(eq(consoleUsers.id, userId));
    },

    async createSession(
      s: { tokenHash: string; userId: string; expiresAt: Date },
      now: Date,
    ): Promise<void> {
      await db.insert(consoleSessions).values({ ...s, createdAt: now, lastSeenAt: now });
    },

    /** The session and its user, whatever their state: the caller decides expiry. */
    async session(tokenHash: string) {
      const [row] = await db
        .select({ session: consoleSessions, user: consoleUsers })
        .from(consoleSessions)
        .innerJoin(consoleUsers, eq(consoleSessions.userId, consoleUsers.id))
        .where(eq(consoleSessions.tokenHash, tokenHash));
      return row;
    },

    async touchSession(tokenHash: string, now: Date): Promise<void> {
      await db
        .update(consoleSessions)
        .set({ lastSeenAt: now })
        .where(eq(consoleSessions.tokenHash, tokenHash));
    },

    async deleteSession(tokenHash: string): Promise<void> {
      await db.delete(consoleSessions).where(eq(consoleSessions.tokenHash, tokenHash));
    },

    /** Sessions past their absolute expiry or idle since before `idleBefore`. */
    async deleteExpiredSessions(now: Date, idleBefore: Date): Promise<void> {
      await db.delete(consoleSessions).where(lte(consoleSessions.expiresAt, now));
      await db.delete(consoleSessions).where(lt(consoleSessions.lastSeenAt, idleBefore));
    },

    async recordFailure(keys: readonly string[], now: Date): Promise<void> {
      await db.insert(consoleSignInFailures).values(keys.map((key) => ({ key, at: now })));
    },

    /** Failures of `key` after `since`. */
    async countFailures(key: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(consoleSignInFailures)
        .where(and(eq(consoleSignInFailures.key, key), gt(consoleSignInFailures.at, since)));
      return row?.n ?? 0;
    },

    async clearFailures(key: string): Promise<void> {
      await db.delete(consoleSignInFailures).where(eq(consoleSignInFailures.key, key));
    },

    /** Failures older than the window count for nothing: dropped. */
    async pruneFailures(before: Date): Promise<void> {
      await db.delete(consoleSignInFailures).where(lte(consoleSignInFailures.at, before));
    },

    async audit(event: NewAuditEvent, now: Date): Promise<void> {
      await db.insert(consoleAudit).values({
        at: now,
        login: event.login,
        action: event.action,
        checkId: event.checkId ?? null,
        source: event.source ?? null,
        detail: event.detail ?? null,
      });
    },

    /** Newest first, bounded; `beforeId` pages backwards. */
    async auditEvents(page: { beforeId?: number; limit: number }): Promise<ConsoleAuditEvent[]> {
      return db
        .select()
        .from(consoleAudit)
        .where(page.beforeId === undefined ? undefined : lt(consoleAudit.id, page.beforeId))
        .orderBy(desc(consoleAudit.id))
        .limit(page.limit);
    },
  };
}

export type ConsoleRepository = ReturnType<typeof consoleRepository>;
