/**
 * The console end to end through app.request: sign-in, lock-out, sessions, CSRF, roles, the
 * candidate form, the result and print pages, past checks and their evidence — and no
 * candidate identifier in the node's log or the console's audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { CheckEvidenceSchema } from '../../protocol/check-evidence.js';
import type { World } from '../clients/test-support/world.js';
import { verifyCheckEvidence } from '../check/index.js';
import { checksRepository, consoleRepository, type NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import type { NodeApp } from '../service/app.js';
import { CLEAN, PLANTED, PLANTED_VALUES, plantedWorld } from '../service/evidence-test-support.js';
import { testNodeApp } from '../service/test-support.js';
import { DEFAULT_SESSION_SETTINGS } from './session.js';
import {
  addTestUser,
  csrfOf,
  PASSWORD,
  postForm,
  sessionCookie,
  signedIn,
} from './test-support.js';

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;
const logLines: string[] = [];
let source = '192.0.2.10';

beforeAll(async () => {
  handle = await openNodeTestDatabase();
  world = await plantedWorld();
  app = testNodeApp(world, handle.db, {
    seed: 'console',
    logLine: (l) => logLines.push(l),
    console: {
      session: DEFAULT_SESSION_SETTINGS,
      behindProxy: false,
      clientAddress: () => source,
    },
  });
  for (const [login, role] of [
    ['ida', 'investigator'],
    ['adam', 'administrator'],
    ['rory', 'records_officer'],
    ['lockme', 'investigator'],
  ] as const) {
    expect((await addTestUser(app, login, role)).status).toBe(201);
  }
});
afterAll(async () => {
  await handle?.close();
});

const candidateFields = (c: typeof PLANTED | typeof CLEAN) => ({
  firstName: c.firstName,
  lastName: c.lastName,
  dob: c.dob,
  ssn: c.ssn,
  ...('license' in c ? { licenseState: c.license.state, licenseNumber: c.license.number } : {}),
  ...('middleName' in c ? { middleName: c.middleName } : {}),
  purpose: 'hiring',
  consentRef: 'CONSENT-2025-17',
  candidateRef: 'BG-2025-0042',
});

describe('signing in', () => {
  it('signs a user in with the right password and sets a strict, HttpOnly session cookie', async () => {
    const res = await postForm(app, '/console/sign-in', { login: 'ida', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/checks/new');
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    const cookie = sessionCookie(res)!;
    const page = await app.request('/console/checks/new', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="run-check"');
  });

  it('marks the cookie Secure, with the __Host- prefix, when browsers come over TLS', async () => {
    const tlsApp = testNodeApp(world, handle.db, {
      seed: 'console-tls',
      console: {
        session: { ...DEFAULT_SESSION_SETTINGS, secure: true },
        behindProxy: true,
        publicOrigin: 'https://spx.agency.example',
        clientAddress: () => source,
      },
    });
    const res = await postForm(
      tlsApp,
      '/console/sign-in',
      { login: 'ida', password: PASSWORD },
      { origin: 'https://spx.agency.example' },
    );
    expect(res.status).toBe(303);
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^__Host-spx_console=/);
    expect(set).toMatch(/; Secure/);
    expect(set).toMatch(/; Path=\//);
  });

  it('refuses a wrong password and an unknown login with the same answer', async () => {
    const wrong = await postForm(app, '/console/sign-in', {
      login: 'ida',
      password: 'not the one at all',
    });
    const unknown = await postForm(app, '/console/sign-in', {
      login: 'nobody',
      password: PASSWORD,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const text = (s: string) => s.replace(/value="[^"]*"/g, '');
    expect(text(await wrong.text())).toBe(text(await unknown.text()));
  });

  it('locks a user out after five failures in the window, even with the right password, until it passes', async () => {
    source = '192.0.2.77';
    for (let i = 0; i < 5; i++) {
      const res = await postForm(app, '/console/sign-in', {
        login: 'lockme',
        password: `wrong-password-${i}`,
      });
      expect(res.status).toBe(401);
    }
    const locked = await postForm(app, '/console/sign-in', { login: 'lockme', password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('set-cookie')).toBeNull();
    // Another address does not help: the lock is on the user.
    source = '192.0.2.78';
    expect(
      (await postForm(app, '/console/sign-in', { login: 'lockme', password: PASSWORD })).status,
    ).toBe(429);
    const start = world.clock.now();
    world.clock.set(new Date(start.getTime() + 16 * 60_000).toISOString());
    try {
      expect(
        (await postForm(app, '/console/sign-in', { login: 'lockme', password: PASSWORD })).status,
      ).toBe(303);
    } finally {
      world.clock.set(start.toISOString());
      source = '192.0.2.10';
    }
  });

  it('locks out an address after twenty failures whatever logins it tries', async () => {
    source = '198.51.100.9';
    try {
      for (let i = 0; i < 20; i++) {
        await postForm(app, '/console/sign-in', {
          login: `guess${i}`,
          password: 'wrong-password-xx',
        });
      }
      const res = await postForm(app, '/console/sign-in', { login: 'ida', password: PASSWORD });
      expect(res.status).toBe(429);
    } finally {
      source = '192.0.2.10';
    }
  });

  it('refuses a form POST from another origin (no Origin, no Sec-Fetch-Site same-origin)', async () => {
    const evil = await postForm(
      app,
      '/console/sign-in',
      { login: 'ida', password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(evil.status).toBe(403);
    const none = await postForm(
      app,
      '/console/sign-in',
      { login: 'ida', password: PASSWORD },
      { origin: null },
    );
    expect(none.status).toBe(403);
  });
});

describe('sessions', () => {
  it('refuses a POST whose synchroniser token is missing or belongs to another session', async () => {
    const cookie = await signedIn(app, 'ida');
    const other = await signedIn(app, 'ida');
    const otherToken = await csrfOf(app, other);
    const missing = await postForm(app, '/console/checks', candidateFields(CLEAN), { cookie });
    expect(missing.status).toBe(403);
    const foreign = await postForm(
      app,
      '/console/checks',
      { ...candidateFields(CLEAN), _csrf: otherToken },
      { cookie },
    );
    expect(foreign.status).toBe(403);
  });

  it('ends a session after the idle time and after the absolute lifetime, with an injected clock', async () => {
    const start = world.clock.now();
    const at = (ms: number) => world.clock.set(new Date(start.getTime() + ms).toISOString());
    try {
      const idle = await signedIn(app, 'ida');
      at(DEFAULT_SESSION_SETTINGS.idleMs - 60_000);
      expect((await app.request('/console/checks', { headers: { cookie: idle } })).status).toBe(
        200,
      );
      at(2 * DEFAULT_SESSION_SETTINGS.idleMs - 120_000); // within idle of the last request
      expect((await app.request('/console/checks', { headers: { cookie: idle } })).status).toBe(
        200,
      );
      at(3 * DEFAULT_SESSION_SETTINGS.idleMs);
      const gone = await app.request('/console/checks', { headers: { cookie: idle } });
      expect(gone.status).toBe(303);
      expect(gone.headers.get('location')).toBe('/console/sign-in');

      at(0);
      const busy = await signedIn(app, 'ida');
      // Active every 20 minutes, still ended at the absolute lifetime.
      let t = 0;
      while (t + 20 * 60_000 < DEFAULT_SESSION_SETTINGS.absoluteMs) {
        t += 20 * 60_000;
        at(t);
        expect((await app.request('/console/checks', { headers: { cookie: busy } })).status).toBe(
          200,
        );
      }
      at(DEFAULT_SESSION_SETTINGS.absoluteMs);
      expect((await app.request('/console/checks', { headers: { cookie: busy } })).status).toBe(
        303,
      );
    } finally {
      world.clock.set(start.toISOString());
    }
  });

  it('signs out: the cookie no longer opens a page', async () => {
    const cookie = await signedIn(app, 'ida');
    const token = await csrfOf(app, cookie);
    const out = await postForm(app, '/console/sign-out', { _csrf: token }, { cookie });
    expect(out.status).toBe(303);
    expect((await app.request('/console/checks', { headers: { cookie } })).status).toBe(303);
  });

  it('ends the sessions of a disabled user', async () => {
    await addTestUser(app, 'leaver', 'investigator');
    const cookie = await signedIn(app, 'leaver');
    const res = await app.request('/v1/users/leaver/disable', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(await import('../service/test-support.js')).TEST_ADMIN_TOKEN}`,
      },
    });
    expect(res.status).toBe(200);
    expect((await app.request('/console/checks', { headers: { cookie } })).status).toBe(303);
    expect(
      (await postForm(app, '/console/sign-in', { login: 'leaver', password: PASSWORD })).status,
    ).toBe(401);
  });
});

describe('roles', () => {
  it('keeps an investigator out of the administrator pages and an administrator out of checks', async () => {
    const ida = await signedIn(app, 'ida');
    expect((await app.request('/console/admin/users', { headers: { cookie: ida } })).status).toBe(
      403,
    );
    expect((await app.request('/console/admin/audit', { headers: { cookie: ida } })).status).toBe(
      403,
    );
    const adam = await signedIn(app, 'adam');
    expect((await app.request('/console/admin/users', { headers: { cookie: adam } })).status).toBe(
      200,
    );
    expect((await app.request('/console/checks/new', { headers: { cookie: adam } })).status).toBe(
      403,
    );
    const rory = await signedIn(app, 'rory');
    expect((await app.request('/console/checks', { headers: { cookie: rory } })).status).toBe(403);
  });

  it('sends a visitor without a session to sign in', async () => {
    const res = await app.request('/console/checks/new');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/sign-in');
  });
});

describe('checking a candidate', () => {
  it('shows each error beside its field and keeps what was typed', async () => {
    const cookie = await signedIn(app, 'ida');
    const _csrf = await csrfOf(app, cookie);
    const res = await postForm(
      app,
      '/console/checks',
      {
        _csrf,
        firstName: 'Rosalind',
        lastName: '',
        dob: '1979-13-45',
        ssn: '000-00-0000',
        consentRef: 'CONSENT-9',
        licenseNumber: 'P-1',
      },
      { cookie },
    );
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toMatch(/id="lastName-error">Required\./);
    expect(page).toContain('id="licenseState-error"');
    expect(page).toContain('value="Rosalind"');
  });

  it('shows identifier errors that only normalization finds beside their fields', async () => {
    const cookie = await signedIn(app, 'ida');
    const _csrf = await csrfOf(app, cookie);
    const res = await postForm(
      app,
      '/console/checks',
      { _csrf, ...candidateFields(CLEAN), dob: '1979-02-30', ssn: '000-12-3456' },
      { cookie },
    );
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('id="dob-error"');
    expect(page).toContain('id="ssn-error"');
  });

  it('refuses a consent reference carrying the candidate’s identifier beside that field', async () => {
    const cookie = await signedIn(app, 'ida');
    const _csrf = await csrfOf(app, cookie);
    const res = await postForm(
      app,
      '/console/checks',
      { _csrf, ...candidateFields(CLEAN), consentRef: 'CONSENT-455712038' },
      { cookie },
    );
    expect([400, 422]).toContain(res.status);
    expect(await res.text()).toContain('id="consentRef-error"');
  });

  it('runs a check from the form to the result, the print view, past checks and the evidence', async () => {
    logLines.length = 0;
    const cookie = await signedIn(app, 'ida');
    const _csrf = await csrfOf(app, cookie);
    const res = await postForm(
      app,
      '/console/checks',
      { _csrf, ...candidateFields(PLANTED) },
      { cookie },
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    const id = /^\/console\/checks\/([0-9a-f-]{36})$/.exec(location)![1]!;

    const result = await (await app.request(location, { headers: { cookie } })).text();
    expect(result).toContain('id="verdict"');
    expect(result).toContain('Record found');
    expect(result).toMatch(/id="match-1"/);
    expect(result).toMatch(/id="match-2"/);
    expect(result).toContain('Strong: a Social Security number or licence number matched');
    expect(result).toContain('BG-2025-0042');
    expect(result).toContain('Requested by');
    expect(result).toContain('ida,');

    const print = await app.request(`${location}/print`, { headers: { cookie } });
    expect(print.status).toBe(200);
    const printed = await print.text();
    expect(printed).toContain('Verified check result');
    expect(printed).toContain('@media print');
    expect(printed).toContain(id);

    const list = await (
      await app.request('/console/checks?q=BG-2025', { headers: { cookie } })
    ).text();
    expect(list).toContain(`/console/checks/${id}/evidence.json`);
    const none = await (
      await app.request('/console/checks?q=no-such-ref', { headers: { cookie } })
    ).text();
    expect(none).toContain('id="no-checks"');

    const download = await app.request(`${location}/evidence.json`, { headers: { cookie } });
    expect(download.headers.get('content-disposition')).toContain(`check-${id}-evidence.json`);
    const evidence = CheckEvidenceSchema.parse(await download.json());
    const verified = await verifyCheckEvidence(evidence, { requester: world.city.entry.ori });
    expect(verified.ok).toBe(true);

    const events = await consoleRepository(handle.db).auditEvents({ limit: 50 });
    const check = events.find((e) => e.action === 'check' && e.checkId === id);
    expect(check).toMatchObject({ login: 'ida', detail: { verdict: 'record_found', matches: 2 } });
    expect(
      events.some(
        (e) => e.action === 'evidence_downloaded' && e.checkId === id && e.login === 'ida',
      ),
    ).toBe(true);

    // Nothing the investigator typed about the candidate is in the log or the audit trail.
    const stored = JSON.stringify(events) + logLines.join('\n');
    for (const v of PLANTED_VALUES.exact) expect(stored).not.toContain(v);
    for (const v of PLANTED_VALUES.anyCase)
      expect(stored.toLowerCase()).not.toContain(v.toLowerCase());
    expect(logLines.some((l) => l.includes('"route":"/console/checks"'))).toBe(true);
  });

  it('pages past checks a bounded page at a time', async () => {
    const cookie = await signedIn(app, 'ida');
    const res = await app.request('/console/checks?before=not-a-uuid&verdict=bogus', {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
  });

  it('answers 404 for a check that does not exist', async () => {
    const cookie = await signedIn(app, 'ida');
    const res = await app.request('/console/checks/01890000-0000-7000-8000-000000000000', {
      headers: { cookie },
    });
    expect(res.status).toBe(404);
  });
});

describe('a batch check from a CSV of applicants', () => {
  const header = 'first_name,last_name,date_of_birth,ssn,consent_ref,case_ref';
  const upload = async (cookie: string, csv: string) => {
    const _csrf = await csrfOf(app, cookie, '/console/batches/new');
    const form = new FormData();
    form.set('_csrf', _csrf);
    form.set('file', new File([csv], 'applicants.csv', { type: 'text/csv' }));
    return app.request('/console/batches', {
      method: 'POST',
      headers: { origin: 'http://localhost', cookie },
      body: form,
    });
  };
  const checkCount = async () => (await checksRepository(handle.db).search({ limit: 1000 })).length;

  it('runs nothing when a row is wrong, and names each bad row by line and column', async () => {
    const cookie = await signedIn(app, 'ida');
    const before = await checkCount();
    const res = await upload(
      cookie,
      [
        header,
        `${CLEAN.firstName},${CLEAN.lastName},${CLEAN.dob},${CLEAN.ssn},CONSENT-1,BATCH-A`,
        `Rosa,,1979-02-28,,CONSENT-2,BATCH-B`,
        `Rosa,Ekwueme,1979-02-30,,CONSENT-5,BATCH-E`,
      ].join('\n'),
    );
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('id="batch-issues"');
    expect(page).toMatch(/<td>3<\/td><td>last_name<\/td>/);
    expect(page).toMatch(/<td>4<\/td><td>date_of_birth<\/td>/);
    expect(page).not.toContain('1979-02-30');
    expect(await checkCount()).toBe(before);
  });

  it('checks every applicant, showing progress and each result', async () => {
    logLines.length = 0;
    const cookie = await signedIn(app, 'ida');
    const res = await upload(
      cookie,
      [
        header,
        `${PLANTED.firstName},${PLANTED.lastName},${PLANTED.dob},${PLANTED.ssn},CONSENT-3,BATCH-C`,
        `${CLEAN.firstName},${CLEAN.lastName},${CLEAN.dob},${CLEAN.ssn},CONSENT-4,BATCH-D`,
      ].join('\r\n'),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    let page = '';
    await expect
      .poll(
        async () => {
          page = await (await app.request(location, { headers: { cookie } })).text();
          return page.includes('Finished:');
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe(true);
    expect(page).toContain('2 of 2 applicants checked');
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toMatch(
      /BATCH-C<\/td><td><a href="\/console\/checks\/[0-9a-f-]{36}">Record found/,
    );
    expect(page).toMatch(
      /BATCH-D<\/td><td><a href="\/console\/checks\/[0-9a-f-]{36}">No record found/,
    );
    const other = await signedIn(app, 'lockme');
    expect((await app.request(location, { headers: { cookie: other } })).status).toBe(404);
    const stored = logLines.join('\n');
    for (const v of PLANTED_VALUES.exact) expect(stored).not.toContain(v);
  });
});

describe('request logging', () => {
  it('labels a page by its own route pattern', async () => {
    logLines.length = 0;
    const cookie = await signedIn(app, 'ida');
    await app.request('/console/checks/new', { headers: { cookie } });
    expect(logLines.at(-1)).toContain('"route":"/console/checks/new"');
  });
});
