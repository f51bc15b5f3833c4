import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkbook } from '../../../domain/xlsx/open-workbook';
import { honestBomb, lyingBomb, millionRows, workbookWith } from '../../support/hostile-files';
import { xlsx } from '../../support/workbooks';
import { buildZip, zeros } from '../materials/zip-fixtures';

const MB = 1024 * 1024;

function problem(r: Awaited<ReturnType<typeof openWorkbook>>): { code: string; message: string; sheet?: string; row?: number; column?: string } {
  if (r.ok) throw new Error('expected a refusal');
  return r.problems[0]!;
}

const sheetXml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;

describe('openWorkbook reads what a person typed', () => {
  it('gives texts, numbers, dates and merged cells as exceljs wrote them', async () => {
    const bytes = await xlsx([
      { name: '成绩', rows: [['成绩册'], ['学号', '姓名', '分数', '日期'], ['2020010101', ' 张三 ', 85.5, new Date(Date.UTC(2024, 4, 31))]], merges: ['A1:D1'] },
      { name: '空', rows: [] },
    ]);
    const r = await openWorkbook(bytes, '成绩.xlsx');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((g) => g.name)).toEqual(['成绩', '空']);
    const [title, header, row] = r.value[0]!.rows;
    expect(title!.map((c) => c.text)).toEqual(['成绩册']);
    expect(header!.map((c) => c.text)).toEqual(['学号', '姓名', '分数', '日期']);
    expect(row![0]).toEqual({ text: '2020010101', isNumber: false });
    expect(row![1]!.text).toBe('张三');
    expect(row![2]).toEqual({ text: '85.5', isNumber: true, number: 85.5 });
    expect(row![3]!.text).toBe('2024-05-31');
    expect(row![3]!.date?.toISOString()).toBe('2024-05-31T00:00:00.000Z');
  });

  it('reads a workbook arriving as a stream', async () => {
    const bytes = await xlsx([{ name: 'S', rows: [['a', 1]] }]);
    const r = await openWorkbook(Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]), 'a.xlsx');
    expect(r.ok && r.value[0]!.rows[0]!.map((c) => c.text)).toEqual(['a', '1']);
  });

  it('reads inline strings, booleans, errors, cached formula results and the characters Excel escapes in XML text', async () => {
    const bytes = await workbookWith(
      sheetXml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>学号</t></is></c><c r="B1" t="b"><v>1</v></c><c r="C1" t="e"><v>#DIV/0!</v></c>' +
          '<c r="D1"><f>1+1</f><v>2</v></c><c r="E1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="F1" t="str"><f>""</f><v></v></c></row>' +
          // _x000D_ is a carriage return (trimmed like any space), _x005F_ an underscore that does not start an escape
          '<row r="2"><c r="A2" t="inlineStr"><is><t>张三_x000D_</t></is></c><c r="B2" t="inlineStr"><is><t>a_x005F_x0041_b</t></is></c><c r="C2" t="str"><f>X</f><v>_x0041_</v></c></row>',
      ),
    );
    const r = await openWorkbook(bytes, 'a.xlsx');
    expect(r.ok && r.value[0]!.rows.map((row) => row.map((c) => c.text))).toEqual([
      ['学号', 'TRUE', '#DIV/0!', '2', 'ab'],
      ['张三', 'a_x0041_b', 'A'],
    ]);
  });

  it('refuses a formula saved without its result, naming its cell, rather than read it as empty', async () => {
    const bytes = await workbookWith(sheetXml('<row r="1"><c r="A1"><v>1</v></c></row><row r="4"><c r="B4"><v>2</v></c><c r="G4"><f>X</f></c></row>'));
    expect(problem(await openWorkbook(bytes, 'a.xlsx'))).toEqual({
      code: 'upload.uncalculated_formula',
      sheet: '成绩',
      row: 4,
      column: 'G',
      message: '「a.xlsx」的工作表「成绩」第 4 行 G 列是公式，但文件里没有保存它的计算结果（多见于程序生成的文件），无法读取。请用 Excel 或 WPS 打开该文件，保存后重新发送',
    });
  });

  it('refuses a shared string the file does not hold, naming its cell, rather than read it as empty', async () => {
    const bytes = await workbookWith(sheetXml('<row r="2"><c r="A2" t="inlineStr"><is><t>学号</t></is></c><c r="C2" t="s"><v>7</v></c></row>'));
    const p = problem(await openWorkbook(bytes, 'a.xlsx'));
    expect(p).toMatchObject({ code: 'upload.corrupt', sheet: '成绩', row: 2, column: 'C' });
    expect(p.message).toMatch(/^「a\.xlsx」的工作表「成绩」第 2 行 C 列引用的文字在文件中不存在，文件已损坏，无法读取。请用 Excel 打开原文件/);
  });
});

