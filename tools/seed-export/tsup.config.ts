import { defineConfig } from 'tsup';

export default defineConfig((options) => ({
  entry: ['src/cli.ts'],
  format: 'esm',
  target: 'node20',
  dts: false,
  clean: !options.watch,
}));
