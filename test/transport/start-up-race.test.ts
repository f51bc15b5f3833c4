import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { graduationYearOf } from '../../domain/campaign';
import { beijingDate } from '../../domain/time';
import { SAMPLE_COLLEGES, SAMPLE_ROLES, sampleStudents } from '../../db/sample';
import { openStore } from '../../db/store';
import { COMPILED_START } from '../support/cli';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { until } from '../support/e2e';

// Three `npm start` processes (demo mode, so the demo roster is loaded too) started at once on
// one empty database: all three come up, and the database holds one copy of everything —
// migrations and reference data load under a database lock.

const ROOT = resolve(import.meta.dirname, '../..');
const WAIT_MS = 60_000;
const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});
afterAll(async () => {
  await cleanupDatabases();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function start(databaseUrl: string, storage: string): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, [COMPILED_START], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DEMO: '1', DATABASE_URL: databaseUrl, STORAGE_DIR: storage, PORT: '0', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const ready = until(
    () => /http:\/\/localhost:(\d+)\/sim/.exec(out)?.[1] ?? (child.exitCode !== null ? `exited: ${out}` : undefined),
    'instance up',
    WAIT_MS,
  );
  return { child, ready };
}

describe.each(testDatabases())('three instances starting together on one empty $name database', ({ emptyUrl }) => {
  it('all come up, with one copy of the reference data and the demo roster', { timeout: 120_000 }, async () => {
    const databaseUrl = await emptyUrl();
    const storage = mkdtempSync(join(tmpdir(), 'start-race-'));
    dirs.push(storage);
    const instances = [start(databaseUrl, storage), start(databaseUrl, storage), start(databaseUrl, storage)];
    const ports = await Promise.all(instances.map((i) => i.ready));
    for (const port of ports) {
      expect(port).toMatch(/^\d+$/);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    }
    const store = await openStore(databaseUrl);
    try {
      expect((await store.colleges.list()).sort()).toEqual([...SAMPLE_COLLEGES].sort());
      expect((await store.schemes.list()).map((s) => s.code)).toEqual(['cbec']);
      // the demo opens the campaign of the current graduation year
      expect((await store.campaigns.list()).map((c) => c.year)).toEqual([graduationYearOf(beijingDate(new Date()))]);
      expect(await store.students.count()).toBe(sampleStudents().length);
      const roles = await Promise.all((['student', 'college', 'center', 'office', 'admin'] as const).map((r) => store.roles.listByRole(r)));
      expect(roles.flat().map((r) => r.openId).sort()).toEqual(SAMPLE_ROLES.map((r) => r.openId).sort());
      expect(store.opened).toMatchObject({ demo: expect.any(String), sample: expect.any(String), schema: expect.any(String) });
    } finally {
      await store.close();
    }
    for (const { child } of instances) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
