import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    // The kernels' compiled copies (src/optimizers/generated), rebuilt from the kernels as written.
    globalSetup: ['test/setup/kernels.ts'],
    // Two cores here: two workers keep the whole suite near the 3-minute budget.
    maxWorkers: 2,
    testTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
