// `npm run cert -- import <kind> <file>`: read the whole file, report every problem with
import { cliOperator } from './operator';
// its cell and write nothing, or write everything in one transaction. A re-import of the
// same file changes nothing; a changed row updates in place.
import { createReadStream, existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { loadConfig } from '../config';
import { systemClock } from '../clock';
import { openStore, type Repositories, type Store } from '../../db/store';
import { isEmpty, loadSample, SAMPLE_COLLEGES } from '../../db/sample';
import { readCertificates } from '../../domain/imports/certificates.reader';
import { readRoles } from '../../domain/imports/roles.reader';
import { readSchemes } from '../../domain/imports/schemes.reader';
import { readStudents } from '../../domain/imports/students.reader';
import { readTargets } from '../../domain/imports/targets.reader';
import { formatProblem } from '../../domain/imports/table';
import { IMPORT_KINDS, IMPORT_KIND_LABEL, isImportKind, type ImportKind } from '../../domain/imports/templates';
import type { Grid } from '../../domain/xlsx/grid';
import { openWorkbook } from '../../domain/xlsx/open-workbook';
import type { InputProblem, IsoDate } from '../../domain/model';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export type ImportOutcome = { ok: true; counts: ImportCounts; rows: number } | { ok: false; problems: InputProblem[] };

export interface ImportOptions {
  today: IsoDate;
  /** --year for targets */
  year?: number;
  /** who ran it, for the audit log */
  actor: string;
  fileName: string;
}

type Prepared = { rows: number; write: (tx: Repositories) => Promise<ImportCounts> };

/** Reads and checks the file against what the database knows; nothing is written here. */
async function prepare(store: Pick<Store, 'colleges' | 'students' | 'campaigns'>, kind: ImportKind, grids: Grid[], opts: ImportOptions): Promise<{ ok: true; value: Prepared } | { ok: false; problems: InputProblem[] }> {
  const known = await store.colleges.list();
  // an empty database gets the sample (with its colleges) just before writing, so check against those
  const colleges = known.length ? known : SAMPLE_COLLEGES;
  switch (kind) {
    case 'schemes': {
      const r = readSchemes(grids, { today: opts.today, colleges });
      if (!r.ok) return r;
      return {
        ok: true,
        value: {
          rows: r.value.length,
          write: async (tx) => {
            const counts = { created: 0, updated: 0, unchanged: 0 };
            for (const s of r.value) counts[await tx.schemes.upsert(s)]++;
            return counts;
          },
        },
      };
    }
    case 'students': {
      const r = readStudents(grids, { today: opts.today, colleges });
      if (!r.ok) return r;
      return { ok: true, value: { rows: r.value.length, write: (tx) => tx.students.upsertMany(r.value) } };
    }
    case 'certificates': {
      const first = readCertificates(grids, { today: opts.today });
      if (!first.ok) return first;
      const onRecord = await store.students.listByNumbers(first.value.map((c) => c.studentNo));
      const r = readCertificates(grids, { today: opts.today, students: new Map(onRecord.map((s) => [s.studentNo, s.name])) });
      if (!r.ok) return r;
      return { ok: true, value: { rows: r.value.length, write: (tx) => tx.certificates.upsertMany(r.value) } };
    }
    case 'targets': {
      const campaign = await store.campaigns.current();
      const r = readTargets(grids, { today: opts.today, colleges, year: opts.year, defaultYear: campaign?.year ?? Number(opts.today.slice(0, 4)) });
      if (!r.ok) return r;
      return { ok: true, value: { rows: r.value.length, write: (tx) => tx.targets.upsertMany(r.value) } };
    }
    case 'roles': {
      const r = readRoles(grids, { colleges });
      if (!r.ok) return r;
      return { ok: true, value: { rows: r.value.length, write: (tx) => tx.roles.upsertMany(r.value) } };
    }
  }
}

/** All or nothing: every problem comes back and nothing is written, or every row is written in one transaction. */
export async function importGrids(store: Store, kind: ImportKind, grids: Grid[], opts: ImportOptions): Promise<ImportOutcome> {
  const prepared = await prepare(store, kind, grids, opts);
  if (!prepared.ok) return prepared;
  if (await isEmpty(store)) await loadSample(store, { today: opts.today, demo: false });
  const counts = await store.transaction(async (tx) => {
    const c = await prepared.value.write(tx);
    await tx.audit.record({
      actorOpenId: opts.actor,
      actorName: null,
      action: `import.${kind}`,
      entity: kind,
      entityId: opts.fileName,
      detail: { file: opts.fileName, rows: prepared.value.rows, ...c },
    });
    return c;
  });
  return { ok: true, counts, rows: prepared.value.rows };
}

/** What the import left for the center: new drafts, and changes to approved schemes waiting as drafts. */
async function reportSchemeReview(store: Pick<Store, 'schemes'>): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const s of await store.schemes.list()) {
    if (s.status === 'draft') out(`方案 ${s.code}（${s.major}）为草稿，认定中心审核通过前只能预览：npm run cert -- scheme approve ${s.code}`);
  }
  for (const d of await store.schemes.listDrafts()) {
    out(`方案 ${d.code} 已审核，本次修改成为第 ${d.version} 版草稿，审核通过前仍按第 ${d.version - 1} 版认定。修改内容：`);
    for (const c of d.changes) out(`  - ${c}`);
  }
}

