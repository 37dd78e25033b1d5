import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{crypto,protocol,platform,node,hub,bin,test}/**/*.test.ts'],
    exclude: ['node_modules/**', 'test/bench/**'],
    testTimeout: 30_000,
  },
});
