// The shared walk over an import workbook: find the table on whichever sheets carry it,
// hand each data row to the kind's reader, and collect every problem with its cell.
// Layout is forgiven here once (title rows, 序号, blank lines, trailing 合计/签字 lines,
// several sheets) so each reader only decides what the values mean.
import { cellAt, cellRef, findHeader, isTrailerRow, missingHeaderProblem } from '../xlsx/grid';
import { normaliseKey } from '../text';
import type { Grid, GridCell, HeaderMatch, HeaderSpec } from '../xlsx/grid';
import type { CellRef, InputProblem, Result } from '../model';

export interface TableRow<K extends string> {
  grid: Grid;
  /** 1-based sheet row */
  row: number;
  cell(key: K): GridCell;
  /** the cell's normalised text, '' when the column is absent */
  text(key: K): string;
  ref(key: K): CellRef;
  has(key: K): boolean;
}

export interface SheetTable<K extends string> {
  grid: Grid;
  header: HeaderMatch<K>;
  /** the first row after the header (a caller may move it past a sub-header row) */
  firstDataRow: number;
}

const NOTES_SHEET = '说明';

function nonEmpty(grid: Grid): boolean {
  return grid.rows.some((r) => r.some((c) => c.text !== ''));
}

/** How many required headers a sheet shows in its best row: a sheet close to the table is reported, not skipped. */
function requiredFound<K extends string>(grid: Grid, specs: HeaderSpec<K>[], scanRows = 20): number {
  const req = specs.filter((s) => s.required);
  let best = 0;
  for (let r = 1; r <= Math.min(scanRows, grid.rows.length); r++) {
    const keys = new Set((grid.rows[r - 1] ?? []).map((c) => normaliseKey(c.text)));
    best = Math.max(best, req.filter((s) => s.aliases.some((a) => keys.has(normaliseKey(a)))).length);
  }
  return best;
}

/**
 * Every sheet holding the table. A sheet without it is skipped (a 说明 sheet, a cover
 * page) unless it comes close — two or more required columns — which is reported,
 * since a class sheet missing one column must not be silently left out.
 */
export function locateTables<K extends string>(
  grids: Grid[],
  specs: HeaderSpec<K>[],
  opts: { sheetNames?: string[] } = {},
): Result<SheetTable<K>[]> {
  const wanted = opts.sheetNames?.map(normaliseKey);
  const candidates = grids.filter((g) => nonEmpty(g) && (wanted ? wanted.includes(normaliseKey(g.name)) : normaliseKey(g.name) !== NOTES_SHEET));
  const tables: SheetTable<K>[] = [];
  const problems: InputProblem[] = [];
  for (const grid of candidates) {
    const header = findHeader(grid, specs);
    if (header) tables.push({ grid, header, firstDataRow: header.row + 1 });
    else if (requiredFound(grid, specs) >= 2 || wanted) problems.push(missingHeaderProblem(grid, specs));
  }
  if (tables.length === 0 && problems.length === 0) {
    const first = candidates[0] ?? grids[0];
    if (first && nonEmpty(first)) problems.push(missingHeaderProblem(first, specs));
    else problems.push({ code: 'file.empty', sheet: first?.name, message: opts.sheetNames ? `找不到工作表「${opts.sheetNames.join('」或「')}」，或其中没有数据` : '文件中没有数据' });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: tables };
}

/**
 * The data rows of a located table: blank lines (and rows holding only a 序号) are
 * skipped, and a 合计 / signature / note line ends the table.
 */
export function dataRows<K extends string>(table: SheetTable<K>, ignore: NoInfer<K>[] = []): TableRow<K>[] {
  const { grid, header } = table;
  const used = Object.entries(header.columns)
    .filter(([k]) => !ignore.includes(k as K))
    .map(([, c]) => c as number);
  const out: TableRow<K>[] = [];
  for (let r = table.firstDataRow; r <= grid.rows.length; r++) {
    const cells = grid.rows[r - 1] ?? [];
    if (used.every((c) => cellAt(grid, r, c).text === '')) {
      if (cells.some((c) => c.text !== '') && isTrailerRow(cells)) break;
      continue;
    }
    if (isTrailerRow(cells)) break;
    out.push(makeRow(grid, r, header.columns));
  }
  return out;
}

function makeRow<K extends string>(grid: Grid, row: number, columns: Partial<Record<K, number>>): TableRow<K> {
  const col = (key: K) => columns[key];
  return {
    grid,
    row,
    has: (key) => col(key) !== undefined,
    cell: (key) => (col(key) === undefined ? { text: '', isNumber: false } : cellAt(grid, row, col(key)!)),
    text: (key) => (col(key) === undefined ? '' : cellAt(grid, row, col(key)!).text),
    ref: (key) => cellRef(grid, row, col(key) ?? 1),
  };
}

export function problemAt(ref: CellRef, code: string, message: string): InputProblem {
  return { code, sheet: ref.sheet, row: ref.row, column: ref.column, message };
}

/** "工作表 学生 第 3 行 C 列：…" — the way problems are printed and sent. */
export function formatProblem(p: InputProblem): string {
  if (p.sheet === undefined) return p.message;
  const where = [`工作表 ${p.sheet}`, p.row !== undefined ? `第 ${p.row} 行` : '', p.column !== undefined ? `${p.column} 列` : '']
    .filter(Boolean)
    .join(' ');
  return `${where}：${p.message}`;
}

/** The raw value a date or ID parser should see: a Date, the Excel number, or the text. */
export function rawValue(cell: GridCell): unknown {
  if (cell.date) return cell.date;
  if (cell.isNumber && cell.number !== undefined) return cell.number;
  return cell.text;
}

/** Non-negative whole number typed in a cell (number or text). */
export function parseCount(text: string): number | null {
  const s = text.replace(/\s+/g, '');
  return /^\d+$/.test(s) && s.length < 10 ? Number(s) : /^\d+\.0+$/.test(s) ? Number(s.split('.')[0]) : null;
}

/** Splits a list cell on 、 , ， ; ； / and line breaks. */
export function splitList(text: string): string[] {
  return text
    .split(/[、,，;；\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failed<T>(problems: InputProblem[]): Result<T> {
  return { ok: false, problems };
}
