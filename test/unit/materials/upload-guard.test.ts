import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkUploadSize, checkXlsxArchive, guardWorkbook, sniffType } from '../../../domain/upload-guard';
import { buildZip, CONTENT_TYPES, WORKBOOK, zeros } from './zip-fixtures';

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
let bomb: Buffer;

// Central-directory records start with PK\x01\x02; these patch the one for `name`.
function centralRecord(zip: Buffer, name: string): number {
  let p = zip.indexOf('PK\x01\x02', 0, 'latin1');
  while (p >= 0) {
    const len = zip.readUInt16LE(p + 28);
    if (zip.toString('utf8', p + 46, p + 46 + len) === name) return p;
    p = zip.indexOf('PK\x01\x02', p + 4, 'latin1');
  }
  throw new Error(`no central record for ${name}`);
}

beforeAll(async () => {
  xlsx = await realXlsx();
  jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
  png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ffffff' } }).png().toBuffer();
  plainZip = await buildZip([{ name: 'readme.txt', data: 'hello' }]);
  // 200 MB of zeros deflates to about 200 KB; shaped like a workbook so only the sizes give it away.
  bomb = await buildZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/worksheets/sheet1.xml', data: zeros(200 * MB) },
  ]);
}, 120_000);

describe('sniffType', () => {
  it.each([
    ['a real xlsx', () => xlsx, 'xlsx'],
    ['a JPEG', () => jpeg, 'jpeg'],
    ['a PNG', () => png, 'png'],
    ['an OLE2 .xls', () => xlsMagic, 'xls'],
    ['a PDF', () => pdf, 'pdf'],
    ['a zip without a workbook inside', () => plainZip, 'zip'],
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

describe('guardWorkbook', () => {
  it('accepts a real xlsx', async () => {
    expect(await guardWorkbook(xlsx, '成绩.xlsx')).toEqual({ ok: true, value: { type: 'xlsx' } });
  });

  it('accepts CSV as its own type', async () => {
    expect(await guardWorkbook(csv, '成绩.csv')).toEqual({ ok: true, value: { type: 'csv' } });
  });

  it.each([
    ['a JPEG named .xlsx', () => jpeg, '成绩.xlsx', /文件名是 \.xlsx，但内容实际是JPG 图片/],
    ['an old .xls', () => xlsMagic, '成绩.xls', /^暂不支持 \.xls，请在 Excel 中另存为 \.xlsx 后重新发送$/],
    ['an .xls that is really a web page', () => html, '成绩.xls', /网页格式.*另存为/],
    ['a plain zip', () => plainZip, '成绩.zip', /ZIP 压缩包.*解压/],
    ['a PDF', () => pdf, '成绩.pdf', /PDF 文档/],
    ['an empty file', () => Buffer.alloc(0), '成绩.xlsx', /空的/],
  ])('refuses %s with a Chinese instruction', async (_label, make, name, message) => {
    const r = await guardWorkbook(make(), name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(message);
  });

  it('refuses a file above the size limit before looking inside', async () => {
    const r = await guardWorkbook(xlsx, '成绩.xlsx', { maxBytes: 1024 });
    expect(!r.ok && r.problems[0]!.code).toBe('upload.too_large');
  });

  it('refuses a zip bomb dressed as a workbook', async () => {
    expect(sniffType(bomb)).toBe('xlsx');
    expect(bomb.length).toBeLessThan(2 * MB);
    const r = await guardWorkbook(bomb, '成绩.xlsx');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.code).toBe('upload.zip_bomb');
      expect(r.problems[0]!.message).toMatch(/压缩炸弹.*另存为/);
    }
  });
});

describe('checkXlsxArchive', () => {
  it('reports the declared sizes of a real workbook', async () => {
    const r = await checkXlsxArchive(xlsx);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.names).toContain('xl/workbook.xml');
  });

  it('refuses a bomb from the central directory alone, without inflating it', async () => {
    // Garble the deflate stream: inflating would fail with a data error; the sizes still refuse it.
    const garbled = Buffer.from(bomb);
    const local = garbled.indexOf('xl/worksheets/sheet1.xml', 0, 'utf8');
    garbled.fill(0xff, local + 200, local + 100_000);
    const r = await checkXlsxArchive(garbled);
    expect(!r.ok && r.problems[0]!.code).toBe('upload.zip_bomb');
  });

  it.each([
    ['total size', { maxUncompressedBytes: 1 * MB, maxRatio: 100_000 }],
    ['compression ratio', { maxUncompressedBytes: 500 * MB, maxRatio: 200 }],
  ])('refuses a bomb on its %s', async (_label, limits) => {
    const r = await checkXlsxArchive(bomb, limits);
    expect(!r.ok && r.problems[0]!.code).toBe('upload.zip_bomb');
  });

  it('refuses an archive with an absurd number of entries', async () => {
    const many = await buildZip(Array.from({ length: 30 }, (_, i) => ({ name: `x/${i}.xml`, data: '<a/>' })));
    const r = await checkXlsxArchive(many, { maxEntries: 20 });
    expect(!r.ok && r.problems[0]!.code).toBe('upload.too_many_entries');
  });

  it('refuses an encrypted entry', async () => {
    const zip = Buffer.from(xlsx);
    const p = centralRecord(zip, 'xl/workbook.xml');
    zip.writeUInt16LE(zip.readUInt16LE(p + 8) | 1, p + 8);
    const r = await checkXlsxArchive(zip);
    expect(!r.ok && r.problems[0]!.code).toBe('upload.encrypted');
  });

  it('refuses an entry that declares fewer bytes than it holds compressed', async () => {
    const noise = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 2654435761) >>> 24));
    const big = await buildZip([{ name: 'xl/worksheets/sheet1.xml', data: noise }]);
    const p = centralRecord(big, 'xl/worksheets/sheet1.xml');
    big.writeUInt32LE(10, p + 24);
    const r = await checkXlsxArchive(big);
    expect(!r.ok && r.problems[0]!.code).toBe('upload.zip_lying');
  });

  it('refuses bytes that are not a zip at all', async () => {
    const r = await checkXlsxArchive(Buffer.from('PK\x03\x04 broken', 'latin1'));
    expect(!r.ok && r.problems[0]!.code).toBe('upload.corrupt');
  });
});
