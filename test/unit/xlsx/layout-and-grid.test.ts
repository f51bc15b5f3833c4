import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { addTableSheet, bufferWorkbook, escapeCell } from '../../../domain/xlsx/layout';
import { writeTableWorkbook } from '../../../domain/xlsx/table-workbook';
import { findHeader, isTrailerRow, loadCsvGrid } from '../../../domain/xlsx/grid';
import { normaliseKey, normaliseText } from '../../../domain/text';
import { loadXlsxGrids } from '../../support/workbooks';

describe('escapeCell', () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+1', `'+1`],
    ['-2', `'-2`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['张三', '张三'],
    ['2020001', '2020001'],
  ])('escapes %s as %s', (input, expected) => {
    expect(escapeCell(input)).toBe(expected);
  });
});

describe('normalising texts and keys', () => {
  it.each([
    ['  电子商务概论（第二学期） ', '电子商务概论'],
    ['3D 数字化电商类仿真实训', '3D数字化电商类仿真实训'],
    ['３Ｄ　数字化电商类仿真实训', '3D数字化电商类仿真实训'],
    ['学 号', '学号'],
    ['网络营销(第五学期)(补)', '网络营销'],
  ])('key of %j is %j', (input, expected) => {
    expect(normaliseKey(input)).toBe(expected);
  });
  it('folds full-width digits and ideographic spaces in texts', () => {
    expect(normaliseText('８５　分')).toBe('85 分');
  });
});

async function table(build: boolean) {
  const rows = [
    { no: '2020001', name: '=cmd', score: '59.995' },
    { no: '0020002', name: '李四', score: '60' },
  ];
  const spec = {
    name: '测试',
    title: '财经学院 2024 测试表',
    subtitles: ['年级/专业：2020级 电子商务'],
    columns: [
      { header: '序号', width: 6, kind: 'integer' as const, value: (_: (typeof rows)[number], i: number) => i + 1 },
      { header: '学号', width: 14, kind: 'text' as const, value: (r: (typeof rows)[number]) => r.no },
      { header: '姓名', width: 10, kind: 'text' as const, value: (r: (typeof rows)[number]) => r.name },
      { header: '证书编号', group: '已取得证书', width: 10, kind: 'text' as const, value: () => '' },
      { header: '取证时间', group: '已取得证书', width: 10, kind: 'text' as const, value: () => '' },
      { header: '成绩', width: 10, kind: 'decimal2' as const, value: (r: (typeof rows)[number]) => r.score },
    ],
    rows,
    total: { label: '合计', values: { 成绩: '119.99' } },
    signatures: ['制表人', '审核人', '日期'],
  };
  return build ? bufferWorkbook((wb) => void addTableSheet(wb, spec)) : writeTableWorkbook((book) => book.add(spec));
}

describe.each([
  ['in memory with exceljs', true],
  ['by our own writer', false],
])('a table sheet written %s', (_label, inMemory) => {
  it('has a merged title, grouped headers, text cells, a total row right after the data and signatures', async () => {
    const buf = await table(inMemory);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('测试')!;
    expect(ws.getCell('A1').value).toBe('财经学院 2024 测试表');
    expect(ws.getCell('F1').isMerged).toBe(true);
    expect(ws.getCell('A3').value).toBe('序号');
    expect(ws.getCell('D3').value).toBe('已取得证书');
    expect(ws.getCell('D4').value).toBe('证书编号');
    expect(ws.getCell('B5').value).toBe('2020001');
    expect(ws.getCell('B5').numFmt).toBe('@');
    expect(ws.getCell('B6').value).toBe('0020002');
    expect(ws.getCell('C5').value).toBe(`'=cmd`);
    expect(ws.getCell('A7').value).toBe('合计');
    expect(ws.getCell('A9').value).toBe('制表人：');
    expect(ws.pageSetup.paperSize).toBe(9);
  });

  it('reads back through the grid loader with the header found below the title', async () => {
    const grids = await loadXlsxGrids(await table(inMemory));
    const h = findHeader(grids[0]!, [
      { key: 'no', aliases: ['学号'], required: true },
      { key: 'name', aliases: ['姓名'], required: true },
    ]);
    expect(h?.row).toBe(3);
    expect(h?.columns.no).toBe(2);
    expect(isTrailerRow(grids[0]!.rows[6]!)).toBe(true);
  });
});

describe('our own table workbook writer', () => {
  const text = (value: string) => ({ header: '备注', width: 12, value: () => value });
  async function read(buf: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    return wb;
  }

  it('keeps XML specials, spaces at the ends and CJK text, and drops what XML cannot carry', async () => {
    const values = ['a<b & "c" > d', '  前后有空格 ', '控制\u0001字符\u0007', "O'Neil 张三"];
    const buf = await writeTableWorkbook((book) => book.add({ name: "表'1", title: 'T', columns: values.map(text), rows: [{}] }));
    const ws = (await read(buf)).getWorksheet("表'1")!;
    expect([1, 2, 3, 4].map((c) => ws.getRow(3).getCell(c).value)).toEqual(['a<b & "c" > d', '  前后有空格 ', '控制字符', "O'Neil 张三"]);
    expect(ws.pageSetup.printTitlesRow).toBe('2:2');
  });

  it('prints on A4 fitted to the page width, every column at its width, merged cells styled like their first', async () => {
    const buf = await writeTableWorkbook((book) =>
      book.add({
        name: 'S',
        title: '标题',
        columns: [
          { header: '序号', width: 6, kind: 'integer', value: (_r: object, i: number) => i + 1 },
          { header: '是否合格', width: 9, value: () => '是' },
          { header: '分数', width: 10, kind: 'decimal2', value: () => '59.5' },
        ],
        rows: [{}, {}],
        signatures: ['制表人'],
        closing: ['二级学院（盖章）', '认定中心（盖章）'],
        landscape: true,
      }),
    );
    const ws = (await read(buf)).getWorksheet('S')!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true });
    expect(ws.columns.map((c) => c.width)).toEqual([6, 9, 10]);
    expect(ws.getCell('C1').font).toMatchObject({ bold: true, size: 16 });
    expect(ws.getCell('C1').isMerged).toBe(true);
    expect(ws.getCell('A3').value).toBe(1);
    expect(ws.getCell('C4').value).toBe(59.5);
    expect(ws.getCell('C4').numFmt).toBe('0.00');
    expect(ws.getCell('A6').value).toBe('制表人：');
    expect(ws.getCell('A7').value).toBe('二级学院（盖章）');
    expect(ws.getCell('B7').value).toBe('认定中心（盖章）');
    expect(ws.getCell('C7').isMerged).toBe(true);
    expect(ws.getRow(7).height).toBe(30);
  });
});

describe('loadCsvGrid', () => {
  it('reads quoted fields, a BOM and GB18030', () => {
    const g = loadCsvGrid(Buffer.from('\ufeff学号,姓名,备注\n2020001,"张,三","a ""b"""\r\n', 'utf8'));
    expect(g.rows[1]!.map((c) => c.text)).toEqual(['2020001', '张,三', 'a "b"']);
  });
  it('marks scientific notation as a number so an Excel-mangled ID is recognisable', () => {
    const g = loadCsvGrid(Buffer.from('身份证号\n4.10105E+17\n'));
    expect(g.rows[1]![0]).toMatchObject({ isNumber: true, text: '4.10105E+17' });
  });
});
