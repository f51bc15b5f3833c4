import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkUploadSize, sniffType, workbookType } from '../../../domain/upload-guard';
import { cohort, handBuilt, zip } from '../../fixtures/foreign-workbooks';
import { buildZip } from './zip-fixtures';

const MB = 1024 * 1024;

async function realXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('成绩');
  ws.addRow(['学号', '姓名', '电子商务基础']);
  ws.addRow(['2020010101', '张三', 88]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const xlsMagic = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
const csv = Buffer.from('学号,姓名,成绩\n2020010101,张三,88\n');
const html = Buffer.from('<html><body><table><tr><td>学号</td></tr></table></body></html>');

let xlsx: Buffer;
let jpeg: Buffer;
let png: Buffer;
let plainZip: Buffer;

beforeAll(async () => {
  xlsx = await realXlsx();
  jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
  png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ffffff' } }).png().toBuffer();
  plainZip = await buildZip([{ name: 'readme.txt', data: 'hello' }]);
});

describe('sniffType', () => {
  it.each([
    ['a real xlsx', () => xlsx, 'xlsx'],
    ['a JPEG', () => jpeg, 'jpeg'],
    ['a PNG', () => png, 'png'],
    ['an OLE2 .xls', () => xlsMagic, 'xls'],
    ['a PDF', () => pdf, 'pdf'],
    ['a zip without a workbook inside', () => plainZip, 'zip'],
    // part names are the writer's choice (OPC): xl/main/Book.xml is as much a workbook
    ['an xlsx whose workbook part has another name', () => handBuilt(cohort(1), { strings: 'shared', partNames: true }), 'xlsx'],
    ['a Word document', () => zip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w:document/>' }]), 'zip'],
    ['comma-separated text', () => csv, 'csv'],
    ['an HTML table', () => html, 'unknown'],
    ['random binary', () => Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00]), 'unknown'],
    ['GIF', () => Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'gif'],
  ])('recognises %s by its bytes', (_label, make, expected) => {
    expect(sniffType(make())).toBe(expected);
  });
});

describe('checkUploadSize', () => {
  it.each([
    [0, 'upload.empty'],
    [21 * MB, 'upload.too_large'],
  ])('refuses %i bytes against a 20 MB limit', (bytes, code) => {
    const r = checkUploadSize(bytes, 20 * MB);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.code).toBe(code);
  });

  it('accepts a file within the limit', () => {
    expect(checkUploadSize(3 * MB, 20 * MB).ok).toBe(true);
  });

  it('names both the actual size and the limit', () => {
    const r = checkUploadSize(25 * MB, 20 * MB);
    expect(!r.ok && r.problems[0]!.message).toMatch(/25 MB.*20 MB/);
  });
});

describe('workbookType', () => {
  it('takes a real xlsx and CSV by their bytes', () => {
    expect(workbookType(xlsx, '成绩.xlsx')).toEqual({ ok: true, value: 'xlsx' });
    expect(workbookType(csv, '成绩.csv')).toEqual({ ok: true, value: 'csv' });
  });

  it.each([
    ['a JPEG named .xlsx', () => jpeg, '成绩.xlsx', /文件名是 \.xlsx，但内容实际是JPG 图片/],
    ['an old .xls', () => xlsMagic, '成绩.xls', /^暂不支持 \.xls，请在 Excel 中另存为 \.xlsx 后重新发送$/],
    ['an .xls that is really a web page', () => html, '成绩.xls', /网页格式.*另存为/],
    ['a plain zip', () => plainZip, '成绩.zip', /ZIP 压缩包.*解压/],
    ['a PDF', () => pdf, '成绩.pdf', /PDF 文档/],
  ])('refuses %s with a Chinese instruction', (_label, make, name, message) => {
    const r = workbookType(make(), name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(message);
  });
});
