import { defineConfig } from 'vitest/config';

/** Browser tests: the real product in headless Debian Chromium (see .ci/run). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
