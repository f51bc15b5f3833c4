// Every file a user drops into chat is hostile until checked: the name says nothing
// about the bytes, and an .xlsx is a zip that exceljs would inflate blindly. These
// checks read only magic bytes and the zip's central directory, so a bomb is refused
// before anything is decompressed.
import yauzl from 'yauzl';
import type { Result } from './model';

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
    const names = zipEntryNames(buf);
    return names.has('[Content_Types].xml') && names.has('xl/workbook.xml') ? 'xlsx' : 'zip';
  }
  return looksLikeCsv(buf) ? 'csv' : 'unknown';
}

/**
 * Entry names from the zip's central directory, read synchronously. When the
 * directory cannot be walked (zip64, damage) the local headers are scanned instead:
 * the answer only picks a message, the real check is `checkXlsxArchive`.
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

export interface ArchiveLimits {
  /** more entries than any workbook needs means a crafted archive */
  maxEntries?: number;
  maxUncompressedBytes?: number;
  /** the largest uncompressed/compressed ratio accepted for an entry of 1 MB or more */
  maxRatio?: number;
}

export interface ArchiveFacts {
  entries: number;
  uncompressedBytes: number;
  names: string[];
}

const DEFAULT_LIMITS: Required<ArchiveLimits> = {
  maxEntries: 2000,
  maxUncompressedBytes: 50 * MB,
  // Worksheet XML compresses well (20–60×); a run of zeros reaches ~1000×.
  maxRatio: 200,
};

// Below this an entry is harmless whatever its ratio: a tiny styles.xml may compress 300×.
const RATIO_FLOOR_BYTES = 1 * MB;

const BOMB_MESSAGE =
  '这个文件解压后异常巨大（疑似“压缩炸弹”），已拒收。请用 Excel 打开原始成绩表，“另存为”一个新的 .xlsx 文件后再发送';

/**
 * Reads the central directory only — the sizes each entry declares — and refuses a
 * bomb, an encrypted workbook or a crafted entry count before anything is inflated.
 * A lying entry that declares fewer bytes than its compressed data is refused too,
 * since deflate never grows data by more than a few bytes per 16 KB.
 */
export function checkXlsxArchive(buf: Buffer, limits: ArchiveLimits = {}): Promise<Result<ArchiveFacts>> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  return new Promise((resolve) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, autoClose: true, decodeStrings: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) {
        resolve(fail('upload.corrupt', '文件已损坏，无法作为 Excel 工作簿打开。请在 Excel 中重新保存为 .xlsx 后再发送'));
        return;
      }
      if (zip.entryCount > lim.maxEntries) {
        zip.close();
        resolve(fail('upload.too_many_entries', `文件内部结构异常（包含 ${zip.entryCount} 个部件），不像正常的 Excel 工作簿，已拒收。请用 Excel 另存为新的 .xlsx 后再发送`));
        return;
      }
      let total = 0;
      const names: string[] = [];
      let settled = false;
      const finish = (r: Result<ArchiveFacts>) => {
        if (settled) return;
        settled = true;
        if (zip.isOpen) zip.close();
        resolve(r);
      };
      zip.on('error', () => finish(fail('upload.corrupt', '文件已损坏，无法作为 Excel 工作簿打开。请在 Excel 中重新保存为 .xlsx 后再发送')));
      zip.on('end', () => finish({ ok: true, value: { entries: names.length, uncompressedBytes: total, names } }));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.isEncrypted()) {
          finish(fail('upload.encrypted', '工作簿设置了打开密码（已加密），无法读取。请在 Excel 中“文件→信息→保护工作簿→用密码进行加密”清除密码，保存后重新发送'));
          return;
        }
        const declared = entry.uncompressedSize;
        const compressed = entry.compressedSize;
        total += declared;
        names.push(entry.fileName);
        if (total > lim.maxUncompressedBytes) {
          finish(fail('upload.zip_bomb', `${BOMB_MESSAGE}（解压后超过 ${formatMb(lim.maxUncompressedBytes)}）`));
          return;
        }
        if (declared >= RATIO_FLOOR_BYTES && compressed > 0 && declared / compressed > lim.maxRatio) {
          finish(fail('upload.zip_bomb', `${BOMB_MESSAGE}（部件 ${entry.fileName} 压缩比 ${Math.round(declared / compressed)}:1）`));
          return;
        }
        if (compressed > declared + Math.ceil(declared / 1000) + 1024) {
          finish(fail('upload.zip_lying', `文件内部记录的大小与实际数据不符，疑似被篡改，已拒收。请用 Excel 另存为新的 .xlsx 后再发送`));
          return;
        }
        zip.readEntry();
      });
      zip.readEntry();
    });
  });
}

export interface WorkbookGuardOptions {
  /** bytes; Feishu lets a bot download files up to 100 MB, a grade workbook needs far less */
  maxBytes?: number;
  archive?: ArchiveLimits;
}

export const DEFAULT_WORKBOOK_MAX_BYTES = 20 * MB;

function extensionOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]+)\s*$/.exec(fileName);
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * The gate in front of every workbook reader: size, type by content, then the zip's
 * declared sizes. Returns the type the reader should parse the bytes as.
 */
export async function guardWorkbook(
  buf: Buffer,
  fileName: string,
  opts: WorkbookGuardOptions = {},
): Promise<Result<{ type: 'xlsx' | 'csv' }>> {
  const size = checkUploadSize(buf.length, opts.maxBytes ?? DEFAULT_WORKBOOK_MAX_BYTES);
  if (!size.ok) return size;

  const type = sniffType(buf);
  const shown = fileName.trim() || '该文件';
  const ext = extensionOf(fileName);
  switch (type) {
    case 'xlsx': {
      const archive = await checkXlsxArchive(buf, opts.archive);
      if (!archive.ok) return archive;
      return { ok: true, value: { type: 'xlsx' } };
    }
    case 'csv':
      return { ok: true, value: { type: 'csv' } };
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

