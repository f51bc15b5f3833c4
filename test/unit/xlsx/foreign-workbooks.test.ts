import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeErrorWorkbook } from '../../../domain/forms/error-workbook.xlsx';
import type { Grid } from '../../../domain/xlsx/grid';
import { openWorkbook } from '../../../domain/xlsx/open-workbook';
import { cohort, handBuilt, ours, VARIANTS } from '../../fixtures/foreign-workbooks';

// The grade cohort as other writers write it (test/fixtures/foreign-workbooks.ts) reads into
// the very cells our own writing of it gives: every text, every number, every date —
// including the 出生日期 column the scoring never looks at — whatever the strings, types,
// styles, part names, zip layout or namespace prefix. Empty rows are formatting, not data.

const c = cohort(25);

/** The grade sheet's non-empty rows as a person reads them, a date as its day. */
function cells(grids: Grid[]): string[][] {
  const grid = grids.find((g) => g.name === c.sheet);
  if (!grid) throw new Error(`no sheet ${c.sheet} among ${grids.map((g) => g.name).join(', ')}`);
  return grid.rows
    .filter((row) => row.some((cell) => cell.text !== ''))
    .map((row) => {
      const texts = row.map((cell) => (cell.date ? `date:${cell.date.toISOString()}` : cell.text));
      while (texts.at(-1) === '') texts.pop();
      return texts;
    });
}

async function open(bytes: Buffer) {
  const r = await openWorkbook(bytes, '成绩.xlsx');
  if (!r.ok) throw new Error(r.problems[0]!.message);
  return r.value;
}

describe('a workbook written by another program reads into the same cells', () => {
  it('our own writing gives the cohort, dates as dates', async () => {
    const rows = cells(await open(await ours(c)));
    expect(rows).toHaveLength(2 + 25 + 1);
    expect(rows[2]!.slice(0, 5)).toEqual(['1', '2020000000', '学生0', '电商2000', 'date:2001-01-01T00:00:00.000Z']);
  });

  it.each(VARIANTS.filter((v) => !v.refused).map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    expect(cells(await open(await v.write(c)))).toEqual(cells(await open(await ours(c))));
  });

  it('the sheets come in tab order with their own names, a hidden one included', async () => {
    const grids = await open(handBuilt(c, { strings: 'shared', shuffledSheets: true }));
    expect(grids.map((g) => g.name)).toEqual(['填表说明', c.sheet, 'Sheet2']);
  });
});

describe('a cell that cannot be read is refused at the cell, never read as empty', () => {
  it('a formula saved without its result', async () => {
    const r = await openWorkbook(handBuilt(c, { strings: 'shared', formulas: 'uncached' }), '成绩.xlsx');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      {
        code: 'upload.uncalculated_formula',
        sheet: c.sheet,
        row: 3,
        column: 'A',
        message: `「成绩.xlsx」的工作表「${c.sheet}」第 3 行 A 列是公式，但文件里没有保存它的计算结果（多见于程序生成的文件），无法读取。请用 Excel 或 WPS 打开该文件，保存后重新发送`,
      },
    ]);
  });
});

describe('a rejected workbook written by another program comes back with its bad cell marked', () => {
  // exceljs (which writes the marked copy) cannot load some of these, or loads them without
  // their cells: those come back rebuilt from the opener's own reading, never emptied
  it.each(VARIANTS.filter((v) => !v.refused).map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    const problem = { code: 'workbook.student_no_format', message: '学号格式不对', sheet: c.sheet, row: 5, column: 'B' };
    const marked = new ExcelJS.Workbook();
    await marked.xlsx.load((await writeErrorWorkbook(await v.write(c), [problem])) as unknown as ArrayBuffer);
    const ws = marked.getWorksheet(c.sheet)!;
    expect((ws.getCell('B5').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFF0000');
    expect(ws.getCell('B5').text).toBe('2020000002');
    expect(ws.getCell('B22').text).toBe('2020000019');
  });
});
