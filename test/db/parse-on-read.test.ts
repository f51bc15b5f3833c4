import { describe, expect, it } from 'vitest';
import { MalformedRowError, readEnum, readJson, STRING_LIST } from '../../db/mapping';

// Parse on read: a JSON or enum column that does not hold what it must fails in the mapper,
// naming the column, instead of travelling on as a cast and failing somewhere far away.

describe('reading columns', () => {
  it('hands back a well-formed JSON column, and the fallback for an empty one', () => {
    expect(readJson('batches.student_nos', '["2020010901","2020010902"]', STRING_LIST, [])).toEqual(['2020010901', '2020010902']);
    expect(readJson('batches.student_nos', null, STRING_LIST, [])).toEqual([]);
  });

  it('refuses a JSON column of the wrong shape, naming the column', () => {
    expect(() => readJson('batches.student_nos', '[2020010901]', STRING_LIST, [])).toThrow(MalformedRowError);
    expect(() => readJson('batches.student_nos', '[2020010901]', STRING_LIST, [])).toThrow(/^batches\.student_nos: /);
  });

  it('refuses text that is not JSON at all', () => {
    expect(() => readJson('jobs.payload', '{recipient:', STRING_LIST, [])).toThrow(/^jobs\.payload: not JSON/);
  });

  it('refuses an enum column outside its values', () => {
    expect(readEnum('batches.status', 'issued', ['submitted', 'issued'])).toBe('issued');
    expect(() => readEnum('batches.status', 'approved', ['submitted', 'issued'])).toThrow(/batches\.status: "approved" is not one of submitted, issued/);
  });
});
