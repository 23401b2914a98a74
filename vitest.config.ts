import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: the e2e suites start real etcd clusters on fixed loopback addresses.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
