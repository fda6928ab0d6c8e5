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
    // One worker per core: Vitest's default leaves a core free (one worker on a two-core
    // machine), but integration and browser tests spend much of their time waiting on
    // PostgreSQL's backends and on Chromium, in processes of their own (ADR 065).
    maxWorkers: '100%',
    // A worker keeps the modules it has loaded from one test file to the next, instead of a
    // new process for each file that evaluates the server's modules again (about 1.4 s a file).
    // A file that replaces a module (vi.mock) loads what uses it afresh (vi.resetModules).
    isolate: false,
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: true,
  },
});
