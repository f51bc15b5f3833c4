// The issued-certificate list in the flat layout the national / provincial query
// systems import: one header row straight at the top, no title, no merged cells, no
// signature lines — a machine reads this sheet, not a person.
import ExcelJS from 'exceljs';
import { GENDER_LABEL, LEVEL_LABEL, type Gender, type IsoDate, type Level } from '../model';
import { sortForExport } from '../ordering';
import { setCell, type CellKind } from '../xlsx/layout';

export interface CertificateListRow {
  studentNo: string;
  major: string;
  occupation: string;
  level: Level;
  name: string;
  gender: Gender;
  idNumber: string;
  number: string;
  issuedOn: IsoDate;
  issuer: string;
}

export const CERTIFICATE_LIST_HEADERS = ['序号', '姓名', '性别', '身份证号', '职业（工种）', '等级', '证书编号', '发证日期', '发证机构'] as const;

const cells: Array<[CellKind, (r: CertificateListRow, i: number) => string | number]> = [
  ['integer', (_r, i) => i + 1],
  ['text', (r) => r.name],
  ['text', (r) => GENDER_LABEL[r.gender]],
  ['text', (r) => r.idNumber],
  ['text', (r) => r.occupation],
  ['text', (r) => LEVEL_LABEL[r.level]],
  ['text', (r) => r.number],
  // query systems take the date as text YYYY-MM-DD: a date cell would come back as a serial number
  ['text', (r) => r.issuedOn],
  ['text', (r) => r.issuer],
];

export async function writeCertificateList(rows: readonly CertificateListRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '技能认定助手';
  const ws = wb.addWorksheet('证书信息');
  ws.columns = [6, 10, 6, 21, 26, 12, 22, 12, 28].map((width) => ({ width }));
  ws.addRow([...CERTIFICATE_LIST_HEADERS]).font = { bold: true };
  sortForExport(rows).forEach((r, i) => {
    const row = ws.getRow(i + 2);
    cells.forEach(([kind, value], c) => setCell(row.getCell(c + 1), value(r, i), kind));
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
