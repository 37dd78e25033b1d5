/** The harness itself: it must see what it exists to catch, or its passes mean nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  browserUnavailable,
  keyboardWalk,
  launchChromium,
  visibleLinks,
} from './support.js';

const unavailable = browserUnavailable();
if (unavailable !== undefined) console.warn(`skipping the browser harness's tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('the browser harness', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(() => browser?.close());

  it('reports a serious violation: an image without a text alternative', async () => {
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>',
    );
    const violations = await axeViolations(page);
    expect(violations.map((v) => v.id)).toContain('image-alt');
  });

  it('finds a link the keyboard cannot reach, and a focus with no indicator', async () => {
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><head><title>t</title><style>a:focus{outline:none}</style></head>' +
        '<body><main><a href="/one">one</a> <a href="/two" tabindex="-1">two</a></main></body></html>',
    );
    const stops = await keyboardWalk(page);
    const reached = stops.map((s) => s.href);
    expect(reached).toEqual(['/one']);
    expect(await visibleLinks(page)).toEqual(['/one', '/two']);
    expect(stops[0]?.indicated).toBe(false);
  });
});
