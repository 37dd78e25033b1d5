/**
 * The hub's public pages in a real browser (issue 13 part 4): the statistics page shows the
 * release's numbers and charts, the CSV downloads with the signed bytes, every page passes
 * axe-core without serious or critical violations, and the keyboard alone reaches every link
 * and works the agencies filter.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SITE_NAV } from '../../hub/pages/layout.js';
import {
  axeViolations,
  browserUnavailable,
  describeViolations,
  keyboardWalk,
  launchChromium,
  visibleLinks,
} from './support.js';
import { startSeededHub, type ServedHub } from './hub-server.js';
import type { PageDocument } from './page-globals.js';

declare const document: PageDocument;

const unavailable = browserUnavailable();
if (unavailable !== undefined) console.warn(`skipping the hub's browser tests: ${unavailable}`);

const PAGES = ['/', '/statistics', '/coverage', '/compliance', '/log', '/agencies'];

describe.skipIf(unavailable !== undefined)("the hub's public pages in chromium", () => {
  let hub: ServedHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startSeededHub(), launchChromium()]);
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('show the statistics with their charts and the release numbers', async () => {
    const res = await page.goto(`${hub.url}/statistics`);
    expect(res?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('Released statistics — Safe Policing Exchange');
    // Three charts, each an image with a name, each followed by its table.
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBe(3);
    for (const name of await charts.evaluateAll((svgs) =>
      svgs.map((s) => s.getAttribute('aria-labelledby')),
    )) {
      expect(name).toMatch(/^chart-\w+-title chart-\w+-desc$/);
    }
    const row = (label: string) =>
      page.locator('tr', { has: page.locator(`th[scope="row"]`, { hasText: label }) }).first();
    await expect(row('Termination').locator('td').first().textContent()).resolves.toBe('9');
    await expect(row('Decertification').locator('td').first().textContent()).resolves.toBe(
      'suppressed',
    );
    // The suppressed bar is not drawn; its label says so in the chart too.
    expect(await page.locator('svg text', { hasText: 'suppressed' }).count()).toBeGreaterThan(0);
  });

  it('download the CSV, the same bytes as the signed release', async () => {
    await page.goto(`${hub.url}/statistics`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the release as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('spx-statistics-2026-05-02T00-00-00Z.csv');
    const bytes = await readFile((await download.path())!);
    const api = Buffer.from(
      await (await hub.fx.app.request('/v1/statistics?format=csv')).arrayBuffer(),
    );
    expect(bytes.equals(api)).toBe(true);
    expect(bytes.toString('utf8')).toMatch(/^category,year,level,state,count,suppressed\r\n/);
  });

  it.each(PAGES)('%s has no serious or critical accessibility violation', async (path) => {
    const res = await page.goto(`${hub.url}${path}`);
    expect(res?.status()).toBe(200);
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it.each(PAGES)('%s: the keyboard reaches every link, with a visible focus', async (path) => {
    await page.goto(`${hub.url}${path}`);
    const stops = await keyboardWalk(page);
    const reached = stops.filter((s) => s.href !== null).map((s) => s.href);
    expect(reached).toEqual(await visibleLinks(page));
    expect(stops[0]?.text).toBe('Skip to content');
    for (const item of SITE_NAV) expect(reached).toContain(item.href);
    expect(stops.filter((s) => !s.indicated).map((s) => s.key)).toEqual([]);
  });

  it('skip link moves the keyboard to the content', async () => {
    await page.goto(`${hub.url}/statistics`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });

  it('the CSV downloads with the keyboard alone', async () => {
    await page.goto(`${hub.url}/statistics`);
    const stops = await keyboardWalk(page);
    const index = stops.findIndex((s) => s.href === '/statistics.csv');
    expect(index).toBeGreaterThanOrEqual(0);
    await page.evaluate(() => document.activeElement?.blur());
    for (let i = 0; i <= index; i++) await page.keyboard.press('Tab');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  });

  it('the agencies filter works with the keyboard alone', async () => {
    await page.goto(`${hub.url}/agencies`);
    const stops = await keyboardWalk(page);
    const level = stops.findIndex((s) => s.tag === 'select' && s.text === 'level');
    expect(level).toBeGreaterThanOrEqual(0);
    await page.evaluate(() => document.activeElement?.blur());
    for (let i = 0; i <= level; i++) await page.keyboard.press('Tab');
    // Choose "Tribal" by typing, as a keyboard user does on a closed select.
    await page.keyboard.type('Tribal');
    await page.keyboard.press('Tab'); // state
    await page.keyboard.press('Tab'); // the button
    await Promise.all([page.waitForURL(/\/agencies\?level=tribal/), page.keyboard.press('Enter')]);
    const names = await page.locator('tbody th[scope="row"]').allTextContents();
    expect(names).toEqual(['Salt River Police Department']);
  });

  it('a bad parameter gets a readable page, not a blank one', async () => {
    const res = await page.goto(`${hub.url}/log?days=1000`);
    expect(res?.status()).toBe(400);
    await expect(page.locator('main').textContent()).resolves.toContain(
      'days: a whole number from 1 to 366',
    );
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });
});
