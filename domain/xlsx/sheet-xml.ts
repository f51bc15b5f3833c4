import { SaxesParser } from 'saxes';
import { normaliseCellText } from '../text';
import type { Grid, GridCell } from './grid';

// The parts of an .xlsx that hold what a person typed, parsed as SAX events straight
// from the inflating stream: no DOM, no object per XML node, and the row and cell
// counts checked as they arrive, so a sheet of a million rows stops at the limit
// instead of after it has been built. Only the OOXML spelled out in ECMA-376 part 1
// §18.3 (sheet), §18.4 (shared strings) and §18.8 (styles) is read.

const EMPTY: GridCell = { text: '', isNumber: false };

/** Excel's own limit on what one cell holds (Excel specifications and limits). */
export const MAX_CELL_CHARS = 32_767;

/** Why reading stopped: one of the workbook's own limits, with the sheet it was reached in. */
export class SheetLimitError extends Error {
  constructor(
    readonly limit: 'rows' | 'columns' | 'cells' | 'text',
    readonly sheet: string,
    readonly at: number,
  ) {
    super(`${limit} limit in ${sheet}`);
  }
}

/** A cell this reader will not guess at, with where it is (1-based row and column). */
export class SheetCellError extends Error {
  constructor(
    readonly kind: 'uncalculated' | 'missing_string',
    readonly sheet: string,
    readonly row: number,
    readonly col: number,
  ) {
    super(`${kind} at ${sheet} ${row}:${col}`);
  }
}

export interface SheetLimits {
  maxRows: number;
  maxColumns: number;
  maxCells: number;
}

/** Feeds text chunks to a parser; `end` completes it. */
export interface XmlSink {
  write(text: string): void;
  end(): void;
}

// Tag names may carry a namespace prefix (`x:row`) from some producers.
function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** A SAX parser over one part, element names without their namespace prefix. */
export function saxes(handlers: {
  open(name: string, attrs: Record<string, string>): void;
  close(name: string): void;
  text(t: string): void;
}): XmlSink {
  const p = new SaxesParser({ position: false });
  p.on('opentag', (tag) => handlers.open(local(tag.name), tag.attributes as Record<string, string>));
  p.on('closetag', (tag) => handlers.close(local(tag.name)));
  p.on('text', handlers.text);
  p.on('cdata', handlers.text);
  p.on('error', (e) => {
    throw e;
  });
  return { write: (t) => void p.write(t), end: () => void p.close() };
}

/**
 * Text as Excel spells what XML cannot hold (ST_Xstring, ECMA-376 §22.9.2.19): _x000D_ is a
 * carriage return, _x005F_ an underscore that would otherwise start such an escape.
 */
export function unescapeXstring(s: string): string {
  return s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s;
}

// ---- shared strings ---------------------------------------------------------------------------

export function sharedStringsXml(into: string[], limits: SheetLimits): XmlSink {
  let inText = false;
  let phonetic = 0;
  let current = '';
  return saxes({
    open(name) {
      if (name === 'si') current = '';
      else if (name === 't') inText = phonetic === 0;
      else if (name === 'rPh') phonetic++;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        into.push(unescapeXstring(current));
        if (into.length > limits.maxCells) throw new SheetLimitError('cells', '', into.length);
      }
    },
    text(t) {
      if (!inText) return;
      current += t;
      if (current.length > MAX_CELL_CHARS) throw new SheetLimitError('text', '', into.length + 1);
    },
  });
}

// ---- worksheets -------------------------------------------------------------------------------

export interface SheetContext {
  strings: string[];
  dateStyles: boolean[];
  date1904: boolean;
  limits: SheetLimits;
  /** rows and cells already read in earlier sheets: the limits hold for the whole workbook */
  counted: { rows: number; cells: number };
}

function columnNumber(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return n;
}

function rowNumber(ref: string): number {
  const m = /\d+$/.exec(ref);
  return m ? Number(m[0]) : 0;
}

/** Numbers as Excel shows them in General format, without float noise (85.5, 60, 4.10105E+17). */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  if (Math.abs(n) >= 1e15) return n.toExponential().replace('e+', 'E+').toUpperCase();
  // the shortest spelling already has at most 15 significant digits (85.5, 0.1): rounding
  // to 15 would give the same decimal back, so skip the round trip
  const s = String(n);
  if (s.length <= 16 && !s.includes('e') && significantDigits(s) <= 15) return s;
  return String(Number(n.toPrecision(15)));
}

function significantDigits(s: string): number {
  let digits = 0;
  let leading = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (leading && c === 48) continue;
    leading = false;
    digits++;
  }
  return digits;
}

/** An Excel serial day number as the instant exceljs gives it: wall-clock time read as UTC. */
function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - (date1904 ? -1462 : 25569)) * 86_400_000));
}

