import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/cleanup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files share a worker's loaded modules: importing the tree again for each of 120 files
    // was half of the suite's CPU. No module keeps mutable state (#13), so this is safe.
    isolate: false,
    // vitest's default is one worker on two cores; many files wait on child processes,
    // a browser or a database, so two keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default'],
  },
});
