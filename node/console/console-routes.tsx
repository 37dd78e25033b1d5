/**
 * The node console (docs/node.md "Console"): server-rendered pages under /console for the
 * agency's named users, beside the admin-token API under /v1.
 *
 *   GET  /console                      → the signed-in user's first page, or sign-in
 *   GET  /console/sign-in, POST        sign in (lock-out: sign-in.ts)
 *   POST /console/sign-out
 *   GET  /console/checks/new           investigator: the candidate form
 *   POST /console/checks               run the check (node/check/run-check.ts) → 303 result
 *   GET  /console/checks               investigator: past checks, searchable, paged
 *   GET  /console/checks/:id           the result, from the stored evidence, verified again
 *   GET  /console/checks/:id/print     the printable verified result for the hiring file
 *   GET  /console/checks/:id/evidence.json   the evidence bundle
 *   GET  /console/admin/users, /console/admin/audit   administrator
 *
 * The investigator's pages are check-routes.tsx and batch-routes.tsx; the records officer's,
 * records-routes.tsx.
 *
 * Every POST passes hono's Origin / Sec-Fetch-Site check and carries the session's synchroniser
 * token (session.ts). Every check, sign-in and download is written to the console audit trail
 * under the signed-in user's login. Form bodies hold candidates' identifiers: they are never
 * logged (the app logs route patterns, statuses and durations only), and the audit holds codes,
 * field names and counts.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { consoleRepository } from '../store/index.js';
import type { NodeAppDeps } from '../service/app.js';
import { argon2Hasher, type PasswordHasher } from './password.js';
import type { ConsoleAuditAction, ConsoleRole } from './roles.js';
import {
  csrfMatches,
  currentSession,
  DEFAULT_SESSION_SETTINGS,
  endSession,
  startSession,
  type ActiveSession,
  type SessionSettings,
} from './session.js';
import { LOCKOUT, signIn, type LockoutPolicy } from './sign-in.js';
import { userView } from './users.js';
import { AuditPage, MessagePage, UsersPage } from './pages/lists.js';
import { registerCheckPages } from './check-routes.js';
import { SignInPage } from './pages/sign-in.js';
import { registerBatchRoutes } from './batch-routes.js';
import { MAX_CONSOLE_IMPORT_BYTES, registerRecordsRoutes } from './records-routes.js';
import type { NodePublisher } from '../service/publish-route.js';

/** The node app's dependencies, with the publisher the API's route uses too. */
export type ConsoleDeps = NodeAppDeps & { readonly publisher: NodePublisher };
import { MAX_BATCH_BYTES } from './batch.js';

/** What the console's route files share (batch-routes.tsx). */
export interface ConsoleContext {
  guard(
    c: Context,
    roles: readonly ConsoleRole[],
  ): Promise<{ session: ActiveSession } | { response: Response }>;
  formOf(c: Context, session: ActiveSession): Promise<Record<string, unknown> | undefined>;
  /** The client's address as the audit records it. */
  clientAddress(c: Context): string;
  csrfRefused(c: Context, session: ActiveSession): Response | Promise<Response>;
  html(c: Context, page: JSX.Element, status?: number): Response | Promise<Response>;
  message(
    c: Context,
    status: number,
    title: string,
    text: string,
    session?: ActiveSession,
  ): Response | Promise<Response>;
  audit(
    c: Context,
    login: string | null,
    action: ConsoleAuditAction,
    /** `source`: the client address, when the request's connection may be gone (a batch). */
    extra?: { checkId?: string; detail?: Record<string, unknown>; source?: string },
  ): Promise<void>;
}

export interface ConsoleOptions {
  readonly session: SessionSettings;
  /** The origin browsers use (behind a proxy: the proxy's); form POSTs from it are accepted. */
  readonly publicOrigin?: string | undefined;
  /** Behind a reverse proxy: the client address is the last X-Forwarded-For entry. */
  readonly behindProxy: boolean;
  readonly hasher?: PasswordHasher;
  readonly lockout?: LockoutPolicy;
  /** The client's address (default: the socket's, or the proxy's header behind a proxy). */
  readonly clientAddress?: (c: Context) => string;
}

export const DEFAULT_CONSOLE_OPTIONS: ConsoleOptions = {
  session: DEFAULT_SESSION_SETTINGS,
  behindProxy: false,
};

/** The form bodies the console takes: a candidate form is well under 8 KiB. */
const MAX_FORM_BYTES = 32 * 1024;