describe('openWorkbook refuses hostile workbooks by what is wrong with them', () => {
  let honest: Buffer;
  let lying: Buffer;
  let million: Buffer;
  beforeAll(async () => {
    [honest, lying, million] = await Promise.all([honestBomb(), lyingBomb(), millionRows()]);
  }, 120_000);

  it('a bomb with honest sizes is too large when unpacked', async () => {
    expect(honest.length).toBeLessThan(2 * MB);
    const p = problem(await openWorkbook(honest, '成绩.xlsx'));
    expect(p.code).toBe('upload.zip_bomb');
    expect(p.message).toMatch(/^「成绩\.xlsx」文件解压后过大.*压缩比.*另存为/);
  });

  it('a bomb whose entries declare their packed size is too large when unpacked, whatever it declares', async () => {
    expect(lying.length).toBeLessThan(2 * MB);
    const p = problem(await openWorkbook(lying, '成绩.xlsx'));
    expect(p.message).toMatch(/文件解压后过大/);
  });

  it('a bomb that deflates less than a run of zeros stops at the unpacked limit', async () => {
    // incompressible-looking but repetitive XML text: ratio below the limit, size above it
    const text = () => {
      let left = 8;
      return new Readable({
        read() {
          if (left-- <= 0) return void this.push(null);
          this.push(Buffer.from(Array.from({ length: MB }, (_, i) => 97 + ((i * 7919) % 26))));
        },
      });
    };
    const bytes = await workbookWith(text);
    const p = problem(await openWorkbook(bytes, '成绩.xlsx', { maxEntryBytes: 4 * MB }));
    expect(p.code).toBe('upload.unpacked_too_large');
    expect(p.message).toMatch(/文件解压后过大（超过 4 MB/);
  });

  it('a 1,000,000-row sheet is too many rows, not a bomb', async () => {
    const p = problem(await openWorkbook(million, '名单.xlsx'));
    expect(p.code).toBe('upload.too_many_rows');
    expect(p.message).toMatch(/^工作表「成绩」行数过多（超过 200,000 行）/);
  });

  it('a row numbered a million is too many rows too', async () => {
    const p = problem(await openWorkbook(await workbookWith(sheetXml('<row r="1048576"><c r="A1048576"><v>1</v></c></row>')), 'a.xlsx'));
    expect(p.code).toBe('upload.too_many_rows');
  });

  it('a cell in column XFD is too many columns', async () => {
    const p = problem(await openWorkbook(await workbookWith(sheetXml('<row r="1"><c r="XFD1"><v>1</v></c></row>')), 'a.xlsx'));
    expect(p.code).toBe('upload.too_many_columns');
  });

  it('a cell longer than Excel allows is refused, naming its row', async () => {
    const long = 'a'.repeat(40_000);
    const p = problem(await openWorkbook(await workbookWith(sheetXml(`<row r="3"><c r="A3" t="inlineStr"><is><t>${long}</t></is></c></row>`)), 'a.xlsx'));
    expect(p.code).toBe('upload.cell_too_long');
    expect(p.message).toMatch(/^工作表「成绩」第 3 行有单元格内容过长/);
  });

  it('a CSV of a million lines is too many rows', async () => {
    const csv = Buffer.from('学号,姓名\n'.repeat(1_000_000));
    const p = problem(await openWorkbook(csv, '名单.csv'));
    expect(p.code).toBe('upload.too_many_rows');
  });

  it('an archive with thousands of parts is refused before any is inflated', async () => {
    const many = await workbookWith(sheetXml(''), Array.from({ length: 1100 }, (_, i) => ({ name: `x/${i}.xml`, data: '<a/>' })));
    const p = problem(await openWorkbook(many, 'a.xlsx'));
    expect(p.code).toBe('upload.too_many_entries');
  });

  it('a bomb hidden in a part nobody reads is still counted', async () => {
    const bytes = await workbookWith(sheetXml(''), [{ name: 'xl/media/image1.png', data: zeros(300 * MB) }]);
    expect(problem(await openWorkbook(bytes, 'a.xlsx')).message).toMatch(/解压后过大.*xl\/media\/image1\.png/);
  });

  it('entity expansion is not XML this reader accepts', async () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>';
    const p = problem(await openWorkbook(await workbookWith(laughs), 'a.xlsx'));
    expect(p.code).toBe('upload.corrupt');
    expect(p.message).toMatch(/不是有效的 Excel 工作簿/);
  });

  it('a part whose declared size is not what it holds is refused as tampered', async () => {
    const bytes = await lyingBomb(sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>'));
    expect(problem(await openWorkbook(bytes, 'a.xlsx')).code).toBe('upload.zip_lying');
  });

  it('damaged bytes are not a workbook', async () => {
    const good = await xlsx([{ name: 'S', rows: [['a']] }]);
    const cut = good.subarray(0, good.length - 40);
    expect(problem(await openWorkbook(cut, 'a.xlsx')).message).toMatch(/不是有效的 Excel 工作簿/);
  });

  it('a plain zip is a zip, not a workbook', async () => {
    const zip = await buildZip([{ name: 'readme.txt', data: 'hello' }]);
    expect(problem(await openWorkbook(zip, '成绩.xlsx')).message).toMatch(/ZIP 压缩包/);
  });

  it('a stream longer than the size limit stops being read at the limit', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024, 0x50));
      },
    });
    const p = problem(await openWorkbook(endless, 'a.xlsx', { maxBytes: MB }));
    expect(p.code).toBe('upload.too_large');
    expect(pulled).toBeLessThan(2 * MB);
  });
});
