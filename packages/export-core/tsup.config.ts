import { defineConfig } from 'tsup';

// In watch mode, keep dist in place so a running executor never sees it empty.
export default defineConfig((options) => ({
  // The worker is an entry of its own: a pool starts it by its path, beside index.js.
  entry: { index: 'src/index.ts', 'export-worker': 'src/pool/export-worker.ts' },
  format: 'esm',
  target: 'node20',
  dts: true,
  clean: !options.watch,
}));
