/**
 * The node console's users, sessions, sign-in failures and audit trail (docs/node.md
 * "Console"). Passwords are kept as Argon2id hashes (PHC strings); sessions by the SHA-256 of
 * their token, so a copy of this table opens no session. Nothing here names a candidate.
 */
import {
  bigserial,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { CONSOLE_AUDIT_ACTIONS, CONSOLE_ROLES } from '../console/roles.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const consoleRole = pgEnum('console_role', CONSOLE_ROLES);
export const consoleAuditAction = pgEnum('console_audit_action', CONSOLE_AUDIT_ACTIONS);

export const consoleUsers = pgTable('console_users', {
  id: uuid('id').primaryKey(),
  /** Lower-case login, unique; what checks and the audit trail name. */
  login: text('login').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: consoleRole('role').notNull(),
  /** Argon2id PHC string (`$argon2id$v=19$m=…`). */
  passwordHash: text('password_hash').notNull(),
  createdAt: stamp('created_at').notNull(),
  passwordChangedAt: stamp('password_changed_at').notNull(),
  /** Set: the user can no longer sign in, and every session of theirs is gone. */
  disabledAt: stamp('disabled_at'),
  lastSignInAt: stamp('last_sign_in_at'),
});

export const consoleSessions = pgTable(
  'console_sessions',
  {
    /** SHA-256 of the session token (hex): the token itself is only in the user's cookie. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => consoleUsers.id, { onDelete: 'cascade' }),
    createdAt: stamp('created_at').notNull(),
    lastSeenAt: stamp('last_seen_at').notNull(),
    /** createdAt + the absolute lifetime: no activity extends a session past it. */
    expiresAt: stamp('expires_at').notNull(),
  },
  (t) => [index('console_sessions_user_idx').on(t.userId)],
);

/**
 * Failed sign-ins, one row each, counted within the lock-out window per key: `user:<id>` for a
 * known login, `login:<sha256>` for an unknown one (the typed text is never stored),
 * `source:<address>` per client address.
 */
export const consoleSignInFailures = pgTable(
  'console_sign_in_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    at: stamp('at').notNull(),
  },
  (t) => [index('console_sign_in_failures_key_idx').on(t.key, t.at)],
);

/** Who did what from the console, and when: every check, sign-in and user change. */
export const consoleAudit = pgTable(
  'console_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: stamp('at').notNull(),
    /** The signed-in user's login; null for a failed sign-in of an unknown login. */
    login: text('login'),
    action: consoleAuditAction('action').notNull(),
    /** The node's check id, for check actions. */
    checkId: uuid('check_id'),
    /** The client's address as the node saw it (or as the trusted proxy gave it). */
    source: text('source'),
    /** Codes and counts only: never an identifier. */
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('console_audit_at_idx').on(t.at), index('console_audit_check_idx').on(t.checkId)],
);
