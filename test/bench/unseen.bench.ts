import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbook } from '../../domain/xlsx/open-workbook';
import { cohort, ours, VARIANTS, type Variant } from '../fixtures/foreign-workbooks';
import { foreignWriters } from '../fixtures/foreign-writers';
import { median } from './stats';
import { root, scoreCommands, timed } from './whole-process';

// Issue 19: "measured side by side with an independent floor on workbooks this project has
// never seen". The bench cohort written by other programs and in other legal shapes of the
// format (test/fixtures/foreign-workbooks.ts, and LibreOffice, openpyxl and XlsxWriter when
// this machine has them), each checked and then timed as cert-score.bench.ts times ours:
// - correct: `cert score --json` gives the same students as for exceljs's writing of the same
//   rows, and the three forms it writes hold the same cells; a variant meant to be refused
//   is refused at the cell it names;
// - speed: the whole process against the floor on the same file, runs alternating, the
//   ratio the median of the pairs. Where exceljs's own reader cannot read the file, or reads
//   none of its rows, the floor runs on our own writing of the same rows instead, and the
//   table says so; where it reads a different number of rows (empty ones), it says that too.
// BENCH_VARIANTS=a,b picks variants; BENCH_SIZES=45,12700 and BENCH_RUNS=5 are the defaults.

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '45,12700').split(',').map(Number);
const PICK = process.env.BENCH_VARIANTS?.split(',');

interface Answer {
  code: number;
  /** the students as --json lists them, or the errors of a refusal */
  json: { students: unknown[]; errors: Array<{ sheet?: string; row?: number; column?: string; message: string }> } | null;
  /** every form's cells, by file name */
  forms: Record<string, string[][]>;
}

async function answer(command: string, env: NodeJS.ProcessEnv, out: string): Promise<Answer> {
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync('sh', ['-c', command], { cwd: root, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  let json: Answer['json'] = null;
  try {
    json = JSON.parse(r.stdout) as Answer['json'];
  } catch {
    // no JSON is its own wrong answer
  }
  const forms: Answer['forms'] = {};
  for (const f of readdirSafe(out)) {
    const opened = await openWorkbook(readFileSync(join(out, f)), f);
    if (opened.ok) forms[f] = opened.value.flatMap((g) => g.rows.map((row) => row.map((c) => c.text)));
  }
  return { code: r.status ?? 1, json, forms };
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** 'yes', or what differs from the answer for our own writing of the same rows. */
function verdict(v: Variant, got: Answer, want: Answer): string {
  if (v.refused) {
    const e = got.json?.errors[0];
    if (got.code !== 2 || !e) return `NO: not refused (exit ${got.code})`;
    if (e.row !== v.refused.row || e.column !== v.refused.column || !e.sheet) return `NO: refused at ${e.sheet}!${e.column}${e.row}`;
    if (Object.keys(got.forms).length > 0) return 'NO: refused but wrote forms';
    return `yes, refused: [${e.sheet} 第${e.row}行 ${e.column}列] ${e.message.slice(0, 40)}…`;
  }
  if (got.code !== 0 || !got.json) return `NO: exit ${got.code}${got.json?.errors[0] ? `: ${got.json.errors[0].message}` : ''}`;
  if (JSON.stringify(got.json.students) !== JSON.stringify(want.json!.students)) {
    const i = got.json.students.findIndex((s, k) => JSON.stringify(s) !== JSON.stringify(want.json!.students[k]));
    return `NO: student ${i} is ${JSON.stringify(got.json.students[i])}, ours ${JSON.stringify(want.json!.students[i])}`;
  }
  if (JSON.stringify(got.forms) !== JSON.stringify(want.forms)) return 'NO: the forms differ';
  return 'yes';
}

export default async function (): Promise<Array<{ name: string; figures: Record<string, string | number> }>> {
  const dir = mkdtempSync(join(tmpdir(), 'unseen-bench-'));
  try {
    const { env, ours: oursCommand, floor, report } = scoreCommands(dir);
    const writers = foreignWriters();
    const variants = [{ name: 'ours', about: "exceljs's streaming writer: the workbook every other bench uses", write: ours }, ...VARIANTS, ...writers.available].filter(
      (v) => !PICK || v.name === 'ours' || PICK.includes(v.name),
    );
    const reports: Array<{ name: string; figures: Record<string, string | number> }> = [
      {
        name: 'unseen workbooks: the variants',
        figures: {
          ...Object.fromEntries(variants.map((v) => [v.name, v.about])),
          'writers not on this machine': writers.missing.join(', ') || 'none',
        },
      },
    ];
    for (const students of SIZES) {
      const c = cohort(students);
      const figures: Record<string, string | number> = {};
      let want: Answer | null = null;
      const ratios: number[] = [];
      for (const v of variants) {
        const file = join(dir, `${v.name}-${students}.xlsx`);
        writeFileSync(file, await v.write(c));
        // also the warm-up: the first run on the empty database loads the built-in scheme
        const got = await answer(report(file, join(dir, 'checked')), env, join(dir, 'checked'));
        want ??= got;
        const correct = verdict(v, got, want);
        let floorRead: string;
        let rowsRead = 0;
        try {
          rowsRead = Number(timed(floor(file), env).stdout.trim());
          floorRead = rowsRead === students ? 'reads all rows' : `reads ${rowsRead} rows of ${students}`;
        } catch (e) {
          floorRead = `cannot read it (${(e as Error).message.split('\n').find((l) => /Error/.test(l))?.trim().slice(0, 60) ?? 'exit ≠ 0'})`;
        }
        if (v.refused) {
          figures[v.name] = `correct: ${correct} | floor ${floorRead}`;
          continue;
        }
        // where exceljs reads nothing of the file, the floor runs on our writing of the same rows
        const floorFile = rowsRead > 0 ? file : join(dir, `ours-${students}.xlsx`);
        timed(oursCommand(file), env);
        const pairs = Array.from({ length: RUNS }, () => ({ floor: timed(floor(floorFile), env).ms, ours: timed(oursCommand(file), env).ms }));
        const ratio = median(pairs.map((p) => p.ours / p.floor));
        if (floorRead === 'reads all rows') ratios.push(ratio);
        figures[v.name] =
          `correct: ${correct} | ours ${Math.round(median(pairs.map((p) => p.ours)))} ms, floor ${Math.round(median(pairs.map((p) => p.floor)))} ms, ` +
          `ratio ${ratio.toFixed(2)} | floor ${floorRead}${floorFile === file ? '' : ', so timed on ours'}`;
      }
      figures['worst ratio where the floor reads the same rows'] = ratios.length ? Math.max(...ratios).toFixed(2) : 'n/a';
      reports.push({ name: `unseen workbooks, whole cert score: ${students} students (median of ${RUNS} paired runs)`, figures });
    }
    return reports;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
