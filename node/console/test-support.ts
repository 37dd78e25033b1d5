/**
 * Test support for the console: a node app with a settable clock and client address, users
 * added through the admin API, and a browser's side of a form POST (Origin, cookie, `_csrf`).
 */
import { TEST_ADMIN_TOKEN } from '../service/test-support.js';
import type { NodeApp } from '../service/app.js';

export const ORIGIN = 'http://localhost';
export const PASSWORD = 'correct horse battery staple';

export async function addTestUser(
  app: NodeApp,
  login: string,
  role: 'investigator' | 'records_officer' | 'administrator',
  password = PASSWORD,
): Promise<Response> {
  return app.request('/v1/users', {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ login, displayName: `Test ${login}`, role, password }),
  });
}

/** A form POST as a browser on the console's page sends it. */
export function postForm(
  app: NodeApp,
  path: string,
  fields: Record<string, string>,
  options: { cookie?: string; origin?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (options.origin !== null) headers['origin'] = options.origin ?? ORIGIN;
  if (options.cookie) headers['cookie'] = options.cookie;
  return Promise.resolve(
    app.request(path, { method: 'POST', headers, body: new URLSearchParams(fields).toString() }),
  );
}

/** The session cookie a sign-in set (`name=value`), or undefined. */
export function sessionCookie(res: Response): string | undefined {
  const set = res.headers.get('set-cookie');
  return set?.split(';')[0];
}

export async function signedIn(app: NodeApp, login: string, password = PASSWORD) {
  const res = await postForm(app, '/console/sign-in', { login, password });
  const cookie = sessionCookie(res);
  if (res.status !== 303 || cookie === undefined) {
    throw new Error(`sign-in of ${login} failed: ${res.status}`);
  }
  return cookie;
}

/** The `_csrf` value on the page at `path` (GET with the session). */
export async function csrfOf(app: NodeApp, cookie: string, path = '/console/checks/new') {
  const page = await (await app.request(path, { headers: { cookie } })).text();
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error(`no _csrf on ${path}`);
  return m[1]!;
}