/** A worksheet part into a Grid. Merged cells read as empty except their top-left one. */
export function worksheetXml(name: string, ctx: SheetContext, done: (grid: Grid) => void): XmlSink {
  const rows: GridCell[][] = [];
  const merges: string[] = [];
  const { limits, counted } = ctx;
  // A grade sheet repeats a few hundred scores and words over a hundred thousand cells;
  // cells are plain data nobody writes to, so equal ones are one object.
  const numbers = new Map<number, GridCell>();
  const words = new Map<string, GridCell>();

  let cells: GridCell[] = [];
  let rowAt = 0;
  let colAt = 0;
  let type = '';
  let style = 0;
  let value = '';
  let inline = '';
  let capture: 'v' | 'is' | null = null;
  /** the cell has a formula, and no <v> with its result yet */
  let uncalculated = false;
  let inIs = false;
  let phonetic = 0;

  const textCell = (s: string): GridCell => {
    if (s === '') return EMPTY;
    if (s.length > 8) return { text: normaliseCellText(s), isNumber: false };
    let c = words.get(s);
    if (c === undefined) {
      c = { text: normaliseCellText(s), isNumber: false };
      if (c.text === '') c = EMPTY;
      words.set(s, c);
    }
    return c;
  };
  const numberCell = (n: number): GridCell => {
    let c = numbers.get(n);
    if (c === undefined) {
      c = { text: numberText(n), isNumber: true, number: n };
      numbers.set(n, c);
    }
    return c;
  };
  const cellValue = (): GridCell => {
    switch (type) {
      case 's': {
        if (value === '') return EMPTY;
        const s = ctx.strings[Number(value)];
        // an index the strings part does not hold: the file is damaged, not empty here
        if (s === undefined) throw new SheetCellError('missing_string', name, rowAt, colAt);
        return textCell(s);
      }
      case 'inlineStr':
        return textCell(unescapeXstring(inline));
      case 'str':
        return textCell(unescapeXstring(value));
      case 'b':
        return value === '' ? EMPTY : { text: value === '1' || value === 'true' ? 'TRUE' : 'FALSE', isNumber: false };
      case 'e':
        return value === '' ? EMPTY : { text: value, isNumber: false };
      case 'd': {
        const d = new Date(value);
        return Number.isNaN(d.getTime()) ? textCell(value) : { text: d.toISOString().slice(0, 10), isNumber: false, date: d };
      }
      default: {
        if (value === '') return EMPTY;
        const n = Number(value);
        if (!Number.isFinite(n)) return textCell(value);
        if (ctx.dateStyles[style]) {
          const d = serialToDate(n, ctx.date1904);
          return { text: d.toISOString().slice(0, 10), isNumber: false, date: d };
        }
        return numberCell(n);
      }
    }
  };

  const parser = saxes({
    open(tag, a) {
      switch (tag) {
        case 'row': {
          rowAt = a.r ? Number(a.r) : rowAt + 1;
          counted.rows++;
          if (!(rowAt > 0) || rowAt > limits.maxRows || counted.rows > limits.maxRows) throw new SheetLimitError('rows', name, Math.max(rowAt, counted.rows));
          cells = [];
          colAt = 0;
          break;
        }
        case 'c': {
          const ref = a.r;
          colAt = ref ? columnNumber(ref) : colAt + 1;
          if (ref) {
            const r = rowNumber(ref);
            if (r > 0 && r !== rowAt) {
              // a cell outside its row element: trust the reference, as Excel does
              rowAt = r;
              if (rowAt > limits.maxRows) throw new SheetLimitError('rows', name, rowAt);
            }
          }
          if (!(colAt > 0) || colAt > limits.maxColumns) throw new SheetLimitError('columns', name, colAt);
          if (++counted.cells > limits.maxCells) throw new SheetLimitError('cells', name, counted.cells);
          type = a.t ?? '';
          style = a.s ? Number(a.s) : 0;
          value = '';
          inline = '';
          uncalculated = false;
          break;
        }
        case 'v':
          capture = 'v';
          uncalculated = false;
          break;
        case 'f':
          // a writer that saves formulas without computing them (openpyxl, many report
          // generators) leaves the value to Excel: read as empty it would be a silent gap
          uncalculated = true;
          break;
        case 'is':
          inIs = true;
          break;
        case 'rPh':
          phonetic++;
          break;
        case 't':
          if (inIs && phonetic === 0) capture = 'is';
          break;
        case 'mergeCell':
          if (a.ref) merges.push(a.ref);
          break;
      }
    },
    close(tag) {
      switch (tag) {
        case 'v':
        case 't':
          capture = null;
          break;
        case 'is':
          inIs = false;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c': {
          if (uncalculated) throw new SheetCellError('uncalculated', name, rowAt, colAt);
          const cell = cellValue();
          if (cell !== EMPTY || cells[colAt - 1] !== undefined) cells[colAt - 1] = cell;
          break;
        }
        case 'row': {
          // a row of formatting only holds nothing a person typed (exceljs's eachRow skips it too)
          if (cells.length === 0) break;
          for (let i = 0; i < cells.length; i++) cells[i] ??= EMPTY;
          // cells of one row listed under another's element join the row they name
          const existing = rows[rowAt - 1];
          if (existing) {
            cells.forEach((c, i) => {
              if (c !== EMPTY) existing[i] = c;
            });
            for (let i = 0; i < existing.length; i++) existing[i] ??= EMPTY;
          } else rows[rowAt - 1] = cells;
          break;
        }
      }
    },
    text(t) {
      if (capture === 'v') value += t;
      else if (capture === 'is') inline += t;
      else return;
      if (value.length + inline.length > MAX_CELL_CHARS) throw new SheetLimitError('text', name, rowAt);
    },
  });
  return {
    write: parser.write,
    end() {
      parser.end();
      for (let i = 0; i < rows.length; i++) rows[i] ??= [];
      for (const ref of merges) clearMergedSlaves(rows, ref);
      done({ name, rows });
    },
  };
}

function clearMergedSlaves(rows: GridCell[][], ref: string): void {
  const [from, to] = ref.split(':');
  if (!from || !to) return;
  const top = rowNumber(from);
  const left = columnNumber(from);
  const bottom = Math.min(rowNumber(to), rows.length);
  const right = columnNumber(to);
  for (let r = top; r <= bottom; r++) {
    const row = rows[r - 1];
    if (!row) continue;
    for (let c = left; c <= Math.min(right, row.length); c++) {
      if (r === top && c === left) continue;
      row[c - 1] = EMPTY;
    }
  }
}
