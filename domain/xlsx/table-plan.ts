// The conventions staff expect in every workbook we write (DESIGN.md "Spreadsheet
// conventions"): a merged title row, 序号 first, 学号/身份证号/phone as text, a 合计
// row straight after the data, signature lines, A4 print setup, and no cell that a
// spreadsheet program could take for a formula. Laid out here once as plain data, so the
// same table comes out alike from the exceljs workbook (layout.ts) and from our own
// writer of large forms (table-workbook.ts).

export type CellKind = 'text' | 'integer' | 'decimal2' | 'money' | 'general';

export interface ColumnSpec<R> {
  header: string;
  /** a second header row under a group header, e.g. 已取得证书 → 证书编号 / 取证时间 */
  group?: string;
  width: number;
  kind?: CellKind;
  value: (row: R, index: number) => string | number | null | undefined;
}

export interface TableSheetSpec<R> {
  name: string;
  title: string;
  /** lines under the title, e.g. 年级/专业：… 申报职业（工种）：… */
  subtitles?: string[];
  columns: ColumnSpec<R>[];
  rows: readonly R[];
  /** a 合计 row straight after the data: values by column header */
  total?: { label: string; values: Record<string, string | number> };
  /** lines after the data, e.g. 合计（大写）：… */
  notes?: string[];
  /** signature labels, e.g. ['制表人', '审核人', '负责人', '盖章', '日期'] */
  signatures?: string[];
  /** a last line spread like the signatures, as written: 二级学院（盖章）：年 月 日 … */
  closing?: string[];
  landscape?: boolean;
}

/** What a cell looks like, in the few terms our forms use. */
export interface CellStyle {
  size: number;
  bold: boolean;
  horizontal: 'left' | 'center' | 'right';
  vertical: 'middle' | 'bottom';
  wrap: boolean;
  /** thin black lines all round */
  border: boolean;
  /** the light grey of header cells */
  fill: boolean;
  numFmt?: string;
}

export type PlainValue = string | number | null;

export interface PlannedCell {
  col: number;
  value: PlainValue;
  style: CellStyle;
}

export interface PlannedRow {
  row: number;
  height?: number;
  cells: PlannedCell[];
}

/** A table sheet laid out: rows before and after the data as cells, the data as columns to fill. */
export interface TablePlan<R> {
  name: string;
  widths: number[];
  before: PlannedRow[];
  data: { firstRow: number; rows: readonly R[]; columns: ColumnSpec<R>[]; styles: CellStyle[] };
  after: PlannedRow[];
  /** [firstRow, firstCol, lastRow, lastCol], 1-based */
  merges: Array<[number, number, number, number]>;
  headerRow: number;
  lastDataRow: number;
  totalRow: number | null;
  signatureRow: number | null;
  landscape: boolean;
  repeatRows: [number, number];
}

export const FONT_NAME = '宋体';
export const WORKBOOK_CREATOR = '技能认定助手';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A string cell that starts with = + - @ (or a tab / CR) is prefixed so no spreadsheet evaluates it. */
export function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The value a cell of this kind holds: text escaped, numbers as numbers (exact decimal strings in, two decimals shown). */
export function cellValue(value: string | number | null | undefined, kind: CellKind = 'general'): PlainValue {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'text':
      return escapeCell(String(value));
    case 'integer':
    case 'decimal2':
    case 'money':
      return Number(value);
    default:
      return typeof value === 'string' ? escapeCell(value) : value;
  }
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ] */
export function safeSheetName(name: string): string {
  const cleaned = name.replace(/[:\\/?*[\]]/g, '_').trim() || 'Sheet';
  return cleaned.slice(0, 31);
}

export const NUM_FMT: Partial<Record<CellKind, string>> = { text: '@', integer: '0', decimal2: '0.00', money: '0.00' };

const plain = { bold: false, wrap: false, border: false, fill: false } as const;
export const titleStyle = (size: number): CellStyle => ({ ...plain, size, bold: true, horizontal: 'center', vertical: 'middle', wrap: true });
export const lineStyle = (bold: boolean): CellStyle => ({ ...plain, size: 11, bold, horizontal: 'left', vertical: 'middle', wrap: true });
export const SIGNATURE_STYLE: CellStyle = Object.freeze({ ...plain, size: 11, horizontal: 'left', vertical: 'bottom' });
export const HEADER_STYLE: CellStyle = Object.freeze({ size: 11, bold: true, horizontal: 'center', vertical: 'middle', wrap: true, border: true, fill: true });

