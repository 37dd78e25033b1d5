/**
 * Console users (docs/node.md "Console"): added, listed, disabled and given a new password by
 * the agency's administrator through the admin API (`spx node user …`). A new password ends
 * the user's sessions and clears their sign-in failures.
 */
import { z } from 'zod';
import { newStatementId } from '../../protocol/statement-id.js';
import { NodeError } from '../errors.js';
import { consoleRepository, type ConsoleUser, type NodeDatabase } from '../store/index.js';
import type { PasswordHasher } from './password.js';
import { CONSOLE_ROLES, type ConsoleRole } from './roles.js';
import { userFailureKey } from './sign-in.js';

/** Lower-case letters, digits, `.`, `_`, `-`, starting with a letter: 2 to 64 characters. */
export const LoginSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9._-]{1,63}$/,
    'must be 2 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter',
  );
export const DisplayNameSchema = z.string().trim().min(1).max(100);
export const RoleSchema = z.enum(CONSOLE_ROLES);

export interface UserDeps {
  readonly db: NodeDatabase;
  readonly hasher: PasswordHasher;
  readonly now: () => Date;
  readonly rng: (n: number) => Uint8Array;
}

export interface UserView {
  readonly login: string;
  readonly displayName: string;
  readonly role: ConsoleRole;
  readonly createdAt: string;
  readonly disabledAt: string | null;
  readonly lastSignInAt: string | null;
}

export function userView(u: ConsoleUser): UserView {
  return {
    login: u.login,
    displayName: u.displayName,
    role: u.role,
    createdAt: u.createdAt.toISOString(),
    disabledAt: u.disabledAt?.toISOString() ?? null,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  };
}

export async function addUser(
  deps: UserDeps,
  input: { login: string; displayName: string; role: ConsoleRole; password: string },
): Promise<UserView> {
  const at = deps.now();
  const user = await consoleRepository(deps.db).addUser(
    {
      id: newStatementId(at.getTime(), deps.rng),
      login: input.login,
      displayName: input.displayName,
      role: input.role,
      passwordHash: await deps.hasher.hash(input.password),
    },
    at,
  );
  return userView(user);
}

export async function disableUser(deps: UserDeps, login: string): Promise<UserView> {
  const user = await consoleRepository(deps.db).disableUser(login, deps.now());
  if (user === undefined)
    throw new NodeError('USER_UNKNOWN', `no user ${login}`, { field: 'login' });
  return userView(user);
}

export async function resetPassword(
  deps: UserDeps,
  login: string,
  password: string,
): Promise<UserView> {
  const repo = consoleRepository(deps.db);
  const user = await repo.setPassword(login, await deps.hasher.hash(password), deps.now());
  if (user === undefined)
    throw new NodeError('USER_UNKNOWN', `no user ${login}`, { field: 'login' });
  await repo.clearFailures(userFailureKey(user.id));
  return userView(user);
}
