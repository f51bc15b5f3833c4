import { saxes, type XmlSink } from './sheet-xml';

// The parts of an .xlsx that say where the others are (ECMA-376 part 2, Open Packaging
// Conventions): the package's relationships name the workbook, the workbook's name its
// sheets, shared strings and styles. Part names are whatever the writer chose and compare
// without regard to case (OPC §9.1.1.1.2); xl/workbook.xml, xl/sharedStrings.xml and
// xl/worksheets/ are only what most writers choose, so they are the fallback, not the rule.

/** A part name as the package compares it: no leading slash, and case does not count (OPC §9.1.1.1.2). */
export function partKey(name: string): string {
  return name.replace(/^\/+/, '').toLowerCase();
}

export interface WorkbookPart {
  sheets: Array<{ name: string; relId: string }>;
  date1904: boolean;
}

export function workbookXml(into: WorkbookPart): XmlSink {
  return saxes({
    open(name, a) {
      if (name === 'sheet') into.sheets.push({ name: a.name ?? `Sheet${into.sheets.length + 1}`, relId: a['r:id'] ?? attrEndingWith(a, ':id') ?? '' });
      else if (name === 'workbookPr') into.date1904 = a.date1904 === '1' || a.date1904 === 'true';
    },
    close() {},
    text() {},
  });
}

function attrEndingWith(a: Record<string, string>, suffix: string): string | undefined {
  for (const k of Object.keys(a)) if (k.endsWith(suffix)) return a[k];
  return undefined;
}

export interface Relationship {
  /** the part's name in the package, resolved and without a leading slash */
  path: string;
  /** the last segment of the relationship type: worksheet, chartsheet, sharedStrings, styles, officeDocument … */
  kind: string;
}

/** The relationships part of `source` (a part name, '' for the package), by Id. */
export function relationshipsXml(source: string, into: Map<string, Relationship>): XmlSink {
  const base = source.includes('/') ? source.slice(0, source.lastIndexOf('/') + 1) : '';
  return saxes({
    open(name, a) {
      if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return;
      const type = a.Type ?? '';
      into.set(a.Id, { path: resolvePartName(base, a.Target), kind: type.slice(type.lastIndexOf('/') + 1) });
    },
    close() {},
    text() {},
  });
}

/** Where the relationships of `part` are kept: xl/workbook.xml → xl/_rels/workbook.xml.rels. */
export function relationshipsOf(part: string): string {
  const i = part.lastIndexOf('/');
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}

/** A relationship's target as a part name: relative to its source's folder unless it starts with /, with . and .. walked. */
export function resolvePartName(base: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // a stray % is part of the name
  }
  const from = decoded.startsWith('/') ? [] : base.split('/').filter(Boolean);
  for (const seg of decoded.split(/[\\/]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') from.pop();
    else from.push(seg);
  }
  return from.join('/');
}

/** The part a relationship of this kind points to, or the name most writers give it. */
export function partOfKind(rels: Map<string, Relationship>, kind: string, fallback: string): string {
  for (const r of rels.values()) if (r.kind === kind) return r.path;
  return fallback;
}

// ---- styles: which cell formats are dates ----------------------------------------------------

// Built-in number formats that show a date or time (ECMA-376 §18.8.30, with the CJK ids 27–36 and 50–58).
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A format code shows a date when, outside quoted text and [colour]/[$-locale] brackets, it holds a date or time letter. */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '');
  return /[ymdhsb]/i.test(bare) && !/^(general|@)$/i.test(bare.trim());
}

/** For each cellXfs index: whether a number in that style is a date. */
export function stylesXml(into: boolean[]): XmlSink {
  const custom = new Map<number, string>();
  let inCellXfs = false;
  return saxes({
    open(name, a) {
      if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        const code = custom.get(id);
        into.push(code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
}
