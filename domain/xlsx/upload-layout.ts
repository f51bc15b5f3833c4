// Sheets that a platform imports (the provincial certificate query system, the 1+X
// information platform): one header row straight at the top, no title, no merged cells,
// every value a text cell. The column order and header words are data — a layout names
// each column's header and the field it takes — so when a platform changes its template,
// the layout changes, not the code.
import ExcelJS from 'exceljs';
import { setCell, type CellKind } from './layout';

export interface UploadColumn<F extends string> {
  header: string;
  /** the row field printed in this column; '序号' counts rows from 1 */
  field: F | '序号';
  width?: number;
}

export interface UploadLayout<F extends string> {
  /** the sheet name the platform expects */
  sheet: string;
  columns: ReadonlyArray<UploadColumn<F>>;
}

export type UploadRow<F extends string> = Partial<Record<F, string | number | null>>;

/** Writes the rows, in the order given, under the layout's one header row. */
export function addUploadSheet<F extends string>(wb: ExcelJS.Workbook, layout: UploadLayout<F>, rows: ReadonlyArray<UploadRow<F>>): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(layout.sheet);
  ws.columns = layout.columns.map((c) => ({ width: c.width ?? Math.max(8, c.header.length * 2 + 2) }));
  const head = ws.getRow(1);
  layout.columns.forEach((c, i) => setCell(head.getCell(i + 1), c.header, 'text'));
  head.font = { bold: true };
  rows.forEach((r, i) => {
    const row = ws.getRow(i + 2);
    layout.columns.forEach((c, col) => {
      const kind: CellKind = c.field === '序号' ? 'integer' : 'text';
      const value = c.field === '序号' ? i + 1 : (r[c.field as F] ?? null);
      setCell(row.getCell(col + 1), value === null ? null : value, kind);
    });
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

export async function writeUploadWorkbook<F extends string>(layout: UploadLayout<F>, rows: ReadonlyArray<UploadRow<F>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '技能认定助手';
  addUploadSheet(wb, layout, rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
