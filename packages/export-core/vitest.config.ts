import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Some tests write and read back PDFs of thousands of rows: on a loaded machine (CI's two
    // cores, busy with other packages' tests) that can take longer than the default 5 s.
    testTimeout: 30_000,
  },
});
