import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A few tests write PDFs over a real connection: slower on CI's two busy cores.
    testTimeout: 20_000,
  },
});
