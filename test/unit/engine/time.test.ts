import { describe, expect, it } from 'vitest';
import { nextWeeklyRun } from '../../../bot/features/center/progress.feature';
import { manualClock } from '../../../bot/clock';
import { beijingDate, beijingInstant, formatBeijing, formatBeijingClock, formatBeijingStamp } from '../../../domain/time';

describe('Beijing time', () => {
  it.each([
    ['2024-06-14T15:59:00.000Z', '2024-06-14'],
    ['2024-06-14T16:00:00.000Z', '2024-06-15'],
    ['2024-12-31T16:30:00.000Z', '2025-01-01'],
  ])('%s falls on %s in Beijing', (instant, date) => {
    expect(beijingDate(instant)).toBe(date);
    expect(beijingDate(new Date(instant))).toBe(date);
  });

  it('09:00 Beijing is 01:00Z, all year round', () => {
    expect(beijingInstant('2024-06-14', '09:00')).toBe('2024-06-14T01:00:00.000Z');
    expect(beijingInstant('2024-01-14', '09:00')).toBe('2024-01-14T01:00:00.000Z');
    expect(beijingInstant('2025-01-01', '07:30')).toBe('2024-12-31T23:30:00.000Z');
  });

  it('reads an instant as Beijing wall-clock time in sentences, lists and lock messages', () => {
    expect(formatBeijing('2024-06-15T02:00:00.000Z')).toBe('2024年6月15日 10:00');
    expect(formatBeijingStamp('2024-03-01T02:05:00Z')).toBe('2024-03-01 10:05');
    expect(formatBeijingStamp('2024-02-29T16:05:00Z')).toBe('2024-03-01 00:05');
    // same Beijing day: the time alone; another day: the date in front
    expect(formatBeijingClock(new Date('2024-03-01T02:05:00Z'), new Date('2024-02-29T16:30:00Z'))).toBe('10:05');
    expect(formatBeijingClock(new Date('2024-03-01T16:05:00Z'), new Date('2024-03-01T15:00:00Z'))).toBe('03月02日 00:05');
  });

  it('rejects what is not an instant or not a HH:MM time', () => {
    expect(() => beijingDate('not a time')).toThrow(RangeError);
    expect(() => beijingInstant('2024-06-14', '9:00')).toThrow(RangeError);
  });

  it('gives "today" as the Beijing date, not the UTC one', () => {
    // 2024-06-14 23:30 UTC is already the 15th in Beijing
    expect(manualClock('2024-06-14T23:30:00Z').today()).toBe('2024-06-15');
  });

  it('puts the weekly report on the next Monday 09:00 Beijing', () => {
    // Sunday 2024-06-16 20:00 Beijing
    expect(nextWeeklyRun(new Date('2024-06-16T12:00:00Z')).toISOString()).toBe('2024-06-17T01:00:00.000Z');
    // Monday 2024-06-17 08:59 Beijing → that same morning
    expect(nextWeeklyRun(new Date('2024-06-17T00:59:00Z')).toISOString()).toBe('2024-06-17T01:00:00.000Z');
    // Monday 09:00 exactly → a week later
    expect(nextWeeklyRun(new Date('2024-06-17T01:00:00Z')).toISOString()).toBe('2024-06-24T01:00:00.000Z');
    // Sunday 2024-06-16 23:30 UTC is Monday 07:30 Beijing → that morning
    expect(nextWeeklyRun(new Date('2024-06-16T23:30:00Z')).toISOString()).toBe('2024-06-17T01:00:00.000Z');
  });
});
