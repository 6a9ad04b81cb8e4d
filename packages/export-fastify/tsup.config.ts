import { defineConfig } from 'tsup';

// In watch mode, keep dist in place so a running executor never sees it empty.
export default defineConfig((options) => ({
  entry: ['src/index.ts'],
  format: 'esm',
  target: 'node20',
  dts: true,
  clean: !options.watch,
}));
