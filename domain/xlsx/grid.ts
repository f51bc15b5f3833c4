import type { InputProblem } from '../model';
import { normaliseKey, normaliseText } from '../text';

// Imports are forgiving about layout and strict about meaning (DESIGN.md): a sheet
// is first turned into a plain grid of trimmed, normalised texts, so every reader
// (grades, students, schemes, …) deals with one shape whatever the teacher sent.

export interface GridCell {
  /** the text as a person reads it: trimmed, full-width folded (NFKC), inner runs of spaces collapsed */
  text: string;
  /** the cell held a number (Excel numeric cell), not text */
  isNumber: boolean;
  /** the raw number when isNumber */
  number?: number;
  /** the cell held a date */
  date?: Date;
}

export interface Grid {
  name: string;
  /** rows[0] is sheet row 1; rows[r][c] is column c+1 */
  rows: GridCell[][];
}

const EMPTY: GridCell = { text: '', isNumber: false };

/** 1 → A, 27 → AA: the column as Excel names it. */
export function columnLetter(index1: number): string {
  let n = index1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function cellRef(grid: Grid, row: number, col: number): { sheet: string; row: number; column: string } {
  return { sheet: grid.name, row, column: columnLetter(col) };
}

export function cellAt(grid: Grid, row: number, col: number): GridCell {
  return grid.rows[row - 1]?.[col - 1] ?? EMPTY;
}

/** A UTF-8 (BOM optional) or GB18030 CSV as one grid; quoted fields with commas and newlines. */
export function loadCsvGrid(buf: Buffer, name = 'CSV'): Grid {
  let text: string;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    text = utf8.decode(buf);
  } catch {
    text = new TextDecoder('gb18030').decode(buf);
  }
  text = text.replace(/^\ufeff/, '');
  const rows: GridCell[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row.map(csvCell));
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row.map(csvCell));
  }
  return { name, rows };
}

function csvCell(s: string): GridCell {
  const text = normaliseText(s);
  // CSV exported from Excel carries scientific notation as text; keep it recognisable as a number
  if (/^-?\d+(\.\d+)?(E\+?\d+)?$/i.test(text) && /E/i.test(text)) return { text: text.toUpperCase(), isNumber: true, number: Number(text) };
  return { text, isNumber: false };
}

export interface HeaderSpec<K extends string> {
  key: K;
  /** accepted header texts (compared with normaliseKey) */
  aliases: string[];
  required: boolean;
}

export interface HeaderMatch<K extends string> {
  row: number;
  columns: Partial<Record<K, number>>;
  /** other non-empty header cells: column → text */
  extra: Map<number, string>;
}

/**
 * Finds the header row among the first `scanRows` rows: the first row holding every
 * required header. Title rows, blank rows and notes above it are ignored.
 */
export function findHeader<K extends string>(
  grid: Grid,
  specs: HeaderSpec<K>[],
  scanRows = 20,
): HeaderMatch<K> | null {
  const wanted = specs.map((s) => ({ ...s, keys: s.aliases.map(normaliseKey) }));
  const limit = Math.min(scanRows, grid.rows.length);
  for (let r = 1; r <= limit; r++) {
    const cells = grid.rows[r - 1] ?? [];
    const columns: Partial<Record<K, number>> = {};
    const extra = new Map<number, string>();
    cells.forEach((cell, i) => {
      if (!cell.text) return;
      const k = normaliseKey(cell.text);
      const hit = wanted.find((w) => columns[w.key] === undefined && w.keys.includes(k));
      if (hit) columns[hit.key] = i + 1;
      else extra.set(i + 1, cell.text);
    });
    if (wanted.every((w) => !w.required || columns[w.key] !== undefined)) return { row: r, columns, extra };
  }
  return null;
}

/** The problem to report when findHeader found nothing: names the missing columns. */
export function missingHeaderProblem<K extends string>(grid: Grid, specs: HeaderSpec<K>[], scanRows = 20): InputProblem {
  // report against the row that came closest, so the message points somewhere useful
  let best = { row: 1, found: -1, missing: specs.filter((s) => s.required).map((s) => s.aliases[0]!) };
  const limit = Math.min(scanRows, grid.rows.length);
  for (let r = 1; r <= limit; r++) {
    const keys = new Set((grid.rows[r - 1] ?? []).map((c) => normaliseKey(c.text)));
    const req = specs.filter((s) => s.required);
    const missing = req.filter((s) => !s.aliases.some((a) => keys.has(normaliseKey(a)))).map((s) => s.aliases[0]!);
    const found = req.length - missing.length;
    if (found > best.found) best = { row: r, found, missing };
  }
  return {
    code: 'header.missing',
    sheet: grid.name,
    row: best.row,
    column: 'A',
    message: `找不到表头：缺少列 ${best.missing.map((m) => `“${m}”`).join('、')}（在前 ${scanRows} 行中查找）`,
  };
}

/** A row that closes a table: blank, or a 合计 / signature / note line. */
export function isTrailerRow(cells: GridCell[]): boolean {
  const texts = cells.map((c) => c.text).filter(Boolean);
  if (texts.length === 0) return true;
  const first = normaliseKey(texts[0]!);
  return /^(合计|总计|小计|制表|审核|负责人|签字|盖章|日期|备注|注[:：]|说明|职业技能等级认定技术组|二级学院|院\(系\))/.test(first);
}
