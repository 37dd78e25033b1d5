/**
 * The console's users through the admin API (node/api/users.ts): what `spx node user` calls.
 * Behind the admin token like every /v1 route but /v1/health.
 */
import type { Hono } from 'hono';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { Sent } from '../api/index.js';
import {
  MAX_USER_BODY_BYTES,
  NewUserBodySchema,
  PasswordBodySchema,
  UserListSchema,
  UserViewSchema,
} from '../api/users.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY } from './api-docs.js';
import { argon2Hasher, type PasswordHasher } from '../console/password.js';
import {
  addUser,
  disableUser,
  LoginSchema,
  resetPassword,
  userView,
  type UserDeps,
} from '../console/users.js';
import { isNodeError } from '../errors.js';
import { consoleRepository } from '../store/index.js';
import type { NodeAppDeps } from './app.js';

const tags = ['users'];
const userContent = () => json(named('UserView', UserViewSchema));
const loginParameter = [
  { name: 'login', in: 'path', description: 'the user’s login (lower case)' },
] as const;
const listDoc = describeRoute({
  summary: 'The console’s users',
  tags,
  security: ADMIN_ONLY,
  responses: {
    200: { description: 'every user, disabled ones too', content: json(UserListSchema) },
  },
});
const addDoc = describeRoute({
  summary: 'Add a console user',
  description: 'The password travels in the body only; it is never echoed or logged.',
  tags,
  security: ADMIN_ONLY,
  requestBody: {
    required: true,
    content: json(named('NewUser', NewUserBodySchema), {
      investigator: {
        summary: 'an investigator',
        value: {
          login: 'jdoe',
          displayName: 'J. Doe',
          role: 'investigator',
          password: 'correct horse battery staple',
        },
      },
    }),
  },
  responses: { 201: { description: 'the user added', content: userContent() } },
  problems: { 409: 'a user with this login exists (`USER_EXISTS`)' },
});
const disableDoc = describeRoute({
  summary: 'Disable a console user; their sessions end',
  tags,
  security: ADMIN_ONLY,
  parameters: loginParameter,
  responses: { 200: { description: 'the user, disabled', content: userContent() } },
  problems: { 404: 'no user with this login (`USER_UNKNOWN`)' },
});
const passwordDoc = describeRoute({
  summary: 'Give a console user a new password; their sessions end',
  tags,
  security: ADMIN_ONLY,
  parameters: loginParameter,
  requestBody: { required: true, content: json(named('NewPassword', PasswordBodySchema)) },
  responses: { 200: { description: 'the user', content: userContent() } },
  problems: { 404: 'no user with this login (`USER_UNKNOWN`)' },
});

function userProblem(e: unknown): Response {
  if (isNodeError(e) && e.code === 'USER_EXISTS') {
    return problemResponse(serviceProblem(409, 'USER_EXISTS', e.message));
  }
  if (isNodeError(e) && e.code === 'USER_UNKNOWN') {
    return problemResponse(serviceProblem(404, 'USER_UNKNOWN', e.message));
  }
  throw e;
}

export function registerUserRoutes(app: Hono, deps: NodeAppDeps, hasher?: PasswordHasher): void {
  const userDeps: UserDeps = {
    db: deps.db,
    now: deps.now,
    rng: deps.rng,
    hasher: hasher ?? argon2Hasher,
  };
  const login = (raw: string) => {
    const parsed = LoginSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  };
  /** User changes come with the admin token: the audit names the user changed, not a login. */
  const audit = (
    action: 'user_added' | 'user_disabled' | 'password_reset',
    user: string,
    detail: Record<string, unknown> = {},
  ) =>
    consoleRepository(deps.db).audit(
      { login: null, action, detail: { by: 'admin token', user, ...detail } },
      deps.now(),
    );
  const unknown = () =>
    problemResponse(serviceProblem(404, 'USER_UNKNOWN', 'no user with this login'));

  app.get('/v1/users', listDoc, async (c) => {
    const users = (await consoleRepository(deps.db).listUsers()).map(userView);
    return c.json({ users } satisfies Sent<typeof UserListSchema>);
  });

  app.post('/v1/users', addDoc, jsonBodyLimit(MAX_USER_BODY_BYTES), async (c) => {
    const body = await readJsonBody(c, NewUserBodySchema);
    try {
      const user = await addUser(userDeps, body);
      await audit('user_added', user.login, { role: user.role });
      deps.log('info', 'console_user_added', { role: user.role });
      return c.json(user satisfies Sent<typeof UserViewSchema>, 201);
    } catch (e) {
      return userProblem(e);
    }
  });

  app.post('/v1/users/:login/disable', disableDoc, async (c) => {
    const name = login(c.req.param('login'));
    if (name === undefined) return unknown();
    try {
      const user = await disableUser(userDeps, name);
      await audit('user_disabled', user.login);
      return c.json(user satisfies Sent<typeof UserViewSchema>);
    } catch (e) {
      return userProblem(e);
    }
  });

  app.post(
    '/v1/users/:login/password',
    passwordDoc,
    jsonBodyLimit(MAX_USER_BODY_BYTES),
    async (c) => {
      const name = login(c.req.param('login'));
      if (name === undefined) return unknown();
      const body = await readJsonBody(c, PasswordBodySchema);
      try {
        const user = await resetPassword(userDeps, name, body.password);
        await audit('password_reset', user.login);
        return c.json(user satisfies Sent<typeof UserViewSchema>);
      } catch (e) {
        return userProblem(e);
      }
    },
  );
}
