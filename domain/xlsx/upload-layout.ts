// Sheets that a platform imports (the provincial certificate query system, the 1+X
// information platform): one header row straight at the top, no title, no merged cells,
// every value a text cell. The column order and header words are data — a layout names
// each column's header and the field it takes — so when a platform changes its template,
// the layout changes, not the code.
import ExcelJS from 'exceljs';
import { GENDER_LABEL, type Gender } from '../model';
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

/** A layout from [field, width] pairs, in column order; a third item is the header where it is not the field's name. */
export function uploadLayout<F extends string>(sheet: string, columns: ReadonlyArray<readonly [field: F | '序号', width: number, header?: string]>): UploadLayout<F> {
  return { sheet, columns: columns.map(([field, width, header = field]) => ({ header, field, width })) };
}

/** 居民身份证, or the residence permit of Hong Kong, Macao and Taiwan residents (810000 / 820000 / 830000). */
function idDocumentType(idNumber: string): string {
  return /^8[123]/.test(idNumber) ? '港澳台居民居住证' : '居民身份证';
}

/** The four cells every platform identifies a person by. */
export function identityCells(p: { name: string; gender: Gender; idNumber: string }): UploadRow<'姓名' | '性别' | '证件类型' | '证件号码'> {
  return { 姓名: p.name, 性别: GENDER_LABEL[p.gender], 证件类型: idDocumentType(p.idNumber), 证件号码: p.idNumber };
}

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
