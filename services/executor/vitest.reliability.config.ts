import { defineConfig } from 'vitest/config';

// One file at a time: each scenario loads the machine on purpose, and measures it.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 30_000,
  },
});
