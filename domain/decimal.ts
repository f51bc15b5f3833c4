// Exact decimal arithmetic for scores and weights. A private clone of decimal.js keeps our
// precision and rounding from depending on (or changing) anybody's global configuration.
import DecimalJs from 'decimal.js';
import { toHalfWidth } from './text';

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


/**
 * "85", "85.5", "085.25" → 8525: a non-negative decimal with at most two decimals and at
 * most four integer digits, in hundredths (< 1e6). Two of them multiply to < 1e12, so
 * sums of thousands of such products stay exact JS integers (< 2^53) — what scoring needs
 * without a decimal.js object per cell. Anything else (signs, more decimals, full-width
 * digits, spaces) is null, and the caller falls back to decimal.js.
 */
export function hundredths(s: string): number | null {
  const n = s.length;
  let i = 0;
  let whole = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    whole = whole * 10 + (c - 48);
    i++;
  }
  if (i === 0 || i > 4) return null;
  if (i === n) return whole * 100;
  if (s.charCodeAt(i) !== 46) return null;
  const decimals = n - i - 1;
  if (decimals < 1 || decimals > 2) return null;
  const d1 = s.charCodeAt(i + 1) - 48;
  const d2 = decimals === 2 ? s.charCodeAt(i + 2) - 48 : 0;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return null;
  return whole * 100 + d1 * 10 + d2;
}

/** An exact non-negative integer count of 10^-places units as plain decimal text: (4700000, 6) → "4.7". */
export function scaledText(units: number, places: number): string {
  const unit = 10 ** places;
  const frac = units % unit;
  const whole = (units - frac) / unit;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(places, '0').replace(/0+$/, '')}`;
}

/** Hundredths as text with both decimals: 6000 → "60.00". */
export function fixed2Text(h: number): string {
  const frac = h % 100;
  return `${(h - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
}
