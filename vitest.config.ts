import { defineConfig } from 'vitest/config';

// One suite, two kinds of test file:
//   core/**, contracts/**  — pure unit and property tests (no database)
//   test/**, server/**     — integration tests on a migrated database
//                            (PGlite by default, PostgreSQL with TEST_DATABASE_URL)
export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'contracts/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'web/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: true,
  },
});
