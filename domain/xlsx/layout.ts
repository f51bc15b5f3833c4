import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnLetter } from './grid';


// The conventions staff expect in every workbook we write (DESIGN.md "Spreadsheet
// conventions"): a merged title row, 序号 first, 学号/身份证号/phone as text, a 合计
// row straight after the data, signature lines, A4 print setup, and no cell that a
// spreadsheet program could take for a formula.

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
  landscape?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A string cell that starts with = + - @ (or a tab / CR) is prefixed so no spreadsheet evaluates it. */
export function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
export const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
export const FONT_NAME = '宋体';

/** Sets a cell's value by kind: text cells get the @ format so Excel keeps leading zeros and long digits. */
export function setCell(cell: ExcelJS.Cell, value: string | number | null | undefined, kind: CellKind = 'general'): void {
  if (value === null || value === undefined || value === '') {
    cell.value = null;
    if (kind === 'text') cell.numFmt = '@';
    return;
  }
  switch (kind) {
    case 'text':
      cell.value = escapeCell(String(value));
      cell.numFmt = '@';
      return;
    case 'integer':
      cell.value = Number(value);
      cell.numFmt = '0';
      return;
    case 'decimal2':
    case 'money':
      // values arrive as exact decimal strings; a number with two decimals is exact enough to display
      cell.value = Number(value);
      cell.numFmt = '0.00';
      return;
    default:
      cell.value = typeof value === 'string' ? escapeCell(value) : value;
  }
}

export function setupA4(ws: ExcelJS.Worksheet, opts: { landscape?: boolean; repeatRows?: [number, number] } = {}): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9, // A4
    orientation: opts.landscape ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: opts.repeatRows ? `${opts.repeatRows[0]}:${opts.repeatRows[1]}` : undefined,
  };
}

/** A merged, centred title across `columns` columns on row `row`. */
export function addTitle(ws: ExcelJS.Worksheet, row: number, text: string, columns: number, size = 16): void {
  const r = ws.getRow(row);
  const cell = r.getCell(1);
  cell.value = escapeCell(text);
  cell.font = { name: FONT_NAME, size, bold: true };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  r.height = size * 1.9;
  if (columns > 1) ws.mergeCells(row, 1, row, columns);
}

/** A merged left-aligned line (subtitle, note) across `columns` columns. */
export function addLine(ws: ExcelJS.Worksheet, row: number, text: string, columns: number, opts: { bold?: boolean } = {}): void {
  const r = ws.getRow(row);
  const cell = r.getCell(1);
  cell.value = escapeCell(text);
  cell.font = { name: FONT_NAME, size: 11, bold: opts.bold ?? false };
  cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  if (columns > 1) ws.mergeCells(row, 1, row, columns);
}

/** Signature lines (制表人：____ 审核人：____ …) spread over one row. */
export function addSignatureLines(ws: ExcelJS.Worksheet, row: number, labels: string[], columns: number): void {
  const r = ws.getRow(row);
  r.height = 30;
  const span = Math.max(1, Math.floor(columns / labels.length));
  labels.forEach((label, i) => {
    const from = i * span + 1;
    const to = i === labels.length - 1 ? Math.max(from, columns) : from + span - 1;
    const cell = r.getCell(from);
    cell.value = `${label}：`;
    cell.font = { name: FONT_NAME, size: 11 };
    cell.alignment = { horizontal: 'left', vertical: 'bottom' };
    if (to > from) ws.mergeCells(row, from, row, to);
  });
}

function styleHeaderCell(cell: ExcelJS.Cell): void {
  cell.font = { name: FONT_NAME, size: 11, bold: true };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  cell.border = BORDER;
  cell.fill = HEADER_FILL;
}

/**
 * Lays out one table sheet with the conventions above. Rows are appended top to
 * bottom only, so the same code serves the in-memory and the streaming workbook.
 * Returns the 1-based row numbers where things landed, for tests and callers.
 */
