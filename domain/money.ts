// RMB amounts for settlement sheets: exact decimals in, figures and Chinese capitals out.
import Decimal from 'decimal.js';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const IN_GROUP = ['', '拾', '佰', '仟'];
// 万亿 and beyond would need a different zero rule; no settlement comes near it.
const GROUPS = ['', '万', '亿'];
const LIMIT = new Decimal('1e12');

/**
 * Reads an amount exactly. A number is read through its shortest decimal spelling, so
 * 0.1 + 0.2 arrives as 0.30000000000000004 and is refused rather than silently rounded:
 * money must be computed with decimals before it gets here.
 */
function toAmount(amount: string | number | Decimal): Decimal {
  let d: Decimal;
  try {
    d = new Decimal(typeof amount === 'string' ? amount.trim().replace(/,/g, '') : amount);
  } catch {
    throw new RangeError(`not an amount: ${String(amount)}`);
  }
  if (!d.isFinite()) throw new RangeError(`not an amount: ${String(amount)}`);
  if (!d.mul(100).isInteger()) throw new RangeError(`amount has more than two decimals (fen): ${String(amount)}`);
  return d;
}

function integerInCapitals(digits: string): string {
  let out = '';
  let zeroPending = false;
  let groupHasDigit = false;
  for (let i = 0; i < digits.length; i++) {
    const position = digits.length - 1 - i;
    const d = Number(digits[i]);
    if (d === 0) {
      zeroPending = out !== '';
    } else {
      if (zeroPending) out += '零';
      out += DIGITS[d]! + IN_GROUP[position % 4]!;
      zeroPending = false;
      groupHasDigit = true;
    }
    if (position % 4 === 0 && position > 0) {
      // a group of four zeros writes no 万/亿, only the single 零 before the next digit
      if (groupHasDigit) out += GROUPS[position / 4]!;
      groupHasDigit = false;
    }
  }
  return out;
}

/**
 * An RMB amount in Chinese capitals as written on finance forms:
 * 1600 → 壹仟陆佰元整, 10005 → 壹万零伍元整, 0.5 → 伍角, 100.05 → 壹佰元零伍分, 0 → 零元整.
 * 整 closes an amount with no 角/分; a zero 角 between 元 and 分 is written 零.
 * Negative amounts get 负. Throws on more than two decimals or 1万亿 and above.
 */
export function toChineseCapital(amount: string | number | Decimal): string {
  const value = toAmount(amount);
  const sign = value.isNegative() && !value.isZero() ? '负' : '';
  const abs = value.abs();
  if (abs.gte(LIMIT)) throw new RangeError(`amount too large for Chinese capitals: ${String(amount)}`);
  const fen = abs.mul(100).toFixed(0);
  const yuanDigits = fen.length > 2 ? fen.slice(0, -2) : '0';
  const jiao = Number(fen.length >= 2 ? fen[fen.length - 2] : '0');
  const fenDigit = Number(fen[fen.length - 1]);
  const hasYuan = yuanDigits !== '0';

  if (!hasYuan && jiao === 0 && fenDigit === 0) return '零元整';
  let out = hasYuan ? `${integerInCapitals(yuanDigits)}元` : '';
  if (jiao === 0 && fenDigit === 0) return `${sign}${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (hasYuan) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  return sign + out;
}

/** Two decimals with thousands separators and 元: 1600 → "1,600.00元". */
export function formatYuan(amount: string | number | Decimal): string {
  const value = toAmount(amount);
  const [int, frac] = value.abs().toFixed(2).split('.') as [string, string];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value.isNegative() && !value.isZero() ? '-' : ''}${grouped}.${frac}元`;
}

/** Two-decimal plain figure for cells and sums: 1600 → "1600.00". */
export function toYuanFigure(amount: string | number | Decimal): string {
  return toAmount(amount).toFixed(2);
}
