import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Builds dist/ once (npm run build) for the end-to-end tests under test/e2e.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two test files at a time on the 2-core CI machine (vitest's default is cores - 1 = 1):
    // the suite takes about half the wall time and stays inside CI's 15 minutes.
    maxWorkers: 2,
  },
});
