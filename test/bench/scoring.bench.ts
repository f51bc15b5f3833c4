import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { writeCompositeForm } from '../../domain/forms/composite.xlsx';
import { writeSkillForm } from '../../domain/forms/skill-scores.xlsx';
import { writeTheoryForm } from '../../domain/forms/theory-scores.xlsx';
import { scoreWorkbook } from '../../domain/scoring-run';
import { workbookType } from '../../domain/upload-guard';
import { readGradeWorkbook } from '../../domain/workbook/grade-workbook.reader';
import { schemeCourses } from '../../domain/workbook/grade-sheet.layout';
import { openWorkbook } from '../../domain/xlsx/open-workbook';
import { BORDER, FONT_NAME } from '../../domain/xlsx/layout';
import { cbecScheme } from '../unit/engine/cbec.fixture';
import { median } from './stats';

// A whole graduating year of one college's grade workbook (12,700 students × the 10
// distinct cbec courses) the way the bot handles an upload: the file's bytes → guard →
// read → validate → score → 附件4/5/6. The floor is what exceljs itself needs for the
// same file: stream-read it, then stream-write three workbooks of the same rows and
// columns with the same per-column styles, so the ratio compares like with like.
// Each side runs once to warm up and three times measured, interleaved; figures are medians.

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 12_700);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const scheme = cbecScheme();
const courses = schemeCourses(scheme);
const applicationDate = '2024-05-31';

async function streamed(useStyles: boolean, build: (wb: ExcelJS.stream.xlsx.WorkbookWriter) => void): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => out.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles, useSharedStrings: false });
  build(wb);
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

function score(i: number, c: number): number | string {
  const n = (i * 7 + c * 13) % 61;
  if (n === 0 && c === 3) return '缺考';
  if (n === 1) return '良好';
  return 39 + n + (c % 2 === 0 ? 0.5 : 0);
}

export async function generate(students: number): Promise<Buffer> {
  return streamed(false, (wb) => {
    const ws = wb.addWorksheet('电子商务2020级');
    ws.addRow(['财经学院 电子商务专业 2020级 课程成绩册']).commit();
    ws.addRow(['序号', '学号', '姓名', '班级', ...courses]).commit();
    for (let i = 0; i < students; i++) {
      ws.addRow([i + 1, String(2020000000 + i), `学生${i}`, `电商20${String(i % 40).padStart(2, '0')}`, ...courses.map((_, c) => score(i, c))]).commit();
    }
    ws.addRow([]).commit();
    ws.addRow(['任课教师签字：']).commit();
  });
}

const STEPS = ['file', 'guard', 'read', 'validate', 'score', 'forms', 'total'] as const;
type Step = (typeof STEPS)[number];

async function ours(path: string): Promise<{ ms: Record<Step, number>; cpuMs: number; students: number; bytes: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const buf = await readFile(path);
  const t1 = performance.now();
  const guarded = workbookType(buf, 'grades.xlsx');
  if (!guarded.ok) throw new Error(guarded.problems[0]!.message);
  const t2 = performance.now();
  // the guard proper (real inflated bytes, rows, cells) runs inside the read it limits
  const opened = await openWorkbook(buf, 'grades.xlsx');
  if (!opened.ok) throw new Error(opened.problems[0]!.message);
  const grids = opened.value;
  const t3 = performance.now();
  const read = readGradeWorkbook(grids, scheme, { today: applicationDate });
  if (!read.ok) throw new Error(read.problems[0]!.message);
  const t4 = performance.now();
  const run = scoreWorkbook({ workbook: read.value, scheme, certificates: [], roster: null, applicationDate });
  if (!run.ok) throw new Error(run.problems[0]!.message);
  const t5 = performance.now();
  const forms = [await writeTheoryForm(run.value), await writeSkillForm(run.value), await writeCompositeForm(run.value)];
  const t6 = performance.now();
  return {
    ms: { file: t1 - t0, guard: t2 - t1, read: t3 - t2, validate: t4 - t3, score: t5 - t4, forms: t6 - t5, total: t6 - t0 },
    cpuMs: cpuMs(process.cpuUsage(cpu)),
    students: run.value.students.length,
    bytes: forms.reduce((n, f) => n + f.length, 0),
  };
}

