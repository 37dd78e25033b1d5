/**
 * The console's users through the admin API (`spx node user …`, docs/node.md "Console"):
 *
 *   GET  /v1/users                         { users: [UserView] }
 *   POST /v1/users                         { login, displayName, role, password } → 201 UserView
 *   POST /v1/users/{login}/disable         → UserView (its sessions end)
 *   POST /v1/users/{login}/password        { password } → UserView (its sessions end)
 *
 * The password travels in the body, never in a URL or a command-line flag, and is never
 * echoed or logged.
 */
import { z } from 'zod';
import { PasswordSchema } from '../console/password.js';
import { CONSOLE_ROLES } from '../console/roles.js';
import { DisplayNameSchema, LoginSchema, RoleSchema } from '../console/users.js';

export const NewUserBodySchema = z.strictObject({
  login: LoginSchema,
  displayName: DisplayNameSchema,
  role: RoleSchema,
  password: PasswordSchema,
});
export type NewUserBody = z.infer<typeof NewUserBodySchema>;

export const PasswordBodySchema = z.strictObject({ password: PasswordSchema });

export const UserViewSchema = z.object({
  login: z.string().max(64),
  displayName: z.string().max(100),
  role: z.enum(CONSOLE_ROLES),
  createdAt: z.string().max(40),
  disabledAt: z.string().max(40).nullable(),
  lastSignInAt: z.string().max(40).nullable(),
});
export type UserViewBody = z.infer<typeof UserViewSchema>;

export const UserListSchema = z.object({ users: z.array(UserViewSchema).max(1000) });

/** Bodies well under this: a 256-character password and the rest. */
export const MAX_USER_BODY_BYTES = 4 * 1024;
