import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

const ROOT = resolve(import.meta.dirname, '../..');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** What `npm start` and `npm run cert` run once tools/run.mjs has found them current (./global-setup.ts builds them for the suite). */
export const COMPILED_START = join(ROOT, 'dist/start.js');
export const COMPILED_CERT = join(ROOT, 'dist/cert.js');

/** Runs a command in the project folder with env on top of this process's, and never rejects. */
export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done) => {
    execFile(command, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * `cert <args>` as a process of its own, compiled as `npm run cert` runs it — through tsx,
 * each start cost two seconds of CPU transpiling the tree.
 */
export function certProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return runProcess(process.execPath, [COMPILED_CERT, ...args], env);
}
