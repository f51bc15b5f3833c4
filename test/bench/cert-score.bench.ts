import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './scoring.bench';
import { median } from './stats';
import { scoreCommands, timed, type Run } from './whole-process';

// Issue 19: `cert score` as a whole process, the way a user waits for it — from the shell
// command to the exit — against a floor on the same file in the same run: a plain `node`
// process that reads the workbook with exceljs's streaming reader and writes three forms
// of the same rows (score-floor.mjs). Runs alternate floor / ours, so other load on the
// machine falls on both alike; figures are medians, the ratio the median of the pairs.
// The command is exactly what a user types, `npm run --silent cert -- score …` (npm, its
// freshness check of dist/, the compiled command); the same script without npm is measured
// beside it, so npm's own start-up shows as the difference.

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

export default async function (): Promise<Array<{ name: string; figures: Record<string, string | number> }>> {
  const dir = mkdtempSync(join(tmpdir(), 'cert-score-bench-'));
  try {
    const { env, script, ours, withoutNpm, floor } = scoreCommands(dir);

    const reports = [];
    let freshDb: Run | null = null;
    for (const students of [45, 12_700]) {
      const file = join(dir, `grades-${students}.xlsx`);
      writeFileSync(file, await generate(students));
      // the first command on an empty database loads the built-in scheme: that is its own figure
      if (!freshDb) freshDb = timed(ours(file), env);
      timed(floor(file), env);
      timed(ours(file), env);
      const pairs: Array<{ ours: Run; floor: Run; withoutNpm: Run }> = [];
      for (let i = 0; i < RUNS; i++) pairs.push({ floor: timed(floor(file), env), ours: timed(ours(file), env), withoutNpm: timed(withoutNpm(file), env) });
      const peak = (xs: Array<number | null>) => (xs.every((x) => x !== null) ? Math.round(Math.max(...(xs as number[]))) : 'n/a');
      const goal = students === 45 ? { ratio: '≤ 1.5', rss: '—' } : { ratio: '≤ 1.2', rss: '≤ 250' };
      reports.push({
        name: `cert score, whole process: ${students} students`,
        figures: {
          command: 'npm run --silent cert -- score <file> --scheme cbec',
          [`ours (ms, median of ${RUNS})`]: Math.round(median(pairs.map((p) => p.ours.ms))),
          [`floor (ms, median of ${RUNS})`]: Math.round(median(pairs.map((p) => p.floor.ms))),
          'ours runs (ms)': pairs.map((p) => Math.round(p.ours.ms)).join(' / '),
          'floor runs (ms)': pairs.map((p) => Math.round(p.floor.ms)).join(' / '),
          'ratio (median of paired runs)': median(pairs.map((p) => p.ours.ms / p.floor.ms)).toFixed(2),
          [`without npm: ${script} (ms, median; ratio)`]: `${Math.round(median(pairs.map((p) => p.withoutNpm.ms)))}; ${median(pairs.map((p) => p.withoutNpm.ms / p.floor.ms)).toFixed(2)}`,
          'goal ratio': goal.ratio,
          'peak RSS, ours / floor (MB, max of runs)': `${peak(pairs.map((p) => p.ours.rssMb))} / ${peak(pairs.map((p) => p.floor.rssMb))}`,
          'goal peak RSS (MB)': goal.rss,
          ...(students === 45 && freshDb ? { 'first run on an empty database (ms)': Math.round(freshDb.ms) } : {}),
        },
      });
    }
    return reports;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
