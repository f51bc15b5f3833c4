import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/ports';
import { median } from './stats';

// `npm start` to /healthz 200, measured the way a user waits: the whole `npm start` (npm,
// the prestart freshness check, the compiled bot in demo mode), from spawn to the first 200,
// on an existing and on a fresh SQLite database; median of RUNS. The compiled entry alone
// (`node dist/start.js`) is measured beside it. Goals (issue #19): ≤ 1.5 s existing, ≤ 3 s fresh.

const ROOT = resolve(import.meta.dirname, '../..');
const RUNS = Number(process.env.STARTUP_RUNS ?? 5);

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

/** ms from spawn to the first /healthz 200, then stops the process group */
async function once(command: string[], databaseUrl: string, storage: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl, STORAGE_DIR: storage, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`);
      if (await healthy(port)) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error('no /healthz 200 within 60 s');
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

const fmt = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s (${xs.map((x) => (x / 1000).toFixed(2)).join(', ')})`;

export default async function () {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const storage = join(dir, 'files');
  const figures: Record<string, string> = {};
  try {
    const commands: Array<[string, string[]]> = [
      ['npm start', ['npm', 'start', '--silent']],
      ['node dist/start.js', [process.execPath, 'dist/start.js']],
    ];
    for (const [label, command] of commands) {
      const existing = `sqlite:${join(dir, `existing-${label.replace(/\W+/g, '-')}.db`)}`;
      await once(command, existing, storage); // creates and marks it (demo mode), loads the sample
      const onExisting: number[] = [];
      const onFresh: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        onExisting.push(await once(command, existing, storage));
        onFresh.push(await once(command, `sqlite:${join(dir, `fresh-${label.replace(/\W+/g, '-')}-${i}.db`)}`, storage));
      }
      figures[`${label} → /healthz, existing db (median; runs)`] = fmt(onExisting);
      figures[`${label} → /healthz, fresh db (median; runs)`] = fmt(onFresh);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'start-up (whole process, demo mode, SQLite)', figures };
}
