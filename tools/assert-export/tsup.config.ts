import { defineConfig } from 'tsup';

// One self-contained script with no runtime dependencies: `node dist/cli.js` is all it takes.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: 'esm',
  target: 'node20',
  clean: true,
});
