/**
 * The node console in a real browser (issue 13 part 4): signing in (a wrong password first), a
 * check from the form to the printed result with the keyboard alone (a field error beside its
 * field, then corrected), a batch check from a CSV to its finished progress page, a records
 * import with a bad row (nothing written) and then a good one, signing out, and the role
 * boundary — with axe-core finding no serious or critical violation on any console page and
 * the Tab key reaching every link and control of the main pages with a visible focus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  axeViolations,
  browserUnavailable,
  describeViolations,
  keyboardWalk,
  launchChromium,
  visibleLinks,
} from './support.js';
import {
  CLEAN,
  PASSWORD,
  PLANTED,
  startConsoleNode,
  USERS,
  type ServedNode,
} from './node-server.js';
import type { PageDocument, PageElement } from './page-globals.js';

declare const document: PageDocument;

const unavailable = browserUnavailable();
if (unavailable !== undefined) console.warn(`skipping the console's browser tests: ${unavailable}`);

/** The name (or id) of the element with focus, and its tag. */
async function focused(page: Page): Promise<{ name: string; tag: string; type: string }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      name: el?.getAttribute('name') ?? el?.id ?? '',
      tag: el?.tagName.toLowerCase() ?? '',
      type: el?.getAttribute('type') ?? '',
    };
  });
}

/**
 * Fills a form with the keyboard alone: Tab from the top of the page, typing each value into
 * the field of that name (replacing what is there), until the control `submitId` has focus;
 * then Enter.
 */
async function fillByKeyboard(page: Page, values: Record<string, string>, submitId: string) {
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const at = await focused(page);
    const id = await page.evaluate(() => document.activeElement?.id ?? '');
    if (id === submitId) {
      await page.keyboard.press('Enter');
      return;
    }
    const value = values[at.name];
    if (value !== undefined) {
      if (at.tag === 'select') {
        await page.keyboard.type(value);
      } else {
        await page.keyboard.press('ControlOrMeta+A');
        await page.keyboard.press('Backspace');
        await page.keyboard.type(value);
      }
    }
  }
  throw new Error(`the keyboard never reached #${submitId}`);
}

/** Tab to the link or control with this id, from the top of the page, and press Enter. */
async function activateByKeyboard(page: Page, id: string) {
  await fillByKeyboard(page, {}, id);
}

async function expectAccessible(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `${page.url()}\n${describeViolations(violations)}`).toEqual([]);
}

/** Every control a keyboard user must reach: links, buttons, fields (not hidden ones). */
async function visibleControlCount(page: Page): Promise<number> {
  return page.$$eval(
    'a[href], button, select, textarea, input:not([type="hidden"])',
    (els) =>
      els.filter((e) => {
        const box = (e as unknown as PageElement).getBoundingClientRect();
        return box.width > 0 && box.height > 0;
      }).length,
  );
}

async function expectKeyboardReachesAll(page: Page) {
  const stops = await keyboardWalk(page);
  expect(
    stops.filter((s) => s.href !== null).map((s) => s.href),
    page.url(),
  ).toEqual(await visibleLinks(page));
  expect(stops.length, page.url()).toBe(await visibleControlCount(page));
  expect(
    stops.filter((s) => !s.indicated).map((s) => `${s.tag} ${s.text}`),
    page.url(),
  ).toEqual([]);
  return stops;
}

const PLANTED_FORM: Record<string, string> = {
  firstName: PLANTED.firstName,
  middleName: PLANTED.middleName,
  lastName: PLANTED.lastName,
  dob: '1988-14-03', // month and day swapped: corrected after the error
  ssn: PLANTED.ssn,
  licenseState: PLANTED.license.state,
  licenseNumber: PLANTED.license.number,
  consentRef: 'CONSENT-2025-17',
  candidateRef: 'BG-2025-0042',
};

const BATCH_CSV = [
  'first_name,last_name,date_of_birth,ssn,consent_ref,case_ref',
  `${PLANTED.firstName},${PLANTED.lastName},${PLANTED.dob},${PLANTED.ssn},CONSENT-3,BATCH-C`,
  `${CLEAN.firstName},${CLEAN.lastName},${CLEAN.dob},${CLEAN.ssn},CONSENT-4,BATCH-D`,
].join('\r\n');

const OFFICERS = [
  'employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date',
  'RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05',
  "RPD-10007,O'Brien,Siobhán,Niamh,,1979-11-30,899-04-1187,NM,16-3315,,2004-08-16,",
];

const csvFile = (name: string, text: string) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(text, 'utf8'),
});

