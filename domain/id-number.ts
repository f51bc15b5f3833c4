// Resident ID numbers (GB 11643) as staff paste them from workbooks and chat.
// Every rejection is a value with its own code, because the fix differs: a 15-digit
// number needs the student, an Excel-mangled one needs the sheet re-typed as text.
import { compareIsoDate, formatIsoDate, isRealDate } from './calendar';
import type { Gender, IsoDate, Result } from './model';
import { toHalfWidth } from './text';

export interface IdInfo {
  /** 18 characters, check digit upper-case */
  idNumber: string;
  birthDate: IsoDate;
  gender: Gender;
  /** the 6-digit administrative division code (810000/820000/830000 for HK/Macao/Taiwan residence permits) */
  region: string;
}

export interface ParseIdOptions {
  today: IsoDate;
  /** the importer read this from a numeric cell and turned it into text */
  cameAsNumber?: boolean;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The GB 11643 check character for the first 17 digits. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

const EXCEL_MESSAGE =
  'Excel 把身份证号存成了数字（显示为 4.10105E+17 这类科学计数法，或末几位变成了 0），原号码已无法还原，请把该列设为文本后重新输入';

function fail(code: string, message: string): Result<IdInfo> {
  return { ok: false, problems: [{ code, message }] };
}

function normalise(s: string): string {
  return toHalfWidth(s)
    // spaces of every kind (incl. full-width and zero-width), and Excel's leading text apostrophe
    .replace(/[\s\u3000\u200b\u200c\u200d\ufeff]/g, '')
    .replace(/^'/, '')
    .replace(/x$/, 'X');
}

// Shows the number as Excel holds it: 15 significant digits, the rest zeros.
function numberToDigits(n: number): string {
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < 0) return String(n);
  if (n < 1e15) return String(n);
  const [mantissa, exponent] = n.toExponential(14).split('e') as [string, string];
  return mantissa.replace('.', '').padEnd(Number(exponent) + 1, '0');
}

export function parseIdNumber(raw: unknown, opts: ParseIdOptions): Result<IdInfo> {
  if (raw === null || raw === undefined) return fail('id.empty', '身份证号为空');
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    const digits = typeof raw === 'number' ? numberToDigits(raw) : raw.toString();
    // A real 18-digit number loses its last digits in Excel's 15-significant-digit cells.
    const code = /^\d{16,}0$/.test(digits) ? 'id.excel_trailing_zeros' : 'id.excel_number';
    return fail(code, `${EXCEL_MESSAGE}（读到的值：${digits}）`);
  }
  if (typeof raw !== 'string') return fail('id.chars', '身份证号不是文字，无法识别');

  const id = normalise(raw);
  if (id === '') return fail('id.empty', '身份证号为空');
  if (/^\d(\.\d+)?E\+?\d+$/i.test(id)) return fail('id.excel_scientific', `${EXCEL_MESSAGE}（读到的值：${id}）`);
  const bad = id.replace(/[0-9X]/g, '');
  if (bad !== '') return fail('id.chars', `身份证号含有非法字符「${[...new Set(bad)].join('')}」，只能是数字和末位的 X`);
  if (/^\d{15}$/.test(id)) {
    return fail('id.legacy_15', '这是 15 位旧身份证号，已停止使用，请提供 18 位号码');
  }
  if (id.length !== 18) return fail('id.length', `身份证号应为 18 位，当前为 ${id.length} 位`);
  if (id.slice(0, 17).includes('X')) return fail('id.chars', '身份证号中 X 只能出现在最后一位');

  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || !isRealDate(year, month, day)) {
    return fail('id.birth_date', `身份证号中的出生日期 ${id.slice(6, 14)} 不是有效日期`);
  }
  const birthDate = formatIsoDate(year, month, day);
  if (compareIsoDate(birthDate, opts.today) > 0) {
    return fail('id.birth_future', `身份证号中的出生日期 ${birthDate} 晚于今天`);
  }

  const expected = idCheckDigit(id.slice(0, 17));
  if (id[17] !== expected) {
    if (opts.cameAsNumber && /0+$/.test(id)) return fail('id.excel_trailing_zeros', `${EXCEL_MESSAGE}（读到的值：${id}）`);
    return fail('id.check_digit', `身份证号校验位不符：按前 17 位计算，最后一位应为 ${expected}，实际为 ${id[17]}，请核对号码`);
  }

  return {
    ok: true,
    value: { idNumber: id, birthDate, gender: Number(id[16]) % 2 === 1 ? 'M' : 'F', region: id.slice(0, 6) },
  };
}

/** Whole years of age on `on`; a 02-29 birthday counts as reached on 03-01 in common years. */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  compareIsoDate(birthDate, on);
  const [by, bm, bd] = [Number(birthDate.slice(0, 4)), Number(birthDate.slice(5, 7)), Number(birthDate.slice(8, 10))];
  const [oy, om, od] = [Number(on.slice(0, 4)), Number(on.slice(5, 7)), Number(on.slice(8, 10))];
  const reached = om > bm || (om === bm && od >= bd);
  return oy - by - (reached ? 0 : 1);
}

/** For chat and cards: 410105********2754. */
export function maskIdNumber(id: string): string {
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}********${id.slice(-4)}`;
}

