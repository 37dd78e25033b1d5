/**
 * The records officer's pages through app.request: an import whose bad row is listed by line
 * and column with nothing written, a good import, a publish run to its end with its progress
 * page, and the role boundaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { consoleRepository, officersRepository, type NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import type { NodeApp } from '../service/app.js';
import { testNodeApp } from '../service/test-support.js';
import { DEFAULT_SESSION_SETTINGS } from './session.js';
import { addTestUser, csrfOf, ORIGIN, postForm, signedIn } from './test-support.js';

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
  world = await createWorld();
  app = testNodeApp(world, handle.db, {
    seed: 'console-records',
    console: { session: DEFAULT_SESSION_SETTINGS, behindProxy: false, clientAddress: () => 'x' },
  });
  await addTestUser(app, 'rory', 'records_officer');
  await addTestUser(app, 'ida', 'investigator');
});
afterAll(async () => {
  await handle?.close();
});

const OFFICERS = [
  'employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date',
  'RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05',
  "RPD-10007,O'Brien,Siobhán,Niamh,,1979-11-30,899-04-1187,NM,16-3315,,2004-08-16,",
];
const OUTCOMES = [
  'employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since',
  'RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,final,2023-03-07,yes,',
];

async function importFile(cookie: string, kind: string, csv: string, dryRun = false) {
  const form = new FormData();
  form.set('_csrf', await csrfOf(app, cookie, '/console/records/import'));
  form.set('kind', kind);
  if (dryRun) form.set('dryRun', 'true');
  form.set('file', new File([csv], `${kind}.csv`, { type: 'text/csv' }));
  return app.request('/console/records/import', {
    method: 'POST',
    headers: { origin: ORIGIN, cookie },
    body: form,
  });
}

describe('the records officer', () => {
  it('sees an import’s bad rows by line and column, and nothing is written', async () => {
    const cookie = await signedIn(app, 'rory');
    const bad = [...OFFICERS, 'RPD-10009,Okafor,Paul,,,1972-13-40,,,,,2010-01-01,'].join('\n');
    const res = await importFile(cookie, 'officers', bad);
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('id="import-issues"');
    expect(page).toMatch(/<td>4<\/td><td>date_of_birth<\/td>/);
    expect(page).not.toContain('1972-13-40');
    expect(await officersRepository(handle.db).count()).toBe(0);
  });

  it('imports good files, then publishes them with a progress page to the end', async () => {
    const cookie = await signedIn(app, 'rory');
    const dry = await importFile(cookie, 'officers', OFFICERS.join('\n'), true);
    expect(await dry.text()).toContain('Checked (nothing written): 2 rows');
    expect(await officersRepository(handle.db).count()).toBe(0);
    const officers = await importFile(cookie, 'officers', OFFICERS.join('\n'));
    expect(officers.status).toBe(200);
    expect(await officers.text()).toContain('Imported: 2 rows — 2 new');
    const outcomes = await importFile(cookie, 'outcomes', OUTCOMES.join('\n'));
    expect(await outcomes.text()).toContain('1 outcomes to publish');

    const overview = await (await app.request('/console/records', { headers: { cookie } })).text();
    expect(overview).toContain('1 never published');
    const _csrf = await csrfOf(app, cookie, '/console/records');
    const res = await postForm(app, '/console/records/publish', { _csrf }, { cookie });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    let page = '';
    await expect
      .poll(
        async () => {
          page = await (await app.request(location, { headers: { cookie } })).text();
          return !page.includes('http-equiv="refresh"');
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe(true);
    expect(page).toContain('Signed 1 statements of 1 outcomes; the hub accepted 1');
    const events = await consoleRepository(handle.db).auditEvents({ limit: 20 });
    expect(events.filter((e) => e.action === 'records_import' && e.login === 'rory')).toHaveLength(
      4,
    );
    expect(events.some((e) => e.action === 'records_publish' && e.login === 'rory')).toBe(true);
    expect(events.some((e) => e.action === 'user_added' && e.detail?.['user'] === 'rory')).toBe(
      true,
    );
  });

  it('is the only role with the records pages, and has no check pages', async () => {
    const ida = await signedIn(app, 'ida');
    expect((await app.request('/console/records', { headers: { cookie: ida } })).status).toBe(403);
    const rory = await signedIn(app, 'rory');
    expect((await app.request('/console/checks/new', { headers: { cookie: rory } })).status).toBe(
      403,
    );
  });
});
