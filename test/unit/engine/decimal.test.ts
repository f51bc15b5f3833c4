import { describe, expect, it } from 'vitest';
import { dec, parseScore, round2, sum } from '../../../domain/decimal';

describe('round2 rounds half up and keeps two decimals', () => {
  it.each([
    ['60', '60.00'],
    ['59.995', '60.00'],
    ['59.994999', '59.99'],
    ['0.005', '0.01'],
    ['72.345', '72.35'],
    ['100', '100.00'],
  ])('%s → %s', (x, expected) => {
    expect(round2(x)).toBe(expected);
  });
});

describe('sum is exact', () => {
  it('adds tenths without float drift', () => {
    expect(sum(['0.1', '0.2']).eq(dec('0.3'))).toBe(true);
    expect(sum([]).toString()).toBe('0');
  });
});

describe('parseScore', () => {
  it.each<[unknown, string | null]>([
    ['85', '85'],
    ['85.5', '85.5'],
    [' 85 ', '85'],
    ['８５', '85'],
    ['８５．５', '85.5'],
    [85.5, '85.5'],
    ['-3', '-3'],
    ['优秀', null],
    ['85分', null],
    ['', null],
    [null, null],
    [Number.NaN, null],
  ])('%j → %s', (raw, expected) => {
    const d = parseScore(raw);
    expect(d === null ? null : d.toString()).toBe(expected);
  });
});
