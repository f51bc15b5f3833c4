import ExcelJS from 'exceljs';
import { cellValue, escapeCell, FONT_NAME, lineStyle, planTableSheet, SIGNATURE_HEIGHT, SIGNATURE_STYLE, spreadLine, titleHeight, titleStyle, WORKBOOK_CREATOR, type CellKind, type CellStyle, type TableSheetSpec } from './table-plan';


// exceljs back end of the table layout (table-plan.ts), and the helpers of forms laid out
// by hand on an exceljs worksheet (filing form, exam papers, scheme plan).

export { escapeCell, FONT_NAME, safeSheetName, type CellKind, type ColumnSpec, type TableSheetSpec } from './table-plan';

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
export const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

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

function toExcel(s: CellStyle): Partial<ExcelJS.Style> {
  return {
    ...(s.numFmt ? { numFmt: s.numFmt } : {}),
    ...(s.border ? { border: BORDER } : {}),
    ...(s.fill ? { fill: HEADER_FILL } : {}),
    font: { name: FONT_NAME, size: s.size, bold: s.bold },
    alignment: { horizontal: s.horizontal, vertical: s.vertical, ...(s.wrap ? { wrapText: true } : {}) },
  };
}

/**
 * A data column's style, one frozen object per column: exceljs serialises a style it has
 * not seen by identity, so per-cell objects would dominate the time of writing a large
 * form, and a later per-cell tweak fails loudly instead of restyling the column.
 */
const columnStyles = new WeakMap<CellStyle, Partial<ExcelJS.Style>>();
function sharedStyle(s: CellStyle): Partial<ExcelJS.Style> {
  let x = columnStyles.get(s);
  if (!x) columnStyles.set(s, (x = Object.freeze(toExcel(s))));
  return x;
}

/** Any other cell gets objects of its own, which callers may adjust. */
function styled(cell: ExcelJS.Cell, s: CellStyle): void {
  const x = toExcel(s);
  if (x.numFmt) cell.numFmt = x.numFmt;
  if (x.border) cell.border = x.border;
  if (x.fill) cell.fill = x.fill;
  cell.font = x.font!;
  cell.alignment = x.alignment!;
}

/** A merged, centred title across `columns` columns on row `row`. */
export function addTitle(ws: ExcelJS.Worksheet, row: number, text: string, columns: number, size = 16): void {
  const r = ws.getRow(row);
  const cell = r.getCell(1);
  cell.value = escapeCell(text);
  styled(cell, titleStyle(size));
  r.height = titleHeight(size);
  if (columns > 1) ws.mergeCells(row, 1, row, columns);
}

/** A merged left-aligned line (subtitle, note) across `columns` columns. */
export function addLine(ws: ExcelJS.Worksheet, row: number, text: string, columns: number, opts: { bold?: boolean } = {}): void {
  const cell = ws.getRow(row).getCell(1);
  cell.value = escapeCell(text);
  styled(cell, lineStyle(opts.bold ?? false));
  if (columns > 1) ws.mergeCells(row, 1, row, columns);
}

/** Signature lines (制表人：____ 审核人：____ …) spread over one row. */
export function addSignatureLines(ws: ExcelJS.Worksheet, row: number, labels: string[], columns: number): void {
  const r = ws.getRow(row);
  r.height = SIGNATURE_HEIGHT;
  for (const [from, to, text] of spreadLine(labels.map((l) => `${l}：`), columns)) {
    const cell = r.getCell(from);
    cell.value = text;
    styled(cell, SIGNATURE_STYLE);
    if (to > from) ws.mergeCells(row, from, row, to);
  }
}

/**
 * Lays out one table sheet (table-plan.ts) on an exceljs workbook, for forms that add
 * more to the sheet afterwards. Returns the 1-based row numbers where things landed.
 */
export function addTableSheet<R>(
  wb: ExcelJS.Workbook,
  spec: TableSheetSpec<R>,
): { ws: ExcelJS.Worksheet; headerRow: number; firstDataRow: number; lastDataRow: number; totalRow: number | null; signatureRow: number | null } {
  const plan = planTableSheet(spec);
  const ws = wb.addWorksheet(plan.name);
  ws.columns = plan.widths.map((width) => ({ width }));
  const put = (rows: typeof plan.before) => {
    for (const planned of rows) {
      const r = ws.getRow(planned.row);
      if (planned.height) r.height = planned.height;
      for (const c of planned.cells) {
        const cell = r.getCell(c.col);
        cell.value = c.value;
        styled(cell, c.style);
      }
    }
  };
  put(plan.before);
  const { firstRow, rows, columns, styles } = plan.data;
  const xStyles = styles.map(sharedStyle);
  rows.forEach((r, index) => {
    const xr = ws.getRow(firstRow + index);
    columns.forEach((c, i) => {
      const cell = xr.getCell(i + 1);
      cell.value = cellValue(c.value(r, index), c.kind);
      cell.style = xStyles[i]!;
    });
  });
  put(plan.after);
  for (const [r1, c1, r2, c2] of plan.merges) ws.mergeCells(r1, c1, r2, c2);
  setupA4(ws, { landscape: plan.landscape, repeatRows: plan.repeatRows });
  return { ws, headerRow: plan.headerRow, firstDataRow: firstRow, lastDataRow: plan.lastDataRow, totalRow: plan.totalRow, signatureRow: plan.signatureRow };
}

/** Writes an in-memory workbook (for layouts that need to revisit cells) and returns its bytes. */
export async function bufferWorkbook(build: (wb: ExcelJS.Workbook) => void | Promise<void>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = WORKBOOK_CREATOR;
  await build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
