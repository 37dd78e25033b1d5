import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the suites that run the services as real processes through the built
// `spx` (test/e2e): the federation, log tampering, hub crashes, the federation with its hub on
// PostgreSQL and hub replicas (these two only with SPX_TEST_DATABASE_URL, a PostgreSQL server), a PostgreSQL restart under load (on a cluster of
// its own, where PostgreSQL's binaries are installed) and the packed tarball installed with production
// dependencies only. The global set-up builds dist/ first, once, so they run the current source.
const postgresUrl = process.env['SPX_TEST_DATABASE_URL'] ?? '';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/build.global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // The suites mostly wait on their services' processes: two files at once, and at most three
    // tampering scenes (test/e2e/log-tamper.ts) at once within the federation's file.
    maxWorkers: 2,
    maxConcurrency: 3,
    // The services' PGlite data directories stay in their folders; hub-replicas needs a server.
    env: { SPX_TEST_DATABASE_URL: '', SPX_E2E_POSTGRES_URL: postgresUrl },
  },
});
