/**
 * `npm run docs:screenshots`: saves a PNG of each public page of the seeded hub, and of the
 * node console's main pages (test/browser/node-server.ts), under docs/screenshots/ (docs/hub.md
 * and docs/node.md show them). Run only when SPX_SCREENSHOTS is set (see
 * vitest.browser.config.ts), by hand after a change to the pages.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserUnavailable, launchChromium } from './support.js';
import { startSeededHub, type ServedHub } from './hub-server.js';
import {
  CLEAN,
  PASSWORD,
  PLANTED,
  startConsoleNode,
  USERS,
  type ServedNode,
} from './node-server.js';

const OUT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const SHOTS = [
  ['hub-statistics', '/statistics'],
  ['hub-coverage', '/coverage'],
  ['hub-compliance', '/compliance'],
  ['hub-log', '/log'],
  ['hub-agencies', '/agencies'],
] as const;

describe.skipIf(browserUnavailable() !== undefined)('screenshots of the hub pages', () => {
  let hub: ServedHub;
  let browser: Browser;
  beforeAll(async () => {
    [hub, browser] = await Promise.all([startSeededHub(), launchChromium()]);
    await mkdir(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it.each(SHOTS)('%s', async (name, path) => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const res = await page.goto(`${hub.url}${path}`);
    expect(res?.status()).toBe(200);
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    await page.close();
  });
});

describe.skipIf(browserUnavailable() !== undefined)('screenshots of the node console', () => {
  let node: ServedNode;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) =>
    page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    [node, browser] = await Promise.all([startConsoleNode(), launchChromium()]);
    await mkdir(OUT, { recursive: true });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.close();
  });

  async function signIn(login: string) {
    await page.goto(`${node.url}/console/sign-in`);
    await page.fill('#login', login);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/console\/(?!sign-in)/), page.click('#sign-in')]);
  }

  it('the investigator’s pages', async () => {
    await page.goto(`${node.url}/console/sign-in`);
    await shot('node-sign-in');
    await signIn(USERS.investigator);
    // The form with an error beside its field.
    await page.fill('#firstName', PLANTED.firstName);
    await page.fill('#lastName', PLANTED.lastName);
    await page.fill('#dob', '1988-14-03');
    await page.fill('#ssn', PLANTED.ssn);
    await page.fill('#consentRef', 'CONSENT-2025-17');
    await page.fill('#candidateRef', 'BG-2025-0042');
    await Promise.all([page.waitForLoadState('load'), page.click('#run-check')]);
    await page.waitForSelector('#dob-error');
    await shot('node-check-form');
    await page.fill('#dob', PLANTED.dob);
    await Promise.all([
      page.waitForURL(/\/console\/checks\/[0-9a-f-]{36}$/),
      page.click('#run-check'),
    ]);
    await shot('node-check-result');
    await Promise.all([page.waitForURL(/\/print$/), page.click('#print-link')]);
    await page.emulateMedia({ media: 'print' });
    await shot('node-check-print');
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${node.url}/console/batches/new`);
    await page.setInputFiles('#file', {
      name: 'applicants.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'first_name,last_name,date_of_birth,ssn,consent_ref,case_ref',
          `${PLANTED.firstName},${PLANTED.lastName},${PLANTED.dob},${PLANTED.ssn},CONSENT-3,BATCH-C`,
          `${CLEAN.firstName},${CLEAN.lastName},${CLEAN.dob},${CLEAN.ssn},CONSENT-4,BATCH-D`,
        ].join('\n'),
      ),
    });
    await Promise.all([page.waitForURL(/\/console\/batches\/[^/]+$/), page.click('#run-batch')]);
    await page.locator('#batch-progress', { hasText: 'Finished:' }).waitFor({ timeout: 45_000 });
    await shot('node-batch');
    await page.goto(`${node.url}/console/checks`);
    await shot('node-past-checks');
    await page.click('#sign-out');
  });

  it('the records officer’s import with a bad row', async () => {
    await signIn(USERS.recordsOfficer);
    await shot('node-records');
    await page.goto(`${node.url}/console/records/import`);
    await page.setInputFiles('#file', {
      name: 'officers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date',
          'RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05',
          'RPD-10009,Okafor,Paul,,,1972-13-40,,,,,2010-01-01,',
        ].join('\n'),
      ),
    });
    await Promise.all([page.waitForLoadState('load'), page.click('#run-import')]);
    expect(await page.locator('#import-issues tbody tr').count()).toBe(1);
    await shot('node-import-issues');
  });
});
