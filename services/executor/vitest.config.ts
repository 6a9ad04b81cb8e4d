import { configDefaults, defineConfig } from 'vitest/config';

// The reliability suite is its own run (`pnpm test:reliability`): it loads the machine on purpose.
export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, 'test/reliability/**'],
  },
});
