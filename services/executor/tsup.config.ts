import { defineConfig } from 'tsup';

// `pnpm dev` skips the declarations: only other apps importing build() need them.
export default defineConfig((options) => ({
  entry: ['src/app.ts', 'src/server.ts'],
  format: 'esm',
  target: 'node20',
  dts: !options.watch,
  clean: !options.watch,
}));
