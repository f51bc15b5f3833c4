import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `cert score` as a whole process, the way a user waits for it — from the shell command to
// the exit — and the floor beside it (score-floor.mjs: a plain `node` process that reads the
// workbook with exceljs's streaming reader and writes three forms of the same rows).
// Shared by cert-score.bench.ts (our own workbook) and unseen.bench.ts (other writers').

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
const TIME = '/usr/bin/time';

export interface Run {
  ms: number;
  rssMb: number | null;
  stdout: string;
}

/** Wall time and the peak RSS of the largest process in the tree (GNU time's %M); a failure throws. */
export function timed(command: string, env: NodeJS.ProcessEnv): Run {
  const withTime = existsSync(TIME);
  const t0 = performance.now();
  const r = spawnSync(withTime ? TIME : 'sh', withTime ? ['-f', 'RSS_KB=%M', 'sh', '-c', command] : ['-c', command], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} exited ${r.status}: ${r.stderr}`);
  const kb = /RSS_KB=(\d+)/.exec(r.stderr ?? '');
  return { ms, rssMb: kb ? Number(kb[1]) / 1024 : null, stdout: r.stdout };
}

/**
 * The commands measured, for a scratch folder `dir`: exactly what a user types
 * (`npm run --silent cert -- score …`: npm, its freshness check of dist/, the compiled
 * command), the same script without npm, and the floor. Any rebuild happens here.
 */
export function scoreCommands(dir: string): {
  env: NodeJS.ProcessEnv;
  script: string;
  ours(file: string): string;
  /** the run whose answer is checked: --json on stdout, the forms in `out` */
  report(file: string, out: string): string;
  withoutNpm(file: string): string;
  floor(file: string): string;
} {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  // what `npm run cert` runs (a pre-step, if a future package.json has one, included)
  const script = scripts.precert ? `${scripts.precert} > /dev/null && ${scripts.cert!}` : scripts.cert!;
  timed('npm run --silent cert -- help > /dev/null 2>&1', process.env);
  const env = {
    ...process.env,
    PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
    DATABASE_URL: `sqlite:${join(dir, 'cert.sqlite')}`,
  };
  const args = (file: string) => `score ${file} --scheme cbec --out ${join(dir, 'out')} > /dev/null 2>&1`;
  return {
    env,
    script,
    ours: (file) => `npm run --silent cert -- ${args(file)}`,
    report: (file, out) => `npm run --silent cert -- score ${file} --scheme cbec --date 2024-05-31 --out ${out} --json 2>/dev/null`,
    withoutNpm: (file) => `${script} ${args(file)}`,
    floor: (file) => `node ${join(here, 'score-floor.mjs')} ${file} ${join(dir, 'floor')}`,
  };
}
