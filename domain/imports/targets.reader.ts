// 任务分配表 (seed 000 附件1): each college's yearly targets. The seed groups 总计 and
// 其中高级及以上 under a merged 取证人数（人） header on two rows; a flat header with
// 取证人数总计 works too.
import { cellRef } from '../xlsx/grid';
import { normaliseKey, normaliseText } from '../text';
import type { Grid, HeaderSpec } from '../xlsx/grid';
import type { CollegeTarget, InputProblem, IsoDate, Result } from '../model';
import { dataRows, failed, locateTables, ok, parseCount, problemAt } from './table';
import type { SheetTable, TableRow } from './table';

type Key = 'seq' | 'year' | 'college' | 'graduates' | 'training' | 'group' | 'certified' | 'advanced' | 'xCertified';

const CERTIFIED = ['取证人数总计', '取证总计'];
const ADVANCED = ['其中高级及以上', '取证人数其中高级及以上', '高级及以上', '其中高级及以上人数'];

export const TARGET_COLUMNS: HeaderSpec<Key>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'year', aliases: ['年度', '年份'], required: false },
  { key: 'college', aliases: ['院(系)', '学院', '二级学院', '院系'], required: true },
  { key: 'graduates', aliases: ['毕业生人数'], required: true },
  { key: 'training', aliases: ['培训任务', '培训任务人次'], required: true },
  { key: 'group', aliases: ['取证人数'], required: false },
  { key: 'certified', aliases: CERTIFIED, required: false },
  { key: 'advanced', aliases: ADVANCED, required: false },
  { key: 'xCertified', aliases: ['1+X证书取证人数', '1+X取证人数', '1+X证书取证'], required: false },
];

export interface TargetReadOptions {
  today: IsoDate;
  /** --year: applies where the sheet has no 年度 column; must agree with a year in the title */
  year?: number;
  /** used when neither a 年度 column, --year nor a title year says which year */
  defaultYear?: number;
  colleges?: string[];
}

/** A grouped header puts 总计 / 其中高级及以上 on the row under 取证人数. */
function resolveGroupedHeader(table: SheetTable<Key>): void {
  const { grid, header } = table;
  if (header.columns.certified !== undefined && header.columns.advanced !== undefined) return;
  const sub = grid.rows[header.row] ?? [];
  sub.forEach((cell, i) => {
    const k = normaliseKey(cell.text);
    if (k === '总计' || CERTIFIED.map(normaliseKey).includes(k)) header.columns.certified ??= i + 1;
    if (ADVANCED.map(normaliseKey).includes(k)) header.columns.advanced ??= i + 1;
  });
  if (sub.some((c) => c.text !== '') && (header.columns.certified !== undefined || header.columns.advanced !== undefined)) {
    table.firstDataRow = header.row + 2;
  }
}

/** "任务分配表（2024 年）" above the header names the year of the whole sheet. */
function titleYear(grid: Grid, headerRow: number): { year: number; row: number } | null {
  for (let r = 1; r < headerRow; r++) {
    for (const cell of grid.rows[r - 1] ?? []) {
      const m = /(20\d{2})\s*年/.exec(normaliseText(cell.text));
      if (m) return { year: Number(m[1]), row: r };
    }
  }
  return null;
}

function count(row: TableRow<Key>, key: Key, label: string, problems: InputProblem[], optional = false): number | null {
  const text = row.text(key);
  if (text === '' && optional) return null;
  const n = parseCount(text);
  if (n === null) {
    problems.push(problemAt(row.ref(key), 'target.count', text === '' ? `${label}为空` : `${label}「${text}」应为不小于 0 的整数`));
  }
  return n;
}

export function readTargets(grids: Grid[], opts: TargetReadOptions): Result<CollegeTarget[]> {
  const located = locateTables(grids, TARGET_COLUMNS);
  if (!located.ok) return located;
  const problems: InputProblem[] = [];
  const out: CollegeTarget[] = [];
  const seen = new Map<string, string>();
  for (const table of located.value) {
    resolveGroupedHeader(table);
    const { grid, header } = table;
    for (const [key, label] of [['certified', '取证人数总计'], ['advanced', '其中高级及以上']] as const) {
      if (header.columns[key] === undefined) {
        problems.push({ code: 'header.missing', ...cellRef(grid, header.row, 1), message: `找不到表头：缺少列“${label}”（可写成“取证人数”下分“总计”“其中高级及以上”两列）` });
      }
    }
    if (problems.length) continue;

    const fromTitle = titleYear(grid, header.row);
    if (header.columns.year === undefined && fromTitle && opts.year !== undefined && fromTitle.year !== opts.year) {
      problems.push({ code: 'target.year_conflict', ...cellRef(grid, fromTitle.row, 1), message: `标题写的是 ${fromTitle.year} 年，但命令指定了 --year ${opts.year}，请核对` });
      continue;
    }
    const sheetYear = opts.year ?? fromTitle?.year ?? opts.defaultYear;

    for (const row of dataRows(table, ['seq'])) {
      const before = problems.length;
      let year = sheetYear ?? null;
      if (row.has('year')) {
        const m = /^(\d{4})年?度?$/.exec(row.text('year').replace(/\s+/g, ''));
        year = m ? Number(m[1]) : null;
        if (!year) problems.push(problemAt(row.ref('year'), 'target.year', `年度「${row.text('year')}」应写成 2024`));
        else if (opts.year !== undefined && year !== opts.year) {
          problems.push(problemAt(row.ref('year'), 'target.year_conflict', `年度 ${year} 与命令指定的 --year ${opts.year} 不一致`));
        }
      } else if (year === null) {
        problems.push(problemAt(row.ref('college'), 'target.year', '不知道这是哪一年的任务：请加“年度”列，或在命令中用 --year 指定'));
      }
      const college = row.text('college');
      if (college === '') problems.push(problemAt(row.ref('college'), 'target.college', '院（系）为空'));
      else if (opts.colleges && !opts.colleges.some((c) => normaliseKey(c) === normaliseKey(college))) {
        problems.push(problemAt(row.ref('college'), 'target.college_unknown', `学院「${college}」不在学院名单中（${opts.colleges.join('、')}）`));
      }
      const graduates = count(row, 'graduates', '毕业生人数', problems);
      const training = count(row, 'training', '培训任务（人次）', problems);
      const certified = count(row, 'certified', '取证人数总计', problems);
      const advanced = count(row, 'advanced', '其中高级及以上', problems);
      const xCertified = row.has('xCertified') ? count(row, 'xCertified', '1+X 证书取证人数', problems, true) : null;
      if (certified !== null && advanced !== null && advanced > certified) {
        problems.push(problemAt(row.ref('advanced'), 'target.advanced', `其中高级及以上 ${advanced} 人多于取证人数总计 ${certified} 人`));
      }
      if (problems.length > before || year === null || graduates === null || training === null || certified === null || advanced === null) continue;
      const name = opts.colleges?.find((c) => normaliseKey(c) === normaliseKey(college)) ?? college;
      const key = `${year}|${normaliseKey(name)}`;
      const where = `工作表 ${grid.name} 第 ${row.row} 行`;
      const prev = seen.get(key);
      if (prev) {
        problems.push(problemAt(row.ref('college'), 'target.duplicate', `${name} ${year} 年的任务与${prev}重复`));
        continue;
      }
      seen.set(key, where);
      out.push({ year, college: name, graduates, training, certified, advanced, xCertified });
    }
  }
  if (problems.length) return failed(problems);
  return ok(out);
}

