/**
 * Console sessions (docs/threat-model.md "Console sessions"): a 256-bit random token in an
 * HttpOnly, SameSite=Strict cookie (Secure, with the `__Host-` prefix, whenever the browser
 * reaches the node over TLS), kept server-side only as its SHA-256. A session ends after
 * `idleMs` without a request or `absoluteMs` after sign-in, whichever comes first, on sign-out,
 * and when its user is disabled or given a new password.
 *
 * CSRF: every form POST carries a synchroniser token, HMAC-SHA256 of the session token — known
 * to the page the node rendered, not to another site — checked in constant time, in addition to
 * hono's Origin / Sec-Fetch-Site check.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { consoleRepository, type ConsoleUser, type NodeDatabase } from '../store/index.js';

export interface SessionSettings {
  readonly idleMs: number;
  readonly absoluteMs: number;
  /** Browsers reach the console over TLS (the node's own, or a proxy's). */
  readonly secure: boolean;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  secure: false,
};

export interface ActiveSession {
  readonly user: ConsoleUser;
  readonly tokenHash: string;
  /** The form token of this session (`_csrf`). */
  readonly csrf: string;
}

const toBase64Url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const csrfFor = (token: string) =>
  createHmac('sha256', token).update('spx-console-csrf/v1').digest('base64url');

export function cookieName(settings: SessionSettings): string {
  return settings.secure ? '__Host-spx_console' : 'spx_console';
}

export interface SessionDeps {
  readonly db: NodeDatabase;
  readonly now: () => Date;
  readonly rng: (n: number) => Uint8Array;
  readonly settings: SessionSettings;
}

export async function startSession(deps: SessionDeps, c: Context, user: ConsoleUser) {
  const token = toBase64Url(deps.rng(32));
  const at = deps.now();
  const repo = consoleRepository(deps.db);
  // Sessions that ended without a sign-out go at the next sign-in: the table stays small.
  await repo.deleteExpiredSessions(at, new Date(at.getTime() - deps.settings.idleMs));
  await repo.createSession(
    {
      tokenHash: tokenHash(token),
      userId: user.id,
      expiresAt: new Date(at.getTime() + deps.settings.absoluteMs),
    },
    at,
  );
  setCookie(c, cookieName(deps.settings), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: deps.settings.secure,
    maxAge: Math.floor(deps.settings.absoluteMs / 1000),
  });
}

/** The request's live session, or undefined (no cookie, unknown, expired, user disabled). */
export async function currentSession(
  deps: SessionDeps,
  c: Context,
): Promise<ActiveSession | undefined> {
  const token = getCookie(c, cookieName(deps.settings));
  if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const hash = tokenHash(token);
  const repo = consoleRepository(deps.db);
  const found = await repo.session(hash);
  if (found === undefined) return undefined;
  const at = deps.now().getTime();
  const idle = at - found.session.lastSeenAt.getTime() >= deps.settings.idleMs;
  const over = at >= found.session.expiresAt.getTime();
  if (idle || over || found.user.disabledAt !== null) {
    await repo.deleteSession(hash);
    return undefined;
  }
  await repo.touchSession(hash, deps.now());
  return { user: found.user, tokenHash: hash, csrf: csrfFor(token) };
}

export async function endSession(deps: SessionDeps, c: Context, session: ActiveSession) {
  await consoleRepository(deps.db).deleteSession(session.tokenHash);
  deleteCookie(c, cookieName(deps.settings), { path: '/', secure: deps.settings.secure });
}

/** Constant-time comparison of the form's `_csrf` with the session's. */
export function csrfMatches(session: ActiveSession, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(session.csrf, 'utf8');
  const b = Buffer.from(sent, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
