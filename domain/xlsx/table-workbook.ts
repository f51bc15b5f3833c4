import { crc32, createDeflateRaw } from 'node:zlib';
import { columnLetter } from './grid';
import { cellValue, FONT_NAME, planTableSheet, WORKBOOK_CREATOR, type CellStyle, type PlannedCell, type PlannedRow, type TablePlan, type TableSheetSpec } from './table-plan';

// Our own writer of table workbooks (附件4/5/6, roster, summary, …): the sheet XML is
// written as text straight from the rows and deflated on libuv's threads while the next
// sheet is laid out. exceljs took most of a cohort's `cert score` in building one
// object per cell and row and in loading itself (issue #19); these forms need none of
// that. Only the OOXML of ECMA-376 part 1 §18.2 (workbook), §18.3 (sheet), §18.4 (shared strings) and §18.8
// (styles) that the forms use is written; tests read every form back with exceljs.

/** One table sheet after another, in the order added. */
export interface TableBook {
  add<R>(spec: TableSheetSpec<R>): void;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const ASCII_CHUNK = 1 << 20;

// characters XML 1.0 cannot carry are dropped, as exceljs does; the rest escaped
const XML_SPECIAL = /[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const XML_SPECIAL_ALL = /[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
function xml(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_ALL, (c) => ENTITY[c] ?? '') : text;
}

/** Styles as cellXfs indexes, fonts and number formats numbered as they are first used. */
class Styles {
  private readonly xfs = new Map<string, number>();
  private readonly xfXml: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly fonts = new Map<string, number>();
  private readonly fontXml: string[] = [`<font><sz val="11"/><name val="${FONT_NAME}"/></font>`];
  private readonly numFmts = new Map<string, number>([
    ['0', 1],
    ['0.00', 2],
    ['@', 49],
  ]);
  private readonly customFmtXml: string[] = [];
  private readonly byObject = new WeakMap<CellStyle, number>();

  id(s: CellStyle): number {
    const known = this.byObject.get(s);
    if (known !== undefined) return known;
    const key = `${s.size}|${s.bold}|${s.horizontal}|${s.vertical}|${s.wrap}|${s.border}|${s.fill}|${s.numFmt ?? ''}`;
    let id = this.xfs.get(key);
    if (id === undefined) {
      const fontKey = `${s.size}|${s.bold}`;
      let font = this.fonts.get(fontKey);
      if (font === undefined) {
        font = this.fontXml.length;
        this.fonts.set(fontKey, font);
        this.fontXml.push(`<font>${s.bold ? '<b/>' : ''}<sz val="${s.size}"/><name val="${FONT_NAME}"/></font>`);
      }
      let fmt = 0;
      if (s.numFmt) {
        fmt = this.numFmts.get(s.numFmt) ?? 164 + this.customFmtXml.length;
        if (!this.numFmts.has(s.numFmt)) {
          this.numFmts.set(s.numFmt, fmt);
          this.customFmtXml.push(`<numFmt numFmtId="${fmt}" formatCode="${xml(s.numFmt)}"/>`);
        }
      }
      const vertical = s.vertical === 'middle' ? 'center' : s.vertical;
      id = this.xfXml.length;
      this.xfs.set(key, id);
      this.xfXml.push(
        `<xf numFmtId="${fmt}" fontId="${font}" fillId="${s.fill ? 2 : 0}" borderId="${s.border ? 1 : 0}" xfId="0"${fmt ? ' applyNumberFormat="1"' : ''} applyFont="1"${s.fill ? ' applyFill="1"' : ''}${s.border ? ' applyBorder="1"' : ''} applyAlignment="1">` +
          `<alignment horizontal="${s.horizontal}" vertical="${vertical}"${s.wrap ? ' wrapText="1"' : ''}/></xf>`,
      );
    }
    this.byObject.set(s, id);
    return id;
  }

  xml(): string {
    const thin = '<color rgb="FF000000"/>';
    return (
      `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">` +
      (this.customFmtXml.length ? `<numFmts count="${this.customFmtXml.length}">${this.customFmtXml.join('')}</numFmts>` : '') +
      `<fonts count="${this.fontXml.length}">${this.fontXml.join('')}</fonts>` +
      '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>' +
      '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/></patternFill></fill></fills>' +
      '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>' +
      `<border><left style="thin">${thin}</left><right style="thin">${thin}</right><top style="thin">${thin}</top><bottom style="thin">${thin}</bottom><diagonal/></border></borders>` +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfXml.length}">${this.xfXml.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    );
  }
}

/**
 * Text goes to the shared-string table, so the sheet XML itself is all ASCII: V8 keeps it
 * one byte per character and it reaches zlib without a UTF-8 pass, at a third of the cost.
 */
class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly items: string[] = [];
  private uses = 0;

  id(text: string): number {
    this.uses++;
    let id = this.index.get(text);
    if (id === undefined) {
      id = this.items.length;
      this.index.set(text, id);
      const escaped = xml(text);
      this.items.push(`<si><t${escaped.trim() === escaped ? '' : ' xml:space="preserve"'}>${escaped}</t></si>`);
    }
    return id;
  }

  xml(): string {
    return `${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${this.uses}" uniqueCount="${this.items.length}">${this.items.join('')}</sst>`;
  }
}

function cellXml(ref: string, value: string | number | null, style: number, strings: SharedStrings): string {
  if (value === null) return `<c r="${ref}" s="${style}"/>`;
  if (typeof value === 'number') return `<c r="${ref}" s="${style}"><v>${value}</v></c>`;
  return `<c r="${ref}" s="${style}" t="s"><v>${strings.id(value)}</v></c>`;
}

function rowOpen(row: number, height?: number): string {
  return height ? `<row r="${row}" ht="${height}" customHeight="1">` : `<row r="${row}">`;
}

/** A planned row's cells, with the cells a merge covers styled like its first cell, as Excel shows them. */
function plannedRowXml(planned: PlannedRow, plan: TablePlan<unknown>, book: BookParts, letters: string[]): string {
  const cells = new Map<number, PlannedCell>(planned.cells.map((c) => [c.col, c]));
  for (const [r1, c1, r2, c2] of plan.merges) {
    if (planned.row < r1 || planned.row > r2) continue;
    const master = [...plan.before, ...plan.after].find((p) => p.row === r1)?.cells.find((c) => c.col === c1);
    if (!master) continue;
    for (let c = c1; c <= c2; c++) if (!cells.has(c)) cells.set(c, { col: c, value: null, style: master.style });
  }
  let out = rowOpen(planned.row, planned.height);
  for (const c of [...cells.values()].sort((a, b) => a.col - b.col)) out += cellXml(`${letters[c.col - 1]}${planned.row}`, c.value, book.styles.id(c.style), book.strings);
  return `${out}</row>`;
}

interface Part {
  name: string;
  /** uncompressed size, CRC-32 and the deflated bytes */
  size: number;
  crc: number;
  deflated: Buffer;
}

interface BookParts {
  styles: Styles;
  strings: SharedStrings;
}

/** Deflated on libuv's threads: the next sheet is laid out meanwhile. */
function part(name: string, chunks: Buffer[]): Promise<Part> {
  // level 1: files about the size exceljs wrote, at a fraction of level 6's time
  const z = createDeflateRaw({ level: 1 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  let size = 0;
  let crc = 0;
  for (const c of chunks) {
    size += c.length;
    crc = crc32(c, crc);
    z.write(c);
  }
  z.end();
  return new Promise((resolve, reject) => {
    z.on('end', () => resolve({ name, size, crc, deflated: Buffer.concat(out) }));
    z.on('error', reject);
  });
}

/**
 * ASCII text copied into buffers of a megabyte as it is produced, a row at a time: no
 * string the size of a sheet is ever built, and what a row allocates dies young.
 */
class AsciiSink {
  readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(ASCII_CHUNK);
  private at = 0;

  write(text: string): void {
    if (this.at + text.length > this.buf.length) {
      this.chunks.push(this.buf.subarray(0, this.at));
      this.buf = Buffer.allocUnsafe(Math.max(ASCII_CHUNK, text.length));
      this.at = 0;
    }
    this.at += this.buf.write(text, this.at, 'latin1');
  }

  end(): Buffer[] {
    this.chunks.push(this.buf.subarray(0, this.at));
    return this.chunks;
  }
}

/** The sheet's XML (all ASCII, see SharedStrings). */
function sheetXml(plan: TablePlan<unknown>, book: BookParts): Buffer[] {
  const out = new AsciiSink();
  const n = plan.widths.length;
  const letters = Array.from({ length: n }, (_, i) => columnLetter(i + 1));
  const cols = plan.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  out.write(
    `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>` +
      `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`,
  );
  for (const planned of plan.before) out.write(plannedRowXml(planned, plan, book, letters));
  const { firstRow, rows, columns } = plan.data;
  const styleIds = plan.data.styles.map((s) => book.styles.id(s));
  for (let index = 0; index < rows.length; index++) {
    const r = rows[index];
    const row = firstRow + index;
    let text = `<row r="${row}">`;
    for (let i = 0; i < n; i++) {
      const c = columns[i]!;
      text += cellXml(letters[i]! + row, cellValue(c.value(r, index), c.kind), styleIds[i]!, book.strings);
    }
    out.write(`${text}</row>`);
  }
  for (const planned of plan.after) out.write(plannedRowXml(planned, plan, book, letters));
  let tail = '</sheetData>';
  if (plan.merges.length) {
    const ref = ([r1, c1, r2, c2]: [number, number, number, number]) => `${letters[c1 - 1]}${r1}:${letters[c2 - 1]}${r2}`;
    tail += `<mergeCells count="${plan.merges.length}">${plan.merges.map((m) => `<mergeCell ref="${ref(m)}"/>`).join('')}</mergeCells>`;
  }
  tail +=
    '<printOptions horizontalCentered="1"/><pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>' +
    `<pageSetup paperSize="9" orientation="${plan.landscape ? 'landscape' : 'portrait'}" fitToWidth="1" fitToHeight="0"/></worksheet>`;
  out.write(tail);
  return out.end();
}

function workbookXml(plans: Array<TablePlan<unknown>>): string {
  const sheets = plans.map((p, i) => `<sheet name="${xml(p.name)}" sheetId="${i + 1}" r:id="rId${i + 2}"/>`).join('');
  const titles = plans
    .map((p, i) => `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${xml(`'${p.name.replace(/'/g, "''")}'`)}!$${p.repeatRows[0]}:$${p.repeatRows[1]}</definedName>`)
    .join('');
  return `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets>${sheets}</sheets><definedNames>${titles}</definedNames></workbook>`;
}

function packageParts(plans: Array<TablePlan<unknown>>): Array<[string, string]> {
  const type = (t: string) => `application/vnd.openxmlformats-${t}`;
  const overrides = [
    ['/xl/workbook.xml', type('officedocument.spreadsheetml.sheet.main+xml')],
    ['/xl/styles.xml', type('officedocument.spreadsheetml.styles+xml')],
    ['/xl/sharedStrings.xml', type('officedocument.spreadsheetml.sharedStrings+xml')],
    ['/docProps/core.xml', type('package.core-properties+xml')],
    ['/docProps/app.xml', type('officedocument.extended-properties+xml')],
    ...plans.map((_, i) => [`/xl/worksheets/sheet${i + 1}.xml`, type('officedocument.spreadsheetml.worksheet+xml')]),
  ];
  const rel = (id: string, t: string, target: string) => `<Relationship Id="${id}" Type="${t}" Target="${target}"/>`;
  const officeRel = (t: string) => `${NS_REL}/${t}`;
  return [
    [
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="${type('package.relationships+xml')}"/><Default Extension="xml" ContentType="application/xml"/>` +
        `${overrides.map(([part, t]) => `<Override PartName="${part}" ContentType="${t}"/>`).join('')}</Types>`,
    ],
    [
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">${rel('rId1', officeRel('officeDocument'), 'xl/workbook.xml')}` +
        `${rel('rId2', 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml')}` +
        `${rel('rId3', officeRel('extended-properties'), 'docProps/app.xml')}</Relationships>`,
    ],
    [
      'docProps/core.xml',
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
        `<dc:creator>${WORKBOOK_CREATOR}</dc:creator></cp:coreProperties>`,
    ],
    ['docProps/app.xml', `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${WORKBOOK_CREATOR}</Application></Properties>`],
    ['xl/workbook.xml', workbookXml(plans)],
    [
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">${rel('rId1', officeRel('styles'), 'styles.xml')}` +
        `${plans.map((_, i) => rel(`rId${i + 2}`, officeRel('worksheet'), `worksheets/sheet${i + 1}.xml`)).join('')}` +
        `${rel(`rId${plans.length + 2}`, officeRel('sharedStrings'), 'sharedStrings.xml')}</Relationships>`,
    ],
  ];
}

// ---- the zip container (APPNOTE.TXT 6.3: local headers, data, central directory) -----------

/** 1980-01-01 00:00, the zip epoch: the same rows give the same bytes */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

function zip(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: deflate
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(p.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    local.copy(entry, 6, 4, 30); // version needed … name length, as in the local header
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    chunks.push(local, name, p.deflated);
    offset += local.length + name.length + p.deflated.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, dir, end]);
}

/** Writes a workbook of the table sheets `build` adds and returns its bytes. */
export async function writeTableWorkbook(build: (book: TableBook) => void): Promise<Buffer> {
  const plans: Array<TablePlan<unknown>> = [];
  build({ add: (spec) => void plans.push(planTableSheet(spec) as TablePlan<unknown>) });
  const book: BookParts = { styles: new Styles(), strings: new SharedStrings() };
  const sheets = plans.map((plan, i) => part(`xl/worksheets/sheet${i + 1}.xml`, sheetXml(plan, book)));
  const rest = [...packageParts(plans), ['xl/styles.xml', book.styles.xml()] as const, ['xl/sharedStrings.xml', book.strings.xml()] as const].map(([name, text]) =>
    part(name, [Buffer.from(text, 'utf8')]),
  );
  return zip(await Promise.all([...rest, ...sheets]));
}
