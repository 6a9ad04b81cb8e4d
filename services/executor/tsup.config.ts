import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/app.ts', 'src/server.ts'],
  format: 'esm',
  target: 'node20',
  dts: true,
  clean: true,
});
