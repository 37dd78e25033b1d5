import { defineConfig } from 'vitest/config';

// Suites that touch a database run on PGlite always, and a second time on a real PostgreSQL
// server when SPX_TEST_DATABASE_URL is set (CI sets it). Pure suites (crypto, protocol,
// conformance vectors) run once, and so does the end-to-end federation (test/e2e), whose
// separate service processes keep their PGlite data directories.
const postgresUrl = process.env['SPX_TEST_DATABASE_URL'] ?? '';
const databaseSuites = [
  'platform/**/*.test.ts',
  'node/**/*.test.ts',
  'hub/**/*.test.ts',
  'keyholder/**/*.test.ts',
  'bin/**/*.test.ts',
  'test/integration/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['{crypto,protocol,test}/**/*.test.ts', ...databaseSuites],
          exclude: ['node_modules/**', 'test/bench/**'],
          // Empty URL: PGlite for the test database helper; test/e2e/hub-replicas needs the server.
          env: { SPX_TEST_DATABASE_URL: '', SPX_E2E_POSTGRES_URL: postgresUrl },
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
                exclude: ['node_modules/**', 'test/bench/**', 'hub/statistics/disclosure/**'],
                env: { SPX_TEST_DATABASE_URL: postgresUrl },
              },
            },
          ]
        : []),
    ],
  },
});
