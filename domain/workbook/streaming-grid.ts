import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Grid, type GridCell } from '../xlsx/grid';
import { normaliseText } from '../text';

// A whole grade's workbook (ten thousand students) loaded in memory with exceljs costs
// seconds and hundreds of MB; the streaming reader keeps only the texts. It knows no
// merges, which costs nothing here: a merged slave cell carries no value in the file,
// so it reads as empty exactly as loadXlsxGrids makes it. Styles are skipped, so dates
// arrive as serial numbers — grade sheets hold none that matter.

const EMPTY: GridCell = { text: '', isNumber: false };

function numberText(n: number): string {
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

/**
 * normaliseText, skipping the NFKC pass for what it would leave alone: printable ASCII
 * and CJK unified ideographs with single inner spaces — nearly every cell of a grade sheet.
 */
export function normaliseCellText(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === n - 1 || s.charCodeAt(i + 1) === 0x20) return normaliseText(s);
    } else if (!((c > 0x20 && c < 0x7f) || (c >= 0x4e00 && c <= 0x9fff))) {
      return normaliseText(s);
    }
  }
  return s;
}

function toCell(value: unknown): GridCell {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'number') return { text: numberText(value), isNumber: true, number: value };
  if (typeof value === 'string') return value === '' ? EMPTY : { text: normaliseCellText(value), isNumber: false };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', isNumber: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), isNumber: false, date: value };
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return toCell((v.richText as Array<{ text: string }>).map((r) => r.text).join(''));
    if ('formula' in v || 'sharedFormula' in v) {
      const result = v.result;
      if (result && typeof result === 'object' && 'error' in result) return { text: String((result as { error: unknown }).error), isNumber: false };
      return toCell(result ?? null);
    }
    if ('hyperlink' in v) return toCell(v.text);
    if ('error' in v) return { text: String(v.error), isNumber: false };
  }
  return { text: normaliseText(String(value)), isNumber: false };
}

export async function loadXlsxGridsStreaming(buf: Buffer): Promise<Grid[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const found: Array<{ id: number; grid: Grid }> = [];
  // A grade sheet repeats a few hundred scores and words over a hundred thousand cells;
  // cells are plain data nobody writes to, so equal ones are one object.
  const numbers = new Map<number, GridCell>();
  const words = new Map<string, GridCell>();
  const cellOf = (value: unknown): GridCell => {
    if (typeof value === 'number') {
      let cell = numbers.get(value);
      if (cell === undefined) {
        cell = toCell(value);
        numbers.set(value, cell);
      }
      return cell;
    }
    if (typeof value === 'string' && value.length <= 8) {
      let cell = words.get(value);
      if (cell === undefined) {
        cell = toCell(value);
        words.set(value, cell);
      }
      return cell;
    }
    return toCell(value);
  };
  for await (const ws of reader) {
    const sheet = ws as unknown as AsyncIterable<ExcelJS.Row> & { id: number | string; name: string };
    const rows: GridCell[][] = [];
    for await (const row of sheet) {
      const cells: GridCell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        cells[col - 1] = cellOf(cell.value);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= EMPTY;
      rows[row.number - 1] = cells;
    }
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    found.push({ id: Number(sheet.id), grid: { name: sheet.name, rows } });
  }
  // sheets come in zip order; the workbook's own order is the one people see as tabs
  const order = ((reader as unknown as { model?: { sheets?: Array<{ id: number }> } }).model?.sheets ?? []).map((s) => Number(s.id));
  const pos = (id: number) => {
    const i = order.indexOf(id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return found.sort((a, b) => pos(a.id) - pos(b.id)).map((f) => f.grid);
}
