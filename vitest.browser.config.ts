import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the pages in a real browser (test/browser) — Debian's chromium driven by
// playwright-core, with a service started in process on a port the OS picks. On PGlite, and a
// second time on PostgreSQL when SPX_TEST_DATABASE_URL is set. `npm run docs:screenshots`
// (SPX_SCREENSHOTS set) also saves the pages' screenshots under docs/screenshots/.
const postgresUrl = process.env['SPX_TEST_DATABASE_URL'] ?? '';
const include = ['test/browser/**/*.test.ts'];
const exclude = process.env['SPX_SCREENSHOTS'] ? [] : ['test/browser/screenshots.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One browser at a time on a small machine.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: { name: 'browser-pglite', include, exclude, env: { SPX_TEST_DATABASE_URL: '' } },
      },
      ...(postgresUrl && !process.env['SPX_SCREENSHOTS']
        ? [
            {
              extends: true as const,
              test: {
                name: 'browser-postgres',
                include,
                // The harness's own test needs no database: once is enough.
                exclude: ['test/browser/screenshots.test.ts', 'test/browser/support.test.ts'],
                env: { SPX_TEST_DATABASE_URL: postgresUrl },
              },
            },
          ]
        : []),
    ],
  },
});