/** .xlsx or .csv into grids; anything else (or a damaged file) is a user problem, not a crash. */
export async function loadImportFile(path: string): Promise<{ ok: true; grids: Grid[] } | { ok: false; message: string }> {
  if (!existsSync(path)) return { ok: false, message: `找不到文件：${path}` };
  const ext = extname(path).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') return { ok: false, message: `只支持 .xlsx 或 .csv 文件（.xls 请在 Excel 中另存为 .xlsx）：${path}` };
  const opened = await openWorkbook(createReadStream(path), basename(path));
  if (!opened.ok) return { ok: false, message: opened.problems.map((p) => p.message).join('；') };
  return { ok: true, grids: opened.value };
}

const USAGE = `用法：npm run cert -- import <${IMPORT_KINDS.join('|')}> <文件.xlsx|.csv> [--year 年度]`;

export async function run(args: string[]): Promise<number> {
  const positional: string[] = [];
  let year: number | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--year') {
      const v = args[++i] ?? '';
      if (!/^\d{4}$/.test(v)) {
        process.stderr.write(`--year 应为四位年份，如 2024\n${USAGE}\n`);
        return 2;
      }
      year = Number(v);
    } else positional.push(args[i]!);
  }
  const [kind, file] = positional;
  if (!kind || !isImportKind(kind) || !file || positional.length > 2) {
    process.stderr.write(`${kind && !isImportKind(kind) ? `未知的导入类型：${kind}\n` : ''}${USAGE}\n`);
    return 2;
  }
  if (year !== undefined && kind !== 'targets') {
    process.stderr.write(`--year 只用于 targets\n${USAGE}\n`);
    return 2;
  }
  const loaded = await loadImportFile(file);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    return 2;
  }
  const store = await openStore(loadConfig().databaseUrl);
  try {
    const outcome = await importGrids(store, kind, loaded.grids, {
      today: systemClock.today(),
      year,
      actor: cliOperator().openId,
      fileName: basename(file),
    });
    if (!outcome.ok) {
      process.stderr.write(`${IMPORT_KIND_LABEL[kind]}导入失败：发现 ${outcome.problems.length} 个问题，未写入任何数据。\n`);
      for (const p of outcome.problems) process.stderr.write(`${formatProblem(p)}\n`);
      return 2;
    }
    const { created, updated, unchanged } = outcome.counts;
    process.stdout.write(`${IMPORT_KIND_LABEL[kind]}导入完成（${outcome.rows} 条）：新增 ${created}，更新 ${updated}，未变 ${unchanged}\n`);
    if (kind === 'schemes') await reportSchemeReview(store);
    return 0;
  } finally {
    await store.close();
  }
}
