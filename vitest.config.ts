import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // Vitest's results cache (test order by last duration) outside node_modules: a write there makes
  // npm's record of node_modules stale, and every later npm/npx command then rereads the whole tree.
  cacheDir: 'reports/.cache/vite',
  // examples/ import optimlab by its public names, as an outside package does; in the tests those
  // names resolve to the sources (the built package resolves them to dist/ through "exports").
  resolve: {
    alias: [
      { find: /^optimlab\/laws$/, replacement: here('./properties/api.ts') },
      { find: /^optimlab\/reference$/, replacement: here('./reference/api.ts') },
      { find: /^optimlab\/bench$/, replacement: here('./benchmarks/api.ts') },
      { find: /^optimlab$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts', 'examples/**/*.test.ts'],
    // The kernels' compiled copies (src/optimizers/generated), rebuilt from the kernels as written.
    globalSetup: ['test/setup/kernels.ts'],
    // Two cores here: two workers keep the whole suite near the 3-minute budget.
    maxWorkers: 2,
    testTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
    // `npx vitest run --coverage`: V8's own counts. The kernels run as their generated copies
    // (src/optimizers/generated/*.js, included so that their counts are read), whose source maps
    // carry every statement back to the kernel in its optimizer file.
    coverage: {
      // V8's counts (@vitest/coverage-v8), the kernels' copies added up: see test/setup/coverage.ts.
      provider: 'custom',
      customProviderModule: './test/setup/coverage.ts',
      include: ['src/**/*.ts', 'src/optimizers/generated/*.js'],
      exclude: ['src/**/*.d.ts'],
      reporter: ['text', 'json-summary', 'json', 'html'],
    },
  },
});
