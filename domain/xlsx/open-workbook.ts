// The one door every workbook comes in by — grade uploads in chat, `cert score`, every
// `cert import`, exam plans and staff lists. An .xlsx is a zip whose sizes are whatever
// its author wrote, so nothing declared is believed: each part is inflated as a stream,
// its real bytes counted against a limit per part and for the whole file, and the
// worksheet XML parsed as it arrives with its rows and cells counted. The first limit
// reached stops the work and names itself, so a 1,000,000-row sheet is "too many rows"
// and a bomb is "too large when unpacked".
import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import type { InputProblem, Result } from '../model';
import { checkUploadSize, workbookType, DEFAULT_WORKBOOK_MAX_BYTES } from '../upload-guard';
import { columnLetter, loadCsvGrid, type Grid } from './grid';
import { partKey, partOfKind, relationshipsOf, relationshipsXml, stylesXml, workbookXml, type Relationship, type WorkbookPart } from './package-xml';
import { sharedStringsXml, SheetCellError, SheetLimitError, worksheetXml, type SheetContext, type XmlSink } from './sheet-xml';

const MB = 1024 * 1024;

export interface WorkbookLimits {
  /** the file as sent */
  maxBytes: number;
  /** all parts together, inflated */
  maxUnpackedBytes: number;
  /** any one part, inflated */
  maxEntryBytes: number;
  maxEntries: number;
  /** inflated ÷ compressed for a part once it has produced RATIO_FLOOR_BYTES */
  maxRatio: number;
  /** rows in all sheets together (a CSV is one sheet) */
  maxRows: number;
  maxColumns: number;
  maxCells: number;
}

// A whole graduating year in the long shape (12,700 students × 10 courses) is 127,000 rows
// and about 40 MB of sheet XML; these leave room for that and for nothing absurd.
export const DEFAULT_WORKBOOK_LIMITS: WorkbookLimits = {
  maxBytes: DEFAULT_WORKBOOK_MAX_BYTES,
  maxUnpackedBytes: 128 * MB,
  maxEntryBytes: 96 * MB,
  maxEntries: 1000,
  // worksheet XML deflates 10–60×; only a run of one byte reaches deflate's ~1000×
  maxRatio: 400,
  maxRows: 200_000,
  maxColumns: 1000,
  maxCells: 4_000_000,
};

// Below this a part is harmless whatever its ratio: a tiny styles.xml may deflate 300×.
const RATIO_FLOOR_BYTES = 1 * MB;

const RESAVE = '请用 Excel 打开原文件，“另存为”一个新的 .xlsx 文件后再发送';

function fail(code: string, message: string): { ok: false; problems: InputProblem[] } {
  return { ok: false, problems: [{ code, message }] };
}

