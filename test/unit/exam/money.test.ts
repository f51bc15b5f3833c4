import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { formatYuan, toChineseCapital, toYuanFigure } from '../../../domain/money';

describe('toChineseCapital', () => {
  it.each([
    [0, '零元整'],
    ['0.00', '零元整'],
    [1, '壹元整'],
    [10, '壹拾元整'],
    [15, '壹拾伍元整'],
    [100, '壹佰元整'],
    [101, '壹佰零壹元整'],
    [110, '壹佰壹拾元整'],
    [400, '肆佰元整'],
    [1001, '壹仟零壹元整'],
    [1010, '壹仟零壹拾元整'],
    [1600, '壹仟陆佰元整'],
    [2000, '贰仟元整'],
    [10005, '壹万零伍元整'],
    [10050, '壹万零伍拾元整'],
    [10500, '壹万零伍佰元整'],
    [15000, '壹万伍仟元整'],
    [100000, '壹拾万元整'],
    [100100, '壹拾万零壹佰元整'],
    [205000, '贰拾万零伍仟元整'],
    [1000100, '壹佰万零壹佰元整'],
    [12345678, '壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元整'],
    [100000000, '壹亿元整'],
    [100010000, '壹亿零壹万元整'],
    [100000001, '壹亿零壹元整'],
    ['999999999999.99', '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
    [0.5, '伍角'],
    ['0.05', '伍分'],
    ['0.55', '伍角伍分'],
    ['1.50', '壹元伍角'],
    ['10.5', '壹拾元伍角'],
    ['100.05', '壹佰元零伍分'],
    ['1200.30', '壹仟贰佰元叁角'],
    ['1200.03', '壹仟贰佰元零叁分'],
    ['1,600', '壹仟陆佰元整'],
    ['-25', '负贰拾伍元整'],
  ])('writes %s as %s', (amount, expected) => {
    expect(toChineseCapital(amount)).toBe(expected);
  });

  it('accepts a Decimal', () => {
    expect(toChineseCapital(new Decimal('3200'))).toBe('叁仟贰佰元整');
  });

  it.each([['0.001'], [0.1 + 0.2], ['abc'], ['1e12'], [Number.NaN]])('refuses %s instead of rounding or guessing', (amount) => {
    expect(() => toChineseCapital(amount)).toThrow(RangeError);
  });
});

describe('formatYuan', () => {
  it.each([
    [0, '0.00元'],
    [1600, '1,600.00元'],
    ['1234567.5', '1,234,567.50元'],
    ['999.99', '999.99元'],
    ['-20', '-20.00元'],
  ])('formats %s as %s', (amount, expected) => {
    expect(formatYuan(amount)).toBe(expected);
  });

  it('gives the plain two-decimal figure for sums and cells', () => {
    expect(toYuanFigure('400')).toBe('400.00');
  });
});