/** A data or total cell of a column: bordered, size 10, text centred and numbers right-aligned. */
export function columnStyle(kind: CellKind | undefined, bold: boolean): CellStyle {
  const numFmt = kind ? NUM_FMT[kind] : undefined;
  return Object.freeze({
    ...plain,
    size: 10,
    bold,
    border: true,
    horizontal: bold || kind === 'text' || !kind ? 'center' : 'right',
    vertical: 'middle',
    ...(numFmt ? { numFmt } : {}),
  });
}

export const TITLE_SIZE = 16;
/** a title row is this many times its font size high */
export const titleHeight = (size: number) => size * 1.9;
export const SIGNATURE_HEIGHT = 30;

/** Labels spread over one row: [from, to, text] per label, the last one to the table's edge. */
export function spreadLine(labels: string[], columns: number): Array<[number, number, string]> {
  const span = Math.max(1, Math.floor(columns / labels.length));
  return labels.map((text, i) => {
    const from = i * span + 1;
    return [from, i === labels.length - 1 ? Math.max(from, columns) : from + span - 1, text];
  });
}

/** Lays out one table sheet; rows go top to bottom only, so a writer can stream them. */
export function planTableSheet<R>(spec: TableSheetSpec<R>): TablePlan<R> {
  const n = spec.columns.length;
  const before: PlannedRow[] = [];
  const after: PlannedRow[] = [];
  const merges: TablePlan<R>['merges'] = [];
  const mergeRow = (row: number, from: number, to: number) => {
    if (to > from) merges.push([row, from, row, to]);
  };
  let row = 1;
  const line = (into: PlannedRow[], text: string, style: CellStyle, height?: number) => {
    into.push({ row, ...(height ? { height } : {}), cells: [{ col: 1, value: escapeCell(text), style }] });
    mergeRow(row++, 1, n);
  };
  line(before, spec.title, titleStyle(TITLE_SIZE), titleHeight(TITLE_SIZE));
  for (const text of spec.subtitles ?? []) line(before, text, lineStyle(false));

  const grouped = spec.columns.some((c) => c.group);
  const headerRow = row;
  before.push({ row, height: 28, cells: spec.columns.map((c, i) => ({ col: i + 1, value: c.group ?? c.header, style: HEADER_STYLE })) });
  if (grouped) {
    before.push({ row: row + 1, cells: spec.columns.map((c, i) => ({ col: i + 1, value: c.group ? c.header : null, style: HEADER_STYLE })) });
    // merge each group horizontally, and each ungrouped column vertically
    let i = 0;
    while (i < n) {
      const g = spec.columns[i]!.group;
      if (g) {
        let j = i;
        while (j + 1 < n && spec.columns[j + 1]!.group === g) j++;
        mergeRow(row, i + 1, j + 1);
        i = j + 1;
      } else {
        merges.push([row, i + 1, row + 1, i + 1]);
        i++;
      }
    }
    row += 2;
  } else {
    row += 1;
  }

  const firstRow = row;
  row += spec.rows.length;
  const lastDataRow = row - 1;

  let totalRow: number | null = null;
  if (spec.total) {
    totalRow = row;
    const total = spec.total;
    after.push({
      row: row++,
      cells: spec.columns.map((c, i) => {
        const kind = i === 0 ? 'general' : c.kind;
        return { col: i + 1, value: cellValue(i === 0 ? total.label : total.values[c.header], kind), style: columnStyle(kind, true) };
      }),
    });
  }
  for (const note of spec.notes ?? []) line(after, note, lineStyle(false));
  let signatureRow: number | null = null;
  const spread = (labels: string[]) => {
    const cells = spreadLine(labels, n);
    after.push({ row, height: SIGNATURE_HEIGHT, cells: cells.map(([from, , text]) => ({ col: from, value: text, style: SIGNATURE_STYLE })) });
    for (const [from, to] of cells) mergeRow(row, from, to);
    row++;
  };
  if (spec.signatures?.length) {
    row++; // one spacer line before the signatures, as on paper forms
    signatureRow = row;
    spread(spec.signatures.map((label) => `${label}：`));
  }
  if (spec.closing?.length) spread(spec.closing);
  return {
    name: safeSheetName(spec.name),
    widths: spec.columns.map((c) => c.width),
    before,
    data: { firstRow, rows: spec.rows, columns: spec.columns, styles: spec.columns.map((c) => columnStyle(c.kind, false)) },
    after,
    merges,
    headerRow,
    lastDataRow,
    totalRow,
    signatureRow,
    landscape: spec.landscape ?? false,
    repeatRows: [headerRow, grouped ? headerRow + 1 : headerRow],
  };
}
