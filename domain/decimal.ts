// Exact decimal arithmetic for scores and weights. A private clone of decimal.js keeps our
// precision and rounding from depending on (or changing) anybody's global configuration.
import DecimalJs from 'decimal.js';

export const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Dec = DecimalJs;

export function dec(x: DecimalJs.Value): Dec {
  return new Dec(x);
}

/** Half-up to two decimals, always written with both: "60.00". */
export function round2(x: DecimalJs.Value): string {
  return new Dec(x).toFixed(2, DecimalJs.ROUND_HALF_UP);
}

export function sum(xs: Iterable<DecimalJs.Value>): Dec {
  let total = new Dec(0);
  for (const x of xs) total = total.plus(x);
  return total;
}

/** Plain notation without trailing zeros ("30", "12.5"), for messages. */
export function plain(x: DecimalJs.Value): string {
  return new Dec(x).toFixed();
}

export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/**
 * A number as typed in a cell: "85", "85.5", " 85 ", "８５", "-3". Numbers from a
 * workbook are read through their shortest spelling. Anything else is null; the caller
 * decides what range and how many decimals mean.
 */
export function parseScore(raw: unknown): Dec | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? new Dec(String(raw)) : null;
  if (typeof raw !== 'string') return null;
  const s = toHalfWidth(raw).replace(/\s+/g, '');
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? new Dec(s) : null;
}