function formatMb(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const NOT_A_WORKBOOK = (shown: string, why: string) => fail('upload.corrupt', `「${shown}」不是有效的 Excel 工作簿（${why}），无法读取。${RESAVE}`);

/** A refusal met while reading; carries the problem the user is shown. */
class Refused extends Error {
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}

function limitProblem(e: SheetLimitError, lim: WorkbookLimits, shown: string): InputProblem {
  const sheet = e.sheet ? `工作表「${e.sheet}」` : `「${shown}」`;
  switch (e.limit) {
    case 'rows':
      return {
        code: 'upload.too_many_rows',
        message: `${sheet}行数过多（超过 ${lim.maxRows.toLocaleString('en-US')} 行），不是一份成绩表或名单该有的大小，已拒收。请删除多余的行（包括只设置了格式的空行），或分成几个文件发送`,
        ...(e.sheet ? { sheet: e.sheet } : {}),
      };
    case 'columns':
      return {
        code: 'upload.too_many_columns',
        message: `${sheet}列数过多（超过 ${lim.maxColumns} 列），已拒收。请删除多余的列后重新发送`,
        ...(e.sheet ? { sheet: e.sheet } : {}),
      };
    case 'text':
      return {
        code: 'upload.cell_too_long',
        message: `${sheet}${e.sheet ? `第 ${e.at} 行` : ''}有单元格内容过长（超过 Excel 单元格上限 32,767 个字符），不像正常的工作簿，已拒收。${RESAVE}`,
        ...(e.sheet ? { sheet: e.sheet, row: e.at } : {}),
      };
    case 'cells':
      return {
        code: 'upload.too_many_cells',
        message: `${sheet}单元格过多（超过 ${lim.maxCells.toLocaleString('en-US')} 个），已拒收。请删除多余的工作表、行或列，或分成几个文件发送`,
        ...(e.sheet ? { sheet: e.sheet } : {}),
      };
  }
}

function cellProblem(e: SheetCellError, shown: string): InputProblem {
  const where = `「${shown}」的工作表「${e.sheet}」第 ${e.row} 行 ${columnLetter(e.col)} 列`;
  const at = { sheet: e.sheet, row: e.row, column: columnLetter(e.col) };
  return e.kind === 'uncalculated'
    ? {
        code: 'upload.uncalculated_formula',
        message: `${where}是公式，但文件里没有保存它的计算结果（多见于程序生成的文件），无法读取。请用 Excel 或 WPS 打开该文件，保存后重新发送`,
        ...at,
      }
    : { code: 'upload.corrupt', message: `${where}引用的文字在文件中不存在，文件已损坏，无法读取。${RESAVE}`, ...at };
}

/** Everything before the first byte is inflated: size, then what the bytes are. */
async function collect(input: Buffer | Readable, maxBytes: number): Promise<Buffer | 'too_large'> {
  if (Buffer.isBuffer(input)) return input;
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > maxBytes) {
      input.destroy();
      return 'too_large';
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Opens a workbook (.xlsx, or a CSV) into grids, or says in Chinese what is wrong with it.
 */
export async function openWorkbook(
  input: Buffer | Readable,
  fileName: string,
  limits: Partial<WorkbookLimits> = {},
): Promise<Result<Grid[]>> {
  const lim = { ...DEFAULT_WORKBOOK_LIMITS, ...limits };
  const shown = fileName.trim() || '该文件';
  const buf = await collect(input, lim.maxBytes);
  if (buf === 'too_large') return checkUploadSize(lim.maxBytes + 1, lim.maxBytes) as { ok: false; problems: InputProblem[] };
  const size = checkUploadSize(buf.length, lim.maxBytes);
  if (!size.ok) return size;
  const type = workbookType(buf, fileName);
  if (!type.ok) return type;
  if (type.value === 'csv') return openCsv(buf, fileName, lim, shown);
  try {
    return { ok: true, value: await readXlsx(buf, lim, shown) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, problems: [e.problem] };
    throw e;
  }
}

function openCsv(buf: Buffer, fileName: string, lim: WorkbookLimits, shown: string): Result<Grid[]> {
  const name = (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.[^.]+$/, '') || 'CSV';
  // every row ends in a line break (or the file's end): count them before building anything
  let lines = 1;
  for (let p = buf.indexOf(10); p >= 0; p = buf.indexOf(10, p + 1)) {
    if (++lines > lim.maxRows + 1) return { ok: false, problems: [limitProblem(new SheetLimitError('rows', '', lines), lim, shown)] };
  }
  const grid = loadCsvGrid(buf, name);
  if (grid.rows.length > lim.maxRows) return { ok: false, problems: [limitProblem(new SheetLimitError('rows', '', grid.rows.length), lim, shown)] };
  return { ok: true, value: [grid] };
}

/** Counts a part's real bytes and the whole file's, and refuses the moment a limit is passed. */
class Budget {
  total = 0;
  constructor(
    private readonly lim: WorkbookLimits,
    private readonly shown: string,
  ) {}

  /** `packed`: the compressed bytes consumed so far, the only honest measure of the ratio */
  take(entry: yauzl.Entry, entryBytes: number, chunk: number, packed: number): void {
    this.total += chunk;
    const { lim } = this;
    if (entryBytes > lim.maxEntryBytes || this.total > lim.maxUnpackedBytes) {
      const limit = entryBytes > lim.maxEntryBytes ? lim.maxEntryBytes : lim.maxUnpackedBytes;
      throw new Refused({
        code: 'upload.unpacked_too_large',
        message: `「${this.shown}」文件解压后过大（超过 ${formatMb(limit)}，压缩前只有 ${formatMb(entry.compressedSize)} 的部件 ${entry.fileName} 仍未读完），不像正常的 Excel 工作簿，已拒收。${RESAVE}`,
      });
    }
    if (entryBytes >= RATIO_FLOOR_BYTES && entryBytes / Math.max(1, packed) > lim.maxRatio) {
      throw new Refused({
        code: 'upload.zip_bomb',
        message: `「${this.shown}」文件解压后过大（部件 ${entry.fileName} 的压缩比超过 ${lim.maxRatio}:1，疑似“压缩炸弹”），已拒收。${RESAVE}`,
      });
    }
  }
}

async function readXlsx(buf: Buffer, lim: WorkbookLimits, shown: string): Promise<Grid[]> {
  let zip: yauzl.ZipFile;
  try {
    // sizes are checked here as they inflate; yauzl's own check trusts the declared size
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, autoClose: false, decodeStrings: true, strictFileNames: false, validateEntrySizes: false });
  } catch {
    throw new Refused(NOT_A_WORKBOOK(shown, '压缩结构损坏').problems[0]!);
  }
  try {
    if (zip.entryCount > lim.maxEntries) {
      throw new Refused({
        code: 'upload.too_many_entries',
        message: `「${shown}」内部包含 ${zip.entryCount} 个部件，远多于任何正常的 Excel 工作簿，已拒收。${RESAVE}`,
      });
    }
    const entries = new Map<string, yauzl.Entry>();
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.isEncrypted()) {
          throw new Refused({
            code: 'upload.encrypted',
            message: `「${shown}」设置了打开密码（已加密），无法读取。请在 Excel 中“文件→信息→保护工作簿→用密码进行加密”清除密码，保存后重新发送`,
          });
        }
        entries.set(partKey(entry.fileName), entry);
      }
    } catch (e) {
      if (e instanceof Refused) throw e;
      throw new Refused(NOT_A_WORKBOOK(shown, '压缩目录损坏').problems[0]!);
    }
    return await readParts(zip, entries, lim, shown);
  } finally {
    zip.close();
  }
}

