import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { buildZip, zeros, type ZipPart } from '../unit/materials/zip-fixtures';

// Files an attacker would send instead of a workbook, generated for real (archiver
// deflates every byte), each a few MB at most on disk. Used by the opener's unit tests,
// every import path's tests and the hostile-inputs bench.

const MB = 1024 * 1024;

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="成绩" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';

// Deflating a GiB of zeros and a million rows costs about 12 s of CPU, and four test files
// want the same three files: each is made once per machine for these generators' sources,
// kept under the system temp folder, and read back by every later caller.
const CACHE = join(
  tmpdir(),
  `hostile-files-${createHash('sha256')
    .update(readFileSync(import.meta.filename))
    .update(readFileSync(join(import.meta.dirname, '../unit/materials/zip-fixtures.ts')))
    .digest('hex')
    .slice(0, 16)}`,
);

async function madeOnce(name: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const path = join(CACHE, name);
  if (existsSync(path)) return readFileSync(path);
  const bytes = await make();
  mkdirSync(CACHE, { recursive: true });
  // written aside and renamed, so a test file in another worker never reads half a file
  const aside = `${path}.${process.pid}`;
  writeFileSync(aside, bytes);
  renameSync(aside, path);
  return bytes;
}

/** A minimal, valid .xlsx around one worksheet part, plus any extra parts. */
export function workbookWith(sheet: ZipPart['data'], extra: ZipPart[] = []): Promise<Buffer> {
  return buildZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/_rels/workbook.xml.rels', data: RELS },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
    ...extra,
  ]);
}

/** A worksheet of `rows` rows (学号, 姓名, a score), streamed so it never sits in memory. */
function manyRows(rows: number): () => Readable {
  return () => {
    let r = 0;
    let started = false;
    return new Readable({
      read() {
        if (!started) {
          started = true;
          this.push('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
          return;
        }
        if (r >= rows) {
          this.push('</sheetData></worksheet>');
          this.push(null);
          return;
        }
        const parts: string[] = [];
        for (let i = 0; i < 2000 && r < rows; i++) {
          r++;
          parts.push(`<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${2020000000 + r}</t></is></c><c r="B${r}" t="inlineStr"><is><t>学生</t></is></c><c r="C${r}"><v>${60 + (r % 40)}</v></c></row>`);
        }
        this.push(parts.join(''));
      },
    });
  };
}

/** An honest bomb: 300 MB of zeros as the worksheet, sizes declared truthfully (≈ 300 KB packed). */
export function honestBomb(): Promise<Buffer> {
  return madeOnce('honest-bomb.xlsx', () => workbookWith(zeros(300 * MB)));
}

/** A workbook of 1,000,000 rows (≈ 14 MB packed, 110 MB of XML). */
export function millionRows(): Promise<Buffer> {
  return madeOnce('million-rows.xlsx', () => workbookWith(manyRows(1_000_000)));
}

/** Offsets of the central-directory record and local header of `name`. */
function records(zip: Buffer, name: string): { central: number; local: number } {
  let p = zip.indexOf('PK\x01\x02', 0, 'latin1');
  while (p >= 0) {
    const len = zip.readUInt16LE(p + 28);
    if (zip.toString('utf8', p + 46, p + 46 + len) === name) return { central: p, local: zip.readUInt32LE(p + 42) };
    p = zip.indexOf('PK\x01\x02', p + 4, 'latin1');
  }
  throw new Error(`no entry ${name}`);
}

/**
 * The bomb from issue 16: every entry declares its unpacked size equal to its packed size,
 * so a guard that believes the directory sees an ordinary 1 MB workbook.
 */
export function lyingBomb(sheet?: ZipPart['data']): Promise<Buffer> {
  return sheet ? lyingAbout(sheet) : madeOnce('lying-bomb.xlsx', () => lyingAbout(zeros(1024 * MB)));
}

async function lyingAbout(sheet: ZipPart['data']): Promise<Buffer> {
  const zip = await workbookWith(sheet);
  for (const name of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml']) {
    const { central, local } = records(zip, name);
    const packed = zip.readUInt32LE(central + 20);
    zip.writeUInt32LE(packed, central + 24);
    // archiver streams entries, so the local header's sizes are zero and a data descriptor follows;
    // patch the local header too in case a reader looks there
    if (zip.readUInt32LE(local + 22) !== 0) zip.writeUInt32LE(packed, local + 22);
  }
  return zip;
}

/** The hostile workbooks every import path is tried with, by what they should be refused as. */
export async function hostileWorkbooks(): Promise<Array<{ label: string; bytes: Buffer; message: RegExp }>> {
  return [
    { label: 'a zip bomb with honest sizes', bytes: await honestBomb(), message: /解压后过大/ },
    { label: 'a zip bomb whose entries declare their packed size', bytes: await lyingBomb(), message: /解压后过大/ },
    { label: 'a 1,000,000-row sheet', bytes: await millionRows(), message: /行数过多/ },
  ];
}

/**
 * A real image whose header declares `width`×`height`: encoded small by sharp, then the
 * JPEG frame header (SOF) or PNG IHDR rewritten, the way a crafted file lies. Generating a
 * true 30000×30000 image takes most of a minute; the hostile-inputs bench does that.
 */
export async function imageClaiming(format: 'jpeg' | 'png', width: number, height: number): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const small = sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } });
  const buf = Buffer.from(await (format === 'jpeg' ? small.jpeg() : small.png()).toBuffer());
  if (format === 'png') {
    buf.writeUInt32BE(width, 16);
    buf.writeUInt32BE(height, 20);
    buf.writeUInt32BE(crc32(buf.subarray(12, 29)), 29);
    return buf;
  }
  for (let p = 2; p + 9 < buf.length; ) {
    if (buf[p] !== 0xff) throw new Error('not at a JPEG marker');
    const marker = buf[p + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) {
      buf.writeUInt16BE(height, p + 5);
      buf.writeUInt16BE(width, p + 7);
      return buf;
    }
    p += 2 + buf.readUInt16BE(p + 2);
  }
  throw new Error('no JPEG frame header');
}

/** The not-an-ID: 800×200 of the words "Hello not a photo". */
export async function textBanner(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="200"><rect width="800" height="200" fill="#fff"/><text x="40" y="120" font-size="64" font-family="sans-serif">Hello not a photo</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}
