import ExcelJS from 'exceljs';
import { idCheckDigit } from '../../../domain/id-number';

export { cbecScheme, cbecCourses } from '../engine/cbec.fixture';

export interface SheetSpec {
  name: string;
  rows: unknown[][];
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

/** A valid 18-digit ID for a birth date, with a real check digit. */
export function validId(birth: string, seq = 123): string {
  const first17 = `410105${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

export const THEORY = ['电子商务概论', '网页设计与制作', '网络营销', '电子商务数据分析与应用', '网店运营与管理', '网上开店与创业'];
export const SKILL_ONLY = ['电子商务综合模拟实训', '网络店铺图文设计实训', '电商交易平台设计与开发实训', '3D 数字化电商类仿真实训'];
export const ALL_COURSES = [...THEORY, ...SKILL_ONLY];
