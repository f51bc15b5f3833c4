import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Store } from '../../db/store';
import { withStore, type TestDatabase } from './databases';

// Command-line tests run the command in-process: each test gets a fresh database through
// DATABASE_URL (as `npm run cert` would read it) and sees only what it printed itself.
// Call inside the `describe.each(testDatabases())` body; it registers the hooks.

export interface InProcessCli {
  /** what the command wrote to stdout in this test, one entry per write */
  readonly out: string[];
  /** what the command wrote to stderr in this test */
  readonly err: string[];
  /** a folder for the suite's workbooks */
  readonly dir: string;
  /** opens this test's database, runs fn, and always closes it */
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
}

export function inProcessCli(db: TestDatabase, dirPrefix: string): InProcessCli {
  const out: string[] = [];
  const err: string[] = [];
  beforeEach(async () => {
    process.env.DATABASE_URL = await db.url();
    out.length = 0;
    err.length = 0;
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.DATABASE_URL;
  });
  return {
    out,
    err,
    dir: mkdtempSync(join(tmpdir(), dirPrefix)),
    withStore: (fn) => withStore(process.env.DATABASE_URL!, fn),
  };
}
