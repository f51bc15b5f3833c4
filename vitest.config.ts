import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// `npm run test:slow` (TEST_SLOW=1) runs only the tests that start bot processes, SIGKILL them
// mid-work and start the next one on the same database (files named *-crash.test.ts or
// *.slow.test.ts), after bundling those bots (test/support/compiled-workers.ts); they wait on
// leases and restarts more than they compute. `npm test` runs everything else; `.ci/run` both.
const SLOW_TESTS = ['test/**/*-crash.test.ts', 'test/**/*.slow.test.ts'];
const slow = process.env.TEST_SLOW === '1';

export default defineConfig({
  test: {
    include: slow ? SLOW_TESTS : ['test/**/*.test.ts'],
    exclude: slow ? configDefaults.exclude : [...configDefaults.exclude, ...SLOW_TESTS],
    globalSetup: ['test/support/global-setup.ts', 'test/support/compiled-workers.ts'],
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
