/**
 * `npm run docs:screenshots`: saves a PNG of each public page of the seeded hub under
 * docs/screenshots/ (docs/hub.md shows them). Run only when SPX_SCREENSHOTS is set (see
 * vitest.browser.config.ts), by hand after a change to the pages.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserUnavailable, launchChromium } from './support.js';
import { startSeededHub, type ServedHub } from './hub-server.js';

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