/** The data-cell style a form column gets, as addTableSheet lays it out. */
function floorStyle(kind: 'text' | 'integer' | 'decimal2' | undefined): Partial<ExcelJS.Style> {
  const numFmt = kind === 'text' ? '@' : kind === 'integer' ? '0' : kind === 'decimal2' ? '0.00' : undefined;
  return Object.freeze({
    ...(numFmt ? { numFmt } : {}),
    border: BORDER,
    font: { name: FONT_NAME, size: 10, bold: false },
    alignment: { vertical: 'middle', horizontal: kind === 'text' || !kind ? 'center' : 'right' },
  } as Partial<ExcelJS.Style>);
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

async function floor(path: string): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const buf = await readFile(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const rows: unknown[][] = [];
  for await (const ws of reader) {
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) rows.push((row.values as unknown[]).slice(1));
  }
  const data = rows.slice(2, -1);
  // the same shape of output: 18 columns twice (附件4/5), 10 columns once (附件6), styled per column
  for (const width of [18, 18, 10]) {
    const styles = Array.from({ length: width }, (_, c) => floorStyle(c === 0 ? 'integer' : c === 1 ? 'text' : c === width - 3 ? 'decimal2' : undefined));
    await streamed(true, (wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['title']).commit();
      ws.addRow(Array.from({ length: width }, (_, i) => `h${i}`)).commit();
      for (let i = 0; i < data.length; i++) {
        const r = data[i]!;
        const xr = ws.getRow(i + 3);
        for (let c = 0; c < width; c++) {
          const cell = xr.getCell(c + 1);
          cell.value = (c === 0 ? i + 1 : (r[c % r.length] ?? null)) as ExcelJS.CellValue;
          cell.style = styles[c]!;
        }
        xr.commit();
      }
    });
  }
  return { ms: performance.now() - t0, cpuMs: cpuMs(process.cpuUsage(cpu)) };
}

/**
 * Peak memory of one upload as the bot would see it: a fresh process that reads, guards,
 * scores and writes the forms once (or runs the floor once) and reports its maxRSS —
 * nothing else that ran in the bench process (generating the workbook, other benches)
 * counts against it.
 */
function freshProcessRssMb(side: 'ours' | 'floor', path: string): number {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_SCORING_CHILD: side, BENCH_SCORING_FILE: path },
    encoding: 'utf8',
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('{"rssMb"'));
  if (child.status !== 0 || !line) throw new Error(`bench child (${side}) failed: ${child.stderr}`);
  return (JSON.parse(line) as { rssMb: number }).rssMb;
}

if (process.env.BENCH_SCORING_CHILD) {
  const side = process.env.BENCH_SCORING_CHILD;
  const path = process.env.BENCH_SCORING_FILE!;
  await (side === 'ours' ? ours(path) : floor(path));
  process.stdout.write(`${JSON.stringify({ rssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

export default async function (): Promise<{ name: string; figures: Record<string, string | number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'scoring-bench-'));
  try {
    const path = join(dir, 'grades.xlsx');
    const buf = await generate(STUDENTS);
    writeFileSync(path, buf);

    await ours(path); // warm-up: JIT and module caches
    const rssOneRunMb = process.resourceUsage().maxRSS / 1024;
    await floor(path);
    // interleaved, so that other load on the machine falls on both sides alike
    const runs: Awaited<ReturnType<typeof ours>>[] = [];
    const floors: Awaited<ReturnType<typeof floor>>[] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await ours(path));
      floors.push(await floor(path));
    }
    const rssMb = process.resourceUsage().maxRSS / 1024;
    const freshOurs = Array.from({ length: RUNS }, () => freshProcessRssMb('ours', path));
    const freshFloor = Array.from({ length: RUNS }, () => freshProcessRssMb('floor', path));

    const step = (s: Step) => Math.round(median(runs.map((r) => r.ms[s])));
    const total = median(runs.map((r) => r.ms.total));
    const floorMs = median(floors.map((f) => f.ms));
    return {
      name: `scoring: ${STUDENTS} students × ${courses.length} courses`,
      figures: {
        'workbook size (KB)': Math.round(buf.length / 1024),
        'file bytes (ms)': step('file'),
        'guard (ms)': step('guard'),
        'read (ms)': step('read'),
        'validate (ms)': step('validate'),
        'score (ms)': step('score'),
        'forms 附件4/5/6 (ms)': step('forms'),
        [`end to end (ms, median of ${RUNS})`]: Math.round(total),
        'end to end runs (ms)': runs.map((r) => Math.round(r.ms.total)).join(' / '),
        'goal end to end (ms)': '< 2000',
        [`peak RSS of one upload in a fresh process (MB, max of ${RUNS})`]: Math.round(Math.max(...freshOurs)),
        'goal peak RSS (MB)': '< 300',
        [`peak RSS of the floor in a fresh process (MB, max of ${RUNS})`]: Math.round(Math.max(...freshFloor)),
        'peak RSS of this bench process (MB: generating the workbook, warm-up, after one run / after all runs)': `${Math.round(rssOneRunMb)} / ${Math.round(rssMb)}`,
        [`floor: file + exceljs stream read + 3 styled stream writes (ms, median of ${RUNS})`]: Math.round(floorMs),
        'floor runs (ms)': floors.map((f) => Math.round(f.ms)).join(' / '),
        'CPU time, ours / floor (ms, medians; less sensitive to other load)': `${Math.round(median(runs.map((r) => r.cpuMs)))} / ${Math.round(median(floors.map((f) => f.cpuMs)))}`,
        'ratio to floor (medians)': (total / floorMs).toFixed(2),
        'ratio to floor (median of paired runs)': median(runs.map((r, i) => r.ms.total / floors[i]!.ms)).toFixed(2),
        'goal ratio': '≤ 1.5',
        'students scored': runs[0]!.students,
        'forms written (KB)': Math.round(runs[0]!.bytes / 1024),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
