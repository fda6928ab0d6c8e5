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
    // expect.poll waits 1 s by default: too short for a browser page to load while
    // CI runs the whole suite on two cores (an e2e poll failed on that alone).
    // A poll still ends as soon as its condition holds.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 120_000,
    pool: 'forks',
    // On the embedded database, one worker per core: Vitest's default leaves a core free (one
    // worker on a two-core machine), but the browser tests spend much of their time waiting on
    // Chromium, in processes of its own. On PostgreSQL, one at a time: every file's database
    // is on one server, whose transaction ids all share, and the audit seal's horizon waits
    // for every older transaction on the server, a neighbour's too (ADR 065).
    maxWorkers: process.env.TEST_DATABASE_URL ? 1 : '100%',
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: true,
  },
});
