import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEE_SHEET_HEADERS, FEE_SHEET_NAME, feeSheetXlsx } from '../../../domain/exam/fee-sheet.xlsx';
import { settlementRows } from '../../../domain/exam/fees';
import { fullTeam, person } from './fixtures';

async function read(buffer: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb.getWorksheet(FEE_SHEET_NAME)!;
}

const rowValues = (ws: ExcelJS.Worksheet, r: number) => FEE_SHEET_HEADERS.map((_, i) => ws.getRow(r).getCell(i + 1).value);

function findRow(ws: ExcelJS.Worksheet, first: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === first) return r;
  return -1;
}

describe('fee settlement sheet', () => {
  const team = [...fullTeam(), person('=HYPERLINK("http://x","点我")', '007', 'invigilator', ['theory'], '-备用监考')];
  let ws: ExcelJS.Worksheet;
  let header: number;

  beforeAll(async () => {
    ws = await read(
      await feeSheetXlsx({
        college: '信息工程学院',
        certificate: 'Web前端开发',
        level: '中级',
        dates: ['2024-06-16', '2024-06-15'],
        place: '实训楼B301',
        settlement: settlementRows(team),
      }),
    );
    header = findRow(ws, '序号');
  });

  it('opens with a merged title naming college, certificate and dates', () => {
    expect(ws.getCell('A1').value).toBe('信息工程学院Web前端开发（中级）职业技能等级证书考核考务费用结算表（2024年6月15日、2024年6月16日）');
    expect(ws.getCell('H1').isMerged).toBe(true);
    expect(ws.getCell('H1').master.address).toBe('A1');
  });

  it('has the seed columns in order, 序号 first', () => {
    expect(header).toBeGreaterThan(1);
    expect(rowValues(ws, header)).toEqual([...FEE_SHEET_HEADERS]);
  });

  it('says under the title how 场次数量 is counted', () => {
    const texts: string[] = [];
    for (let r = 1; r < header; r++) texts.push(String(ws.getRow(r).getCell(1).value ?? ''));
    expect(texts.join('|')).toContain('支付标准 100元/场次；场次数量：监考按实际场次，主考和考务按实际场次＋2。');
  });

  it('writes one row per paid person with the computed pay', () => {
    expect(rowValues(ws, header + 1)).toEqual([1, '张主考', 'T001', '主考', '主持考点考试', '100元/场次', 4, 400]);
    expect(rowValues(ws, header + 4)).toEqual([4, '赵监考', 'T003', '监考', '第1考场监考', '100元/场次', 2, 200]);
  });

  it('keeps 工号 as text cells, leading zeros included', () => {
    for (let r = header + 1; r <= header + 8; r++) {
      const cell = ws.getRow(r).getCell(3);
      expect(typeof cell.value).toBe('string');
      expect(cell.numFmt).toBe('@');
    }
    expect(ws.getRow(header + 8).getCell(3).value).toBe('007');
  });

  it('escapes cells that a spreadsheet would take for a formula', () => {
    const row = ws.getRow(header + 8);
    expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(2).value).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(row.getCell(5).value).toBe(`'-备用监考`);
  });

  it('puts the 合计 row right after the data, in figures and Chinese capitals', () => {
    const total = findRow(ws, '合计');
    expect(total).toBe(header + 9); // 8 people, no blank row
    // 2000 for the full team + 100 for the one-session invigilator
    expect(ws.getRow(total).getCell(8).value).toBe(2100);
    expect(ws.getRow(total).getCell(8).numFmt).toBe('0.00');
    expect(ws.getRow(total).getCell(2).value).toBe('人民币（大写）：贰仟壹佰元整');
    expect(ws.getRow(total).getCell(7).master.address).toBe(`B${total}`);
  });

  it('closes with the signature lines', () => {
    const texts: string[] = [];
    // merged cells read back their master's value; count each text once
    ws.eachRow((row) => row.eachCell((c) => {
      if (c.master.address === c.address) texts.push(String(c.value));
    }));
    const signatureRow = texts.findIndex((t) => t === '制表人：');
    expect(signatureRow).toBeGreaterThan(-1);
    expect(texts.slice(signatureRow)).toEqual(['制表人：', '审核人：', '负责人：', '盖章：', '日期：']);
  });

  it('prints on A4 landscape', () => {
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe('landscape');
  });
});
