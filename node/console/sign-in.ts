/**
 * Signing in to the console (docs/node.md "Console", docs/threat-model.md "Console sessions").
 *
 * Lock-out: failures are counted over a sliding window (LOCKOUT.windowMs) per user and per
 * client address. A user with `perUser` failures in the window, or an address with
 * `perSource`, is refused without the password being looked at until the oldest failure
 * leaves the window; a success clears the user's count. An unknown login is counted under the
 * hash of what was typed (never the text: a login field can receive anything) and refused
 * after the same work as a wrong password, so neither the answer nor its timing says whether
 * a login exists.
 */
import { createHash } from 'node:crypto';
import { consoleRepository, type ConsoleUser, type NodeDatabase } from '../store/index.js';
import { decoyHash, MAX_PASSWORD_LENGTH, type PasswordHasher } from './password.js';

export const LOCKOUT = {
  windowMs: 15 * 60_000,
  perUser: 5,
  perSource: 20,
} as const;

export type LockoutPolicy = typeof LOCKOUT;

export const userFailureKey = (userId: string) => `user:${userId}`;
const loginFailureKey = (login: string) =>
  `login:${createHash('sha256').update(login, 'utf8').digest('hex')}`;
const sourceFailureKey = (source: string) => `source:${source}`;

export interface SignInDeps {
  readonly db: NodeDatabase;
  readonly hasher: PasswordHasher;
  readonly now: () => Date;
  readonly lockout?: LockoutPolicy;
}

export type SignInResult =
  | { readonly ok: true; readonly user: ConsoleUser }
  | { readonly ok: false; readonly reason: 'invalid' | 'locked'; readonly login: string | null };

export async function signIn(
  deps: SignInDeps,
  input: { login: string; password: string; source: string },
): Promise<SignInResult> {
  const policy = deps.lockout ?? LOCKOUT;
  const repo = consoleRepository(deps.db);
  const at = deps.now();
  const since = new Date(at.getTime() - policy.windowMs);
  await repo.pruneFailures(since);
  const login = input.login.trim().toLowerCase();
  const user = login === '' ? undefined : await repo.userByLogin(login);
  const userKey = user ? userFailureKey(user.id) : loginFailureKey(login);
  const sourceKey = sourceFailureKey(input.source);
  const known = user?.login ?? null;
  if (
    (await repo.countFailures(userKey, since)) >= policy.perUser ||
    (await repo.countFailures(sourceKey, since)) >= policy.perSource
  ) {
    return { ok: false, reason: 'locked', login: known };
  }
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH + 1);
  const good =
    user !== undefined && user.disabledAt === null
      ? await deps.hasher.verify(user.passwordHash, password)
      : (await deps.hasher.verify(await decoyHash(deps.hasher), password), false);
  if (!good || user === undefined) {
    await repo.recordFailure([userKey, sourceKey], at);
    return { ok: false, reason: 'invalid', login: known };
  }
  await repo.clearFailures(userKey);
  await repo.recordSignIn(user.id, at);
  return { ok: true, user };
}
