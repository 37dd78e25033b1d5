import { defineConfig } from 'vitest/config';

// `npm test`: the fast suite, in process (unit and integration). Suites that touch a database
// run on PGlite always, and a second time on a real PostgreSQL server when SPX_TEST_DATABASE_URL
// is set (CI sets it); pure suites (crypto, protocol, conformance vectors) run once. The suites
// that start real service processes are in vitest.e2e.config.ts (`npm run test:e2e`), the browser
// suites in vitest.browser.config.ts (`npm run test:browser`).
const postgresUrl = process.env['SPX_TEST_DATABASE_URL'] ?? '';
const databaseSuites = [
  'platform/**/*.test.ts',
  'node/**/*.test.ts',
  'hub/**/*.test.ts',
  'keyholder/**/*.test.ts',
  'bin/**/*.test.ts',
];
const exclude = ['node_modules/**', 'dist/**', 'test/bench/**', 'test/e2e/**', 'test/browser/**'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['{crypto,protocol,body,test}/**/*.test.ts', ...databaseSuites],
          exclude,
          // Empty URL: PGlite for the test database helper.
          env: { SPX_TEST_DATABASE_URL: '' },
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: databaseSuites,
                // Pure maths inside hub/: once is enough.
                exclude: [...exclude, 'hub/statistics/disclosure/**'],
                env: { SPX_TEST_DATABASE_URL: postgresUrl },
              },
            },
          ]
        : []),
    ],
  },
});
