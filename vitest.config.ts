import { defineConfig } from 'vitest/config';

// Two cores on CI: run test files in two forks at most and give slow, real-process
// tests (servers, browsers, training) room without making unit tests wait.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
