import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration test files share one platform and one of them restarts the gateway: run files one
    // at a time (tests inside a file are sequential anyway).
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          // React tests choose happy-dom in their file header.
          include: ['test/integration/**/*.test.ts', 'test/react/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