export function addTableSheet<R>(
  wb: ExcelJS.Workbook | ExcelJS.stream.xlsx.WorkbookWriter,
  spec: TableSheetSpec<R>,
): { ws: ExcelJS.Worksheet; headerRow: number; firstDataRow: number; lastDataRow: number; totalRow: number | null; signatureRow: number | null } {
  const ws = wb.addWorksheet(safeSheetName(spec.name));
  const n = spec.columns.length;
  ws.columns = spec.columns.map((c) => ({ width: c.width }));
  let row = 1;
  addTitle(ws, row++, spec.title, n);
  for (const line of spec.subtitles ?? []) addLine(ws, row++, line, n);

  const grouped = spec.columns.some((c) => c.group);
  const headerRow = row;
  const top = ws.getRow(row);
  spec.columns.forEach((c, i) => {
    const cell = top.getCell(i + 1);
    cell.value = c.group ?? c.header;
    styleHeaderCell(cell);
  });
  if (grouped) {
    const sub = ws.getRow(row + 1);
    spec.columns.forEach((c, i) => {
      const cell = sub.getCell(i + 1);
      cell.value = c.group ? c.header : null;
      styleHeaderCell(cell);
    });
    // merge each group horizontally, and each ungrouped column vertically
    let i = 0;
    while (i < n) {
      const g = spec.columns[i]!.group;
      if (g) {
        let j = i;
        while (j + 1 < n && spec.columns[j + 1]!.group === g) j++;
        if (j > i) ws.mergeCells(row, i + 1, row, j + 1);
        i = j + 1;
      } else {
        ws.mergeCells(row, i + 1, row + 1, i + 1);
        i++;
      }
    }
    row += 2;
  } else {
    row += 1;
  }
  top.height = 28;

  const firstDataRow = row;
  // one frozen style object per column: exceljs serialises a style it has not seen by
  // identity, so per-cell objects would dominate the time of writing a large form
  const styles = spec.columns.map((c) => columnStyle(c.kind, false));
  const streaming = isStreaming(wb);
  spec.rows.forEach((r, index) => {
    const xr = ws.getRow(row++);
    spec.columns.forEach((c, i) => {
      const cell = xr.getCell(i + 1);
      cell.value = cellValue(c.value(r, index), c.kind);
      cell.style = styles[i]!;
    });
    if (streaming) xr.commit();
  });
  const lastDataRow = row - 1;

  let totalRow: number | null = null;
  if (spec.total) {
    totalRow = row;
    const xr = ws.getRow(row++);
    spec.columns.forEach((c, i) => {
      const cell = xr.getCell(i + 1);
      const kind = i === 0 ? 'general' : c.kind;
      cell.value = cellValue(i === 0 ? spec.total!.label : spec.total!.values[c.header], kind);
      cell.style = columnStyle(kind, true);
    });
  }
  for (const note of spec.notes ?? []) addLine(ws, row++, note, n);
  let signatureRow: number | null = null;
  if (spec.signatures?.length) {
    row++; // one spacer line before the signatures, as on paper forms
    signatureRow = row;
    addSignatureLines(ws, row++, spec.signatures, n);
  }
  setupA4(ws, { landscape: spec.landscape, repeatRows: [headerRow, grouped ? headerRow + 1 : headerRow] });
  return { ws, headerRow, firstDataRow, lastDataRow, totalRow, signatureRow };
}

const NUM_FMT: Partial<Record<CellKind, string>> = { text: '@', integer: '0', decimal2: '0.00', money: '0.00' };

/**
 * A data-row style is shared by a whole column and frozen, so a later per-cell tweak
 * fails loudly instead of restyling the column; the total row gets its own objects,
 * which callers may adjust.
 */
function columnStyle(kind: CellKind | undefined, bold: boolean): Partial<ExcelJS.Style> {
  const numFmt = kind ? NUM_FMT[kind] : undefined;
  const style = {
    ...(numFmt ? { numFmt } : {}),
    border: BORDER,
    font: { name: FONT_NAME, size: 10, bold },
    alignment: { vertical: 'middle', horizontal: bold || kind === 'text' || !kind ? 'center' : 'right' },
  } as Partial<ExcelJS.Style>;
  return bold ? style : Object.freeze(style);
}

/** The value a cell of this kind holds: text escaped, numbers as numbers (exact decimal strings in, two decimals shown). */
export function cellValue(value: string | number | null | undefined, kind: CellKind = 'general'): ExcelJS.CellValue {
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

function isStreaming(wb: unknown): boolean {
  return wb instanceof ExcelJS.stream.xlsx.WorkbookWriter;
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ] */
export function safeSheetName(name: string): string {
  const cleaned = name.replace(/[:\\/?*[\]]/g, '_').trim() || 'Sheet';
  return cleaned.slice(0, 31);
}

/** Writes a workbook built by `build` with exceljs' streaming writer and returns its bytes. */
export async function streamWorkbook(build: (wb: ExcelJS.stream.xlsx.WorkbookWriter) => void | Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '技能认定助手';
  await build(wb);
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

/** Writes an in-memory workbook (for layouts that need to revisit cells) and returns its bytes. */
export async function bufferWorkbook(build: (wb: ExcelJS.Workbook) => void | Promise<void>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '技能认定助手';
  await build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