describe.skipIf(unavailable !== undefined)('the node console in chromium', () => {
  let node: ServedNode;
  let browser: Browser;
  let investigator: BrowserContext;
  let ida: Page;
  let checkUrl = '';

  beforeAll(async () => {
    [node, browser] = await Promise.all([startConsoleNode(), launchChromium()]);
    investigator = await browser.newContext();
    ida = await investigator.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await node?.close();
  });

  async function signIn(page: Page, login: string) {
    await page.goto(`${node.url}/console/sign-in`);
    await page.fill('#login', login);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/console\/(?!sign-in)/), page.click('#sign-in')]);
  }

  it('signs in with the keyboard alone, after a wrong password shows an error', async () => {
    const res = await ida.goto(`${node.url}/console`);
    expect(new URL(ida.url()).pathname).toBe('/console/sign-in');
    expect(res?.status()).toBe(200);
    await expectAccessible(ida);
    expect((await expectKeyboardReachesAll(ida)).map((s) => s.text)).toEqual([
      'login',
      'password',
      'Sign in',
    ]);

    await fillByKeyboard(
      ida,
      { login: USERS.investigator, password: 'not the password at all' },
      'sign-in',
    );
    await expect(ida.locator('#sign-in-error').textContent()).resolves.toBe(
      'Login or password not recognised.',
    );
    await expect(ida.inputValue('#login')).resolves.toBe(USERS.investigator);
    await expectAccessible(ida);

    await Promise.all([
      ida.waitForURL(/\/console\/checks\/new$/),
      fillByKeyboard(ida, { login: USERS.investigator, password: PASSWORD }, 'sign-in'),
    ]);
    await expect(ida.locator('h1').textContent()).resolves.toBe('Check a candidate');
  });

  it('runs a check with the keyboard alone: the error beside its field, corrected, then the result', async () => {
    await ida.goto(`${node.url}/console/checks/new`);
    await expectAccessible(ida);
    const stops = await expectKeyboardReachesAll(ida);
    for (const name of Object.keys(PLANTED_FORM)) expect(stops.map((s) => s.text)).toContain(name);

    await Promise.all([
      ida.waitForLoadState('load'),
      fillByKeyboard(ida, PLANTED_FORM, 'run-check'),
    ]);
    await ida.waitForSelector('#dob-error');
    // The error is beside its field, tied to it, and what was typed is kept.
    await expect(ida.getAttribute('#dob', 'aria-invalid')).resolves.toBe('true');
    await expect(ida.getAttribute('#dob', 'aria-describedby')).resolves.toContain('dob-error');
    await expect(ida.inputValue('#lastName')).resolves.toBe(PLANTED.lastName);
    await expect(ida.locator('#form-error').isVisible()).resolves.toBe(true);
    await expectAccessible(ida);

    // Corrected: Tab to the date of birth only and submit from the field with Enter.
    await ida.evaluate(() => document.activeElement?.blur());
    for (let i = 0; i < 100 && (await focused(ida)).name !== 'dob'; i++) {
      await ida.keyboard.press('Tab');
    }
    expect((await focused(ida)).name).toBe('dob');
    await ida.keyboard.press('ControlOrMeta+A');
    await ida.keyboard.type(PLANTED.dob);
    await Promise.all([
      ida.waitForURL(/\/console\/checks\/[0-9a-f-]{36}$/),
      ida.keyboard.press('Enter'),
    ]);
    checkUrl = ida.url();
    await expect(ida.locator('#verdict').textContent()).resolves.toContain('Record found');
    await expect(ida.locator('#match-1').isVisible()).resolves.toBe(true);
    await expect(ida.locator('#match-2').isVisible()).resolves.toBe(true);
    await expect(ida.locator('main').textContent()).resolves.toContain(
      'Strong: a Social Security number or licence number matched',
    );
    await expectAccessible(ida);
    await expectKeyboardReachesAll(ida);

    // The printable result, reached with the keyboard.
    await Promise.all([ida.waitForURL(/\/print$/), activateByKeyboard(ida, 'print-link')]);
    await expect(ida.locator('h1').textContent()).resolves.toContain('Verified check result');
    await expect(ida.locator('main').textContent()).resolves.toContain('BG-2025-0042');
    await expectAccessible(ida);
    await ida.emulateMedia({ media: 'print' });
    try {
      await expect(ida.locator('header').isVisible()).resolves.toBe(false);
      await expect(ida.locator('#verdict').isVisible()).resolves.toBe(true);
    } finally {
      await ida.emulateMedia({ media: 'screen' });
    }
  });

  it('finds the check among past checks, and downloads its evidence', async () => {
    await ida.goto(`${node.url}/console/checks`);
    await expectAccessible(ida);
    await expectKeyboardReachesAll(ida);
    await fillByKeyboard(ida, { q: 'BG-2025' }, 'search');
    await ida.waitForURL(/q=BG-2025/);
    const id = checkUrl.split('/').at(-1)!;
    await expect(ida.locator(`a[href="/console/checks/${id}"]`).count()).resolves.toBe(1);
    const [download] = await Promise.all([
      ida.waitForEvent('download'),
      ida.click(`a[href="/console/checks/${id}/evidence.json"]`),
    ]);
    expect(download.suggestedFilename()).toBe(`check-${id}-evidence.json`);
    await ida.goto(`${node.url}/console/checks?q=no-such-ref`);
    await expect(ida.locator('#no-checks').isVisible()).resolves.toBe(true);
  });

  it('checks a batch from a CSV: progress until done, each applicant’s result listed', async () => {
    await ida.goto(`${node.url}/console/batches/new`);
    await expectAccessible(ida);
    await expectKeyboardReachesAll(ida);
    await ida.setInputFiles('#file', csvFile('applicants.csv', BATCH_CSV));
    await Promise.all([ida.waitForURL(/\/console\/batches\/[^/]+$/), ida.click('#run-batch')]);
    // The page reloads itself (meta refresh) until the batch is finished.
    await ida.locator('#batch-progress', { hasText: 'Finished:' }).waitFor({ timeout: 45_000 });
    await expect(ida.locator('#batch-progress').textContent()).resolves.toContain(
      '2 of 2 applicants checked',
    );
    const row = (ref: string) => ida.locator('#batch-results tr', { hasText: ref });
    await expect(row('BATCH-C').locator('a').textContent()).resolves.toMatch(/^Record found/);
    await expect(row('BATCH-D').locator('a').textContent()).resolves.toMatch(/^No record found/);
    await expectAccessible(ida);
    await expectKeyboardReachesAll(ida);
  });

  it('refuses an investigator the administrator’s pages, and signs out', async () => {
    const res = await ida.goto(`${node.url}/console/admin/users`);
    expect(res?.status()).toBe(403);
    await expect(ida.locator('h1').textContent()).resolves.toBe('Not allowed');
    await expectAccessible(ida);
    await Promise.all([ida.waitForURL(/\/console\/sign-in$/), activateByKeyboard(ida, 'sign-out')]);
    await ida.goto(`${node.url}/console/checks/new`);
    expect(new URL(ida.url()).pathname).toBe('/console/sign-in');
  });

  it('imports records: a bad row is listed and nothing written, then a good file', async () => {
    const context = await browser.newContext();
    try {
      const rory = await context.newPage();
      await signIn(rory, USERS.recordsOfficer);
      expect(new URL(rory.url()).pathname).toBe('/console/records');
      await expectAccessible(rory);
      await expectKeyboardReachesAll(rory);
      const officersCount = () =>
        rory.locator('#records-counts dt:text-is("Officers") + dd').textContent();
      await expect(officersCount()).resolves.toBe('0');

      await Promise.all([
        rory.waitForURL(/\/console\/records\/import$/),
        activateByKeyboard(rory, 'nav-import'),
      ]);
      await expectAccessible(rory);
      await expectKeyboardReachesAll(rory);
      const bad = [...OFFICERS, 'RPD-10009,Okafor,Paul,,,1972-13-40,,,,,2010-01-01,'].join('\n');
      await rory.selectOption('#kind', 'officers');
      await rory.setInputFiles('#file', csvFile('officers.csv', bad));
      await Promise.all([rory.waitForLoadState('load'), rory.click('#run-import')]);
      const issue = rory.locator('#import-issues tbody tr');
      await expect(issue.count()).resolves.toBe(1);
      await expect(issue.locator('td').allTextContents()).resolves.toEqual(
        expect.arrayContaining(['4', 'date_of_birth']),
      );
      await expect(rory.locator('main').textContent()).resolves.not.toContain('1972-13-40');
      // The list is tied to the file field, as a field's error is.
      await expect(rory.getAttribute('#file', 'aria-describedby')).resolves.toBe('file-error');
      await expect(rory.getAttribute('#file', 'aria-invalid')).resolves.toBe('true');
      await expectAccessible(rory);
      await rory.goto(`${node.url}/console/records`);
      await expect(officersCount()).resolves.toBe('0');

      await rory.goto(`${node.url}/console/records/import`);
      await rory.setInputFiles('#file', csvFile('officers.csv', OFFICERS.join('\n')));
      await Promise.all([rory.waitForLoadState('load'), rory.click('#run-import')]);
      await expect(rory.locator('#import-summary').textContent()).resolves.toContain(
        'Imported: 2 rows — 2 new',
      );
      await expectAccessible(rory);
      await rory.goto(`${node.url}/console/records`);
      await expect(officersCount()).resolves.toBe('2');
      // A records officer has no check pages.
      expect((await rory.goto(`${node.url}/console/checks/new`))?.status()).toBe(403);
    } finally {
      await context.close();
    }
  });

  it('the administrator’s pages pass axe and the keyboard walk', async () => {
    const context = await browser.newContext();
    try {
      const adam = await context.newPage();
      await signIn(adam, USERS.administrator);
      for (const path of ['/console/admin/users', '/console/admin/audit']) {
        const res = await adam.goto(`${node.url}${path}`);
        expect(res?.status()).toBe(200);
        await expectAccessible(adam);
        await expectKeyboardReachesAll(adam);
      }
      await expect(adam.locator('#audit').textContent()).resolves.toContain('sign in failed');
    } finally {
      await context.close();
    }
  });
});