function defaultClientAddress(behindProxy: boolean) {
  return (c: Context): string => {
    if (behindProxy) {
      const forwarded = c.req.header('x-forwarded-for');
      const last = forwarded?.split(',').pop()?.trim();
      if (last) return last.slice(0, 64);
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
}

const html = (c: Context, page: JSX.Element, status = 200) =>
  c.html(page, status as 200, {
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });

/** Where each role lands after signing in. */
const HOME: Readonly<Record<ConsoleRole, string>> = {
  investigator: '/console/checks/new',
  records_officer: '/console/records',
  administrator: '/console/admin/users',
};

export function registerConsole(app: Hono, deps: ConsoleDeps, options: ConsoleOptions): void {
  const { db, now, ori } = deps;
  const hasher = options.hasher ?? argon2Hasher;
  const sessionDeps = { db, now, rng: deps.rng, settings: options.session };
  const clientAddress = options.clientAddress ?? defaultClientAddress(options.behindProxy);
  const repo = consoleRepository(db);
  const audit = (
    c: Context,
    login: string | null,
    action: ConsoleAuditAction,
    extra: { checkId?: string; detail?: Record<string, unknown>; source?: string } = {},
  ) => repo.audit({ login, action, ...extra, source: extra.source ?? clientAddress(c) }, now());

  app.use(
    '/console/*',
    csrf({
      origin: (origin, c) =>
        origin === new URL(c.req.url).origin || origin === options.publicOrigin,
    }),
  );
  const formLimit = bodyLimit({ maxSize: MAX_FORM_BYTES });
  // A batch's CSV, with the multipart framing around it.
  const uploadLimit = bodyLimit({ maxSize: MAX_BATCH_BYTES + 16 * 1024 });
  const importLimit = bodyLimit({ maxSize: MAX_CONSOLE_IMPORT_BYTES + 16 * 1024 });
  app.use('/console/*', (c, next) =>
    c.req.path === '/console/batches'
      ? uploadLimit(c, next)
      : c.req.path === '/console/records/import'
        ? importLimit(c, next)
        : formLimit(c, next),
  );
  app.use('/console/*', async (c, next) => {
    await next();
    c.res.headers.set('x-frame-options', 'DENY');
    c.res.headers.set('referrer-policy', 'no-referrer');
  });

  const message = (c: Context, status: number, title: string, text: string, s?: ActiveSession) =>
    html(
      c,
      <MessagePage ori={ori} title={title} message={text} user={s?.user} csrf={s?.csrf} />,
      status,
    );

  /** The session if its user has one of `roles`; else the answer to send instead. */
  async function guard(
    c: Context,
    roles: readonly ConsoleRole[],
  ): Promise<{ session: ActiveSession } | { response: Response }> {
    const session = await currentSession(sessionDeps, c);
    if (session === undefined) return { response: c.redirect('/console/sign-in', 303) };
    if (!roles.includes(session.user.role)) {
      return {
        response: await message(
          c,
          403,
          'Not allowed',
          'Your role does not give access to this page.',
          session,
        ),
      };
    }
    return { session };
  }

  /** A form POST's body, or the refusal of a missing or wrong synchroniser token. */
  async function formOf(c: Context, session: ActiveSession) {
    const body = await c.req.parseBody();
    if (!csrfMatches(session, body['_csrf'])) return undefined;
    return body as Record<string, unknown>;
  }
  const csrfRefused = (c: Context, s: ActiveSession) =>
    message(
      c,
      403,
      'Form expired',
      'The form had expired or did not come from this console; reload the page and try again.',
      s,
    );

  app.get('/console', async (c) => {
    const session = await currentSession(sessionDeps, c);
    return c.redirect(session ? HOME[session.user.role] : '/console/sign-in', 303);
  });

  app.get('/console/sign-in', (c) => html(c, <SignInPage ori={ori} />));

  app.post('/console/sign-in', async (c) => {
    const body = await c.req.parseBody();
    const login = typeof body['login'] === 'string' ? body['login'].slice(0, 200) : '';
    const password = typeof body['password'] === 'string' ? body['password'] : '';
    const result = await signIn(
      { db, hasher, now, lockout: options.lockout ?? LOCKOUT },
      { login, password, source: clientAddress(c) },
    );
    if (!result.ok) {
      await audit(
        c,
        result.login,
        result.reason === 'locked' ? 'sign_in_locked' : 'sign_in_failed',
      );
      const error =
        result.reason === 'locked'
          ? 'Too many failed sign-ins: signing in is locked for 15 minutes. An administrator can set a new password.'
          : 'Login or password not recognised.';
      const known = /^[a-z][a-z0-9._-]{1,63}$/.test(login.trim().toLowerCase()) ? login.trim() : '';
      return html(
        c,
        <SignInPage ori={ori} error={error} login={known} />,
        result.reason === 'locked' ? 429 : 401,
      );
    }
    await startSession(sessionDeps, c, result.user);
    await audit(c, result.user.login, 'sign_in');
    return c.redirect(HOME[result.user.role], 303);
  });

  app.post('/console/sign-out', async (c) => {
    const session = await currentSession(sessionDeps, c);
    if (session === undefined) return c.redirect('/console/sign-in', 303);
    if ((await formOf(c, session)) === undefined) return csrfRefused(c, session);
    await endSession(sessionDeps, c, session);
    await audit(c, session.user.login, 'sign_out');
    return c.redirect('/console/sign-in', 303);
  });

  const ctx: ConsoleContext = {
    guard,
    formOf,
    clientAddress,
    csrfRefused,
    html,
    message,
    audit,
  };
  registerCheckPages(app, deps, ctx);

  const ADMIN = ['administrator'] as const;
  app.get('/console/admin/users', async (c) => {
    const g = await guard(c, ADMIN);
    if ('response' in g) return g.response;
    const users = (await repo.listUsers()).map(userView);
    return html(
      c,
      <UsersPage ori={ori} user={g.session.user} csrf={g.session.csrf} users={users} />,
    );
  });
  app.get('/console/admin/audit', async (c) => {
    const g = await guard(c, ADMIN);
    if ('response' in g) return g.response;
    const events = await repo.auditEvents({ limit: 200 });
    return html(
      c,
      <AuditPage ori={ori} user={g.session.user} csrf={g.session.csrf} events={events} />,
    );
  });

  registerBatchRoutes(app, deps, ctx);

  registerRecordsRoutes(app, deps, ctx);
}
