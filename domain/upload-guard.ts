// Every file a user drops into chat is hostile until checked: the name says nothing
// about the bytes. These checks read only magic bytes and the zip's directory names;
// what a zip really inflates to is counted by openWorkbook (domain/xlsx/open-workbook.ts).
import type { Result } from './model';
import { partKey } from './xlsx/package-xml';

export type SniffedType = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'pdf' | 'xlsx' | 'xls' | 'zip' | 'csv' | 'unknown';

export const TYPE_LABEL: Record<SniffedType, string> = {
  jpeg: 'JPG 图片',
  png: 'PNG 图片',
  gif: 'GIF 图片',
  webp: 'WebP 图片',
  bmp: 'BMP 图片',
  pdf: 'PDF 文档',
  xlsx: 'Excel 工作簿（.xlsx）',
  xls: '旧版 Excel 工作簿（.xls）',
  zip: 'ZIP 压缩包',
  csv: 'CSV 文本表格',
  unknown: '无法识别的文件',
};

const MB = 1024 * 1024;

function startsWith(buf: Buffer, bytes: number[], offset = 0): boolean {
  if (buf.length < offset + bytes.length) return false;
  return bytes.every((b, i) => buf[offset + i] === b);
}

/** What the bytes are, whatever the file is called. */
export function sniffType(buf: Buffer): SniffedType {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(buf, [0x52, 0x49, 0x46, 0x46]) && startsWith(buf, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(buf, [0x42, 0x4d]) && buf.length >= 26) return 'bmp';
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'xls';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buf, [0x50, 0x4b, 0x05, 0x06])) {
    // an OPC package whose parts are under xl/: the workbook part may have any name (its
    // relationships say which), and part names compare without regard to case
    const names = [...zipEntryNames(buf)].map(partKey);
    return names.includes('[content_types].xml') && names.some((n) => n.startsWith('xl/')) ? 'xlsx' : 'zip';
  }
  return looksLikeCsv(buf) ? 'csv' : 'unknown';
}

/**
 * Entry names from the zip's central directory, read synchronously. When the
 * directory cannot be walked (zip64, damage) the local headers are scanned instead:
 * the answer only picks a message, the real check is openWorkbook's.
 */
function zipEntryNames(buf: Buffer): Set<string> {
  const names = new Set<string>();
  const eocd = findEndOfCentralDirectory(buf);
  if (eocd >= 0) {
    const count = buf.readUInt16LE(eocd + 10);
    let p = buf.readUInt32LE(eocd + 16);
    for (let i = 0; i < count && p + 46 <= buf.length && buf.readUInt32LE(p) === 0x02014b50; i++) {
      const nameLength = buf.readUInt16LE(p + 28);
      const extraLength = buf.readUInt16LE(p + 30);
      const commentLength = buf.readUInt16LE(p + 32);
      names.add(buf.toString('utf8', p + 46, Math.min(buf.length, p + 46 + nameLength)));
      p += 46 + nameLength + extraLength + commentLength;
    }
    if (names.size > 0) return names;
  }
  let p = 0;
  while (p + 30 <= buf.length) {
    const at = buf.indexOf('PK\x03\x04', p, 'latin1');
    if (at < 0 || at + 30 > buf.length) break;
    const nameLength = buf.readUInt16LE(at + 26);
    names.add(buf.toString('utf8', at + 30, Math.min(buf.length, at + 30 + nameLength)));
    p = at + 4;
  }
  return names;
}

function findEndOfCentralDirectory(buf: Buffer): number {
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let p = buf.length - 22; p >= lowest; p--) {
    if (buf.readUInt32LE(p) === 0x06054b50) return p;
  }
  return -1;
}

// Excel in China saves CSV as GBK, so "text" means: no NUL bytes and no control
// characters besides tab and line breaks; markup (an HTML table saved as .xls) is not CSV.
function looksLikeCsv(buf: Buffer): boolean {
  if (buf.length === 0) return false;
  const head = buf.subarray(0, 64 * 1024);
  for (const b of head) {
    if (b === 0x09 || b === 0x0a || b === 0x0d) continue;
    if (b < 0x20 || b === 0x7f) return false;
  }
  const text = head.toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart();
  if (text.startsWith('<')) return false;
  return /[,\t;\n]/.test(text);
}

/** Whether the text looks like a web page — what some 教务 systems export as "xls". */
function looksLikeMarkup(buf: Buffer): boolean {
  const text = buf.subarray(0, 4096).toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart().toLowerCase();
  return text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<table') || text.startsWith('<?xml');
}

function fail<T>(code: string, message: string): Result<T> {
  return { ok: false, problems: [{ code, message }] };
}

function formatMb(bytes: number): string {
  return bytes >= MB ? `${(Math.round((bytes / MB) * 10) / 10).toString()} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function checkUploadSize(declaredBytes: number, limit: number): Result<{ bytes: number }> {
  if (!Number.isFinite(declaredBytes) || declaredBytes <= 0) {
    return fail('upload.empty', '文件是空的（0 字节），请确认文件已保存后重新发送');
  }
  if (declaredBytes > limit) {
    return fail(
      'upload.too_large',
      `文件太大（${formatMb(declaredBytes)}），上限为 ${formatMb(limit)}。请删除多余的工作表、图片或空行后重新发送，或分成几个文件发送`,
    );
  }
  return { ok: true, value: { bytes: declaredBytes } };
}

export const DEFAULT_WORKBOOK_MAX_BYTES = 20 * MB;

function extensionOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]+)\s*$/.exec(fileName);
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * What a file sent as a workbook really is, by its bytes: an .xlsx or a CSV to read, or
 * a Chinese explanation of what it is instead. `openWorkbook` (domain/xlsx) asks this first.
 */
export function workbookType(buf: Buffer, fileName: string): Result<'xlsx' | 'csv'> {
  const type = sniffType(buf);
  const shown = fileName.trim() || '该文件';
  const ext = extensionOf(fileName);
  switch (type) {
    case 'xlsx':
    case 'csv':
      return { ok: true, value: type };
    case 'xls':
      return fail('upload.xls', '暂不支持 .xls，请在 Excel 中另存为 .xlsx 后重新发送');
    case 'zip':
      return fail(
        'upload.not_workbook',
        `「${shown}」是一个 ZIP 压缩包，不是 Excel 工作簿。请解压后单独发送其中的 .xlsx 文件`,
      );
    case 'unknown':
      if (looksLikeMarkup(buf)) {
        return fail(
          'upload.not_workbook',
          `「${shown}」实际是网页格式（常见于教务系统导出的表格），不是真正的 Excel 工作簿。请用 Excel 打开它，“另存为”→“Excel 工作簿 (*.xlsx)”后重新发送`,
        );
      }
      return fail('upload.not_workbook', `无法识别「${shown}」的内容，它不是 Excel 工作簿。请发送 .xlsx 格式的文件`);
    default: {
      const claimed = ext === 'xlsx' || ext === 'xls' || ext === 'csv' ? `文件名是 .${ext}，但` : '';
      return fail(
        'upload.not_workbook',
        `「${shown}」${claimed}内容实际是${TYPE_LABEL[type]}，不是 Excel 工作簿。请发送 .xlsx 格式的成绩表（不要截图或改扩展名）`,
      );
    }
  }
}

