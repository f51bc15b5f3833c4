import { describe, expect, it } from 'vitest';
import {
  addMonthsClamped,
  compareIsoDate,
  daysBetween,
  hasHeldFor,
  isValidIsoDate,
  parseLooseDate,
  parseLooseDateInfo,
} from '../../../domain/calendar';

describe('addMonthsClamped', () => {
  it.each([
    ['2024-02-29', 12, '2025-02-28'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-02-28', 12, '2024-02-28'],
    ['2023-03-01', 12, '2024-03-01'],
    ['2023-12-15', 1, '2024-01-15'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2023-08-31', 6, '2024-02-29'],
  ])('%s + %i months is %s', (date, months, expected) => {
    expect(addMonthsClamped(date, months)).toBe(expected);
  });
});

describe('hasHeldFor 12 months', () => {
  it.each([
    ['2023-03-01', '2024-03-01', true],
    ['2023-03-01', '2024-02-29', false],
    ['2023-02-28', '2024-02-28', true],
    ['2023-02-28', '2024-02-27', false],
    ['2024-02-29', '2025-02-28', true],
    ['2024-02-29', '2025-02-27', false],
    ['2022-06-15', '2024-05-01', true],
  ])('issued %s, on %s → %s', (issued, on, held) => {
    expect(hasHeldFor(issued, 12, on)).toBe(held);
  });
});

describe('ISO date helpers', () => {
  it.each([
    ['2000-02-29', true],
    ['2001-02-29', false],
    ['1900-02-29', false],
    ['2024-13-01', false],
    ['2024-1-01', false],
    ['2024-04-31', false],
  ])('isValidIsoDate(%s) is %s', (value, valid) => {
    expect(isValidIsoDate(value)).toBe(valid);
  });

  it.each([
    ['2024-01-01', '2024-01-02', -1],
    ['2024-01-02', '2024-01-02', 0],
    ['2024-12-31', '2024-01-02', 1],
  ])('compareIsoDate(%s, %s) is %i', (a, b, c) => {
    expect(compareIsoDate(a, b)).toBe(c);
  });

  it.each([
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2024-03-01', '2024-02-28', -2],
    ['2024-01-01', '2025-01-01', 366],
  ])('daysBetween(%s, %s) is %i', (a, b, days) => {
    expect(daysBetween(a, b)).toBe(days);
  });
});

describe('parseLooseDate reads what staff type', () => {
  it.each<[string, unknown, string | null, boolean | null]>([
    ['ISO', '2023-06-01', '2023-06-01', false],
    ['slashes without padding', '2023/6/1', '2023-06-01', false],
    ['dots', '2023.06.01', '2023-06-01', false],
    ['Chinese', '2023年6月1日', '2023-06-01', false],
    ['Chinese with spaces', ' 2023 年 6 月 1 日 ', '2023-06-01', false],
    ['full-width digits', '２０２３．０６．０１', '2023-06-01', false],
    ['compact', '20230601', '2023-06-01', false],
    ['with a time', '2023-06-01 00:00:00', '2023-06-01', false],
    ['an Excel Date cell at UTC midnight', new Date(Date.UTC(2023, 5, 1)), '2023-06-01', false],
    ['an Excel Date cell a millisecond short of midnight', new Date(Date.UTC(2023, 5, 1) - 1), '2023-06-01', false],
    ['an Excel serial number', 45078, '2023-06-01', false],
    ['month-only with a dot', '2022.06', '2022-06-01', true],
    ['month-only with a dash', '2022-06', '2022-06-01', true],
    ['month-only in Chinese', '2022年6月', '2022-06-01', true],
    ['month-only typed as a number', 2022.06, '2022-06-01', true],
    ['October typed as a number loses its zero', 2022.1, '2022-10-01', true],
    ['an impossible day', '2023-02-29', null, null],
    ['month 13', '2023.13', null, null],
    ['words', '去年', null, null],
    ['empty', '', null, null],
    ['null', null, null, null],
  ])('%s', (_title, raw, date, monthOnly) => {
    expect(parseLooseDate(raw)).toBe(date);
    const info = parseLooseDateInfo(raw);
    expect(info === null ? null : info.monthOnly).toBe(monthOnly);
  });
});