async function readParts(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>, lim: WorkbookLimits, shown: string): Promise<Grid[]> {
  const budget = new Budget(lim, shown);
  const read = new Set<string>();
  let mismatch: string | null = null;
  /** A limit reached or a cell not to be guessed at stops the read with its own words. */
  const refuseNamed = (e: unknown): void => {
    if (e instanceof SheetLimitError) throw new Refused(limitProblem(e, lim, shown));
    if (e instanceof SheetCellError) throw new Refused(cellProblem(e, shown));
  };
  /** Inflates one part through `sink`, counting; a part that is not XML is still counted to its end. */
  const part = async (name: string, sink: XmlSink | null): Promise<boolean> => {
    // entries are keyed as the package compares part names
    const key = partKey(name);
    const entry = entries.get(key);
    if (!entry || read.has(key)) return false;
    read.add(key);
    const path = entry.fileName;
    if (entry.compressedSize === 0) {
      // a folder entry, or an empty part: nothing to inflate (yauzl opens no stream for it)
      if (entry.uncompressedSize !== 0) mismatch ??= path;
      if (sink) {
        try {
          sink.end();
        } catch {
          throw new Refused(NOT_A_WORKBOOK(shown, `部件 ${path} 是空的`).problems[0]!);
        }
      }
      return true;
    }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new Refused(NOT_A_WORKBOOK(shown, `部件 ${path} 使用了不支持的压缩方式`).problems[0]!);
    }
    let raw: Readable;
    try {
      // inflated here rather than by yauzl, so the compressed bytes consumed can be counted too;
      // yauzl takes no `decompress` for a stored part (legal, and some writers store every part)
      raw = await zip.openReadStreamPromise(entry, entry.compressionMethod === 8 ? { decompress: false } : {});
    } catch {
      throw new Refused(NOT_A_WORKBOOK(shown, `部件 ${path} 无法解压`).problems[0]!);
    }
    let packed = 0;
    raw.on('data', (c: Buffer) => (packed += c.length));
    const stream = entry.compressionMethod === 8 ? raw.pipe(createInflateRaw()) : raw;
    raw.on('error', (e) => stream.destroy(e));
    const decoder = new TextDecoder('utf-8');
    let bytes = 0;
    let malformed = false;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        budget.take(entry, bytes, chunk.length, packed);
        if (!sink || malformed) continue;
        try {
          sink.write(decoder.decode(chunk, { stream: true }));
        } catch (e) {
          refuseNamed(e);
          // keep counting: a bomb of garbage is a bomb before it is garbage
          malformed = true;
        }
      }
    } catch (e) {
      raw.destroy();
      stream.destroy();
      if (e instanceof Refused) throw e;
      throw new Refused(NOT_A_WORKBOOK(shown, `部件 ${path} 的压缩数据损坏`).problems[0]!);
    }
    if (sink && !malformed) {
      try {
        sink.write(decoder.decode());
        sink.end();
      } catch (e) {
        refuseNamed(e);
        malformed = true;
      }
    }
    if (malformed) throw new Refused(NOT_A_WORKBOOK(shown, `部件 ${path} 不是有效的 XML`).problems[0]!);
    // reported once every part is counted: a bomb in a later part is the truer answer
    if (bytes !== entry.uncompressedSize) mismatch ??= path;
    return true;
  };

  // the package's relationships name the workbook part; most writers call it xl/workbook.xml
  const root = new Map<string, Relationship>();
  await part('_rels/.rels', relationshipsXml('', root));
  const workbookPath = partOfKind(root, 'officeDocument', 'xl/workbook.xml');
  const workbook: WorkbookPart = { sheets: [], date1904: false };
  if (!(await part(workbookPath, workbookXml(workbook)))) throw new Refused(NOT_A_WORKBOOK(shown, `缺少 ${workbookPath}`).problems[0]!);
  const rels = new Map<string, Relationship>();
  await part(relationshipsOf(workbookPath), relationshipsXml(workbookPath, rels));
  const dateStyles: boolean[] = [];
  await part(partOfKind(rels, 'styles', 'xl/styles.xml'), stylesXml(dateStyles));
  const ctx: SheetContext = { strings: [], dateStyles, date1904: workbook.date1904, limits: lim, counted: { rows: 0, cells: 0 } };
  await part(partOfKind(rels, 'sharedStrings', 'xl/sharedStrings.xml'), sharedStringsXml(ctx.strings, lim));

  const grids: Grid[] = [];
  for (const sheet of workbook.sheets) {
    const rel = rels.get(sheet.relId);
    // a chart sheet, dialog sheet or macro sheet holds no cells
    if (!rel || rel.kind !== 'worksheet') continue;
    await part(rel.path, worksheetXml(sheet.name, ctx, (g) => grids.push(g)));
  }
  // every other part is inflated and counted too, so whatever opens this file next
  // (the error workbook marks the teacher's own file) meets nothing unchecked
  for (const path of entries.keys()) await part(path, null);
  if (mismatch) {
    throw new Refused({
      code: 'upload.zip_lying',
      message: `「${shown}」内部记录的大小与实际数据不符（部件 ${mismatch}），疑似被篡改，已拒收。${RESAVE}`,
    });
  }
  return grids;
}
