/**
 * The browser suite's harness (npm run test:browser; docs/hub.md "Browser tests"), shared by
 * every service's pages: Debian's chromium driven by playwright-core (no browser download), an
 * axe-core audit, and a keyboard walk.
 *
 * Chromium is /usr/bin/chromium, or SPX_CHROMIUM. Without it a run outside CI skips with a
 * message saying how to install it; in CI (CI set, as .ci/run sets it) a missing browser fails
 * the run — the suite must not pass by running nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PageDocument, PageElement, PageStyle, PageWindow } from './page-globals.js';

declare const document: PageDocument;
declare const window: PageWindow;
declare function getComputedStyle(element: PageElement): PageStyle;

export const CHROMIUM_PATH = process.env['SPX_CHROMIUM'] ?? '/usr/bin/chromium';

/** Whether the runs must have a browser: in CI, a missing one is a failure, not a skip. */
export const BROWSER_REQUIRED = (process.env['CI'] ?? '') !== '' && process.env['CI'] !== 'false';

/**
 * Why the browser suites cannot run here, or undefined when they can. Throws in CI: there a
 * missing browser is the defect.
 */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const message = `no chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (or set SPX_CHROMIUM)`;
  if (BROWSER_REQUIRED) throw new Error(`browser suite in CI: ${message}`);
  return message;
}

/** Launches the system chromium headless. As root (containers, CI) it runs without its sandbox. */
export function launchChromium(): Promise<Browser> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: asRoot ? ['--no-sandbox'] : [],
  });
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * axe-core's violations on the page (WCAG 2.1 A and AA rules) of the given impacts. The script
 * is evaluated through the DevTools protocol, which a page's CSP does not govern, so the pages
 * are audited under their real policy.
 */
export async function axeViolations(
  page: Page,
  impacts: readonly string[] = ['serious', 'critical'],
): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{
            violations: {
              id: string;
              impact: string | null;
              help: string;
              nodes: { target: unknown[] }[];
            }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document as unknown, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => String(n.target.join(' '))),
    }));
  });
  return violations.filter((v) => v.impact !== null && impacts.includes(v.impact));
}

/** One stop of the keyboard walk: what had focus, and whether it showed it. */
export interface FocusStop {
  /** `a[href=…]`, `select[name=…]`, `button:<text>`, … */
  readonly key: string;
  readonly tag: string;
  readonly href: string | null;
  readonly text: string;
  /** A visible focus indicator: an outline or a box shadow. */
  readonly indicated: boolean;
}

/**
 * Presses Tab from the top of the page until focus comes round again (or leaves the page), and
 * returns every element it stopped at, in order.
 */
export async function keyboardWalk(page: Page, maxStops = 300): Promise<FocusStop[]> {
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  const stops: FocusStop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (el === null || el === document.body) return null;
      const style = getComputedStyle(el);
      const tag = el.tagName.toLowerCase();
      const href = el.getAttribute('href');
      const name = el.getAttribute('name');
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 80);
      const path: string[] = [];
      for (let n: PageElement | null = el; n !== null && n !== document.body; n = n.parentElement) {
        path.unshift(
          `${n.tagName.toLowerCase()}:${Array.prototype.indexOf.call(n.parentElement?.children ?? [], n)}`,
        );
      }
      return {
        key: path.join('/'),
        tag,
        href,
        text: name === null ? text : `${name}`,
        indicated:
          (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
          style.boxShadow !== 'none',
      };
    });
    if (stop === null || seen.has(stop.key)) break;
    seen.add(stop.key);
    stops.push(stop);
  }
  return stops;
}

/** The hrefs of every link a person can see on the page, in document order. */
export async function visibleLinks(page: Page): Promise<string[]> {
  return page.$$eval('a[href]', (links) =>
    links
      .filter((a) => {
        const box = (a as unknown as PageElement).getBoundingClientRect();
        const skip = (a as unknown as PageElement).classList.contains('skip');
        return skip || (box.width > 0 && box.height > 0);
      })
      .map((a) => a.getAttribute('href')!),
  );
}

/** A readable list of axe violations for an assertion message. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`)
    .join('\n');
}
