import { defineConfig } from 'vitest/config';

// `pnpm test:container`, never part of `pnpm test`: it builds an image (minutes from nothing).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    // The first build on a new machine makes the base image too.
    hookTimeout: 20 * 60_000,
  },
});
