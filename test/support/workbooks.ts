import ExcelJS from 'exceljs';
import type { Grid } from '../../domain/xlsx/grid';
import { openWorkbook } from '../../domain/xlsx/open-workbook';

export interface SheetSpec {
  name: string;
  /** cell values by row; null and undefined leave the cell empty */
  rows: unknown[][];
  /** merges like "A1:F1" */
  merges?: string[];
}

/** A workbook as a teacher might build it: values exactly as given, optional merges. */
export async function xlsx(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    s.rows.forEach((r, i) => {
      const row = ws.getRow(i + 1);
      r.forEach((v, j) => {
        if (v !== undefined && v !== null) row.getCell(j + 1).value = v as ExcelJS.CellValue;
      });
    });
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A workbook's grids through the one guarded opener the product uses; a refusal fails the test. */
export async function loadXlsxGrids(buf: Buffer, fileName = 'test.xlsx'): Promise<Grid[]> {
  const opened = await openWorkbook(buf, fileName);
  if (!opened.ok) throw new Error(opened.problems.map((p) => p.message).join('；'));
  return opened.value;
}
