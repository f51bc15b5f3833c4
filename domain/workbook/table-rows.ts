import type ExcelJS from 'exceljs';
import { addSignatureLines, addTableSheet, BORDER, escapeCell, FONT_NAME, type ColumnSpec, type TableSheetSpec } from '../xlsx/layout';

// addTableSheet gives every data cell its own style object, and exceljs serialises a
// style it has not seen by identity: at ten thousand rows that is most of the time spent
// writing a form. Here each column shares one frozen style object, so exceljs recognises
// it at once; the cells look exactly as addTableSheet would lay them out.

function columnStyle(kind: ColumnSpec<unknown>['kind']): Partial<ExcelJS.Style> {
  const numFmt = kind === 'text' ? '@' : kind === 'integer' ? '0' : kind === 'decimal2' || kind === 'money' ? '0.00' : undefined;
  return {
    ...(numFmt ? { numFmt } : {}),
    border: BORDER,
    font: { name: FONT_NAME, size: 10 },
    alignment: { vertical: 'middle', horizontal: kind === 'text' || !kind ? 'center' : 'right' },
  };
}

function cellValue(value: string | number | null | undefined, kind: ColumnSpec<unknown>['kind']): ExcelJS.CellValue {
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

/**
 * addTableSheet for the title and headers, then the data rows with shared styles, then
 * the signature line; returns the worksheet (to add closing lines) and where things went.
 */
export function addLargeTableSheet<R>(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  spec: TableSheetSpec<R>,
): { ws: ExcelJS.Worksheet; firstDataRow: number; lastDataRow: number; signatureRow: number | null } {
  const placed = addTableSheet(wb, { ...spec, rows: [], signatures: undefined, notes: undefined, total: undefined });
  const ws = (wb as unknown as { getWorksheet(name: string): ExcelJS.Worksheet }).getWorksheet(lastSheetName(wb));
  const styles = spec.columns.map((c) => columnStyle(c.kind));
  let row = placed.firstDataRow;
  spec.rows.forEach((r, index) => {
    const xr = ws.getRow(row++);
    spec.columns.forEach((c, i) => {
      const cell = xr.getCell(i + 1);
      cell.value = cellValue(c.value(r, index), c.kind);
      cell.style = styles[i]!;
    });
    xr.commit();
  });
  const lastDataRow = row - 1;
  let signatureRow: number | null = null;
  if (spec.signatures?.length) {
    row++; // one spacer line, as addTableSheet leaves
    signatureRow = row;
    addSignatureLines(ws, row, spec.signatures, spec.columns.length);
  }
  return { ws, firstDataRow: placed.firstDataRow, lastDataRow, signatureRow };
}

function lastSheetName(wb: ExcelJS.stream.xlsx.WorkbookWriter): string {
  const sheets = (wb as unknown as { _worksheets: Array<{ name: string } | undefined> })._worksheets.filter(Boolean);
  return sheets[sheets.length - 1]!.name;
}
