import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // type-graphql loads graphql's CommonJS build; vitest would otherwise load the ESM one
  // and the two copies reject each other's schema objects ("another module or realm").
  // Deep imports (graphql/execution/collectFields.js) resolve to the same CommonJS build.
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      { find: /^graphql\/(.*)$/, replacement: `${require.resolve('graphql').replace(/index\.js$/, '')}$1` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup-file.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration files each own their database; running two at once on 2 cores is the sweet spot.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
