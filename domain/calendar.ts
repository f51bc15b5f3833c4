// Calendar-date arithmetic on ISO `YYYY-MM-DD` strings. Dates are calendar days with no
// time zone, so everything is done in UTC to keep a server's zone out of the answer.
import type { IsoDate } from './model';
import { toHalfWidth } from './text';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isValidIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function parts(date: IsoDate): [number, number, number] {
  if (!isValidIsoDate(date)) throw new Error(`not an ISO calendar date: ${String(date)}`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** -1, 0 or 1; ISO dates order lexically, but validating catches a stray timestamp early. */
export function compareIsoDate(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  parts(a);
  parts(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Same day-of-month `months` later, clamped to the month's end (2023-01-31 + 1 → 2023-02-28). */
export function addMonthsClamped(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return formatIsoDate(year, month, Math.min(d, daysInMonth(year, month)));
}

/** The first day a certificate issued on `issuedOn` counts as held for `months` months. */
export function heldSince(issuedOn: IsoDate, months: number): IsoDate {
  return addMonthsClamped(issuedOn, months);
}

export function hasHeldFor(issuedOn: IsoDate, months: number, on: IsoDate): boolean {
  return compareIsoDate(on, heldSince(issuedOn, months)) >= 0;
}

export interface LooseDate {
  date: IsoDate;
  /** the input named only a year and month (2022.06); `date` is the first of that month */
  monthOnly: boolean;
}

// Excel's 1900 date system counts days from 1899-12-30 (it believes 1900 was a leap year).
const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);

function fromYmd(y: number, m: number, d: number | null): LooseDate | null {
  if (y < 1900 || y > 2199) return null;
  if (d === null) return isRealDate(y, m, 1) ? { date: formatIsoDate(y, m, 1), monthOnly: true } : null;
  return isRealDate(y, m, d) ? { date: formatIsoDate(y, m, d), monthOnly: false } : null;
}

/**
 * Reads the date spellings staff type into workbooks: 2023-06-01, 2023/6/1, 2023.06.01,
 * 2023年6月1日, 20230601, month-only 2023.06 / 2023-06 / 2023年6月, Excel Date cells (read as
 * a UTC calendar date) and Excel serial numbers. A cell typed as 2022.10 arrives from Excel
 * as the number 2022.1, so a number with a fraction is read as year.month.
 */
export function parseLooseDateInfo(raw: unknown): LooseDate | null {
  if (raw instanceof Date) {
    const t = raw.getTime();
    if (Number.isNaN(t)) return null;
    // exceljs rebuilds dates from floating serials, so a midnight can come back a few ms early.
    const d = new Date(t + 1000);
    return fromYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw <= 0) return null;
    if (Number.isInteger(raw)) {
      if (raw >= 19000101 && raw <= 21991231) {
        return fromYmd(Math.floor(raw / 10000), Math.floor(raw / 100) % 100, raw % 100);
      }
      if (raw < 100_000) {
        const d = new Date(EXCEL_EPOCH_UTC + raw * 86_400_000);
        return fromYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      }
      return null;
    }
    const year = Math.floor(raw);
    const month = Math.round((raw - year) * 100);
    return fromYmd(year, month, null);
  }
  if (typeof raw !== 'string') return null;
  const s = toHalfWidth(raw).trim().replace(/\s+/g, ' ');
  if (s === '') return null;
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(s);
  if (m) return fromYmd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return fromYmd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(s);
  if (m) return fromYmd(Number(m[1]), Number(m[2]), null);
  return null;
}

export function parseLooseDate(raw: unknown): IsoDate | null {
  return parseLooseDateInfo(raw)?.date ?? null;
}
