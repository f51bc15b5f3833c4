import { describe, expect, it } from 'vitest';
import { DEFAULT_GRADE_TABLE, collectScores, interpretGrade, isInputProblem } from '../../../domain/grades';
import type { RawGrade, Sitting } from '../../../domain/model';

describe('interpretGrade', () => {
  it.each<[string, string | null, string | null]>([
    ['85', '85', null],
    ['85.5', '85.5', null],
    ['59.99', '59.99', null],
    ['０', '0', null],
    ['100', '100', null],
    [' 85 ', '85', null],
    ['85分', '85', null],
    ['优秀', '95', null],
    ['良好', '85', null],
    ['中等', '75', null],
    ['及格', '65', null],
    ['不及格', '0', null],
    ['合格', '60', null],
    ['不合格', '0', null],
    ['缺考', '0', '缺考'],
    ['旷考', '0', '缺考'],
    ['作弊', '0', '作弊'],
    ['缓考', null, '缓考'],
    ['', null, null],
  ])('%j → score %s, flag %s', (raw, score, flag) => {
    const v = interpretGrade(raw, DEFAULT_GRADE_TABLE);
    if (isInputProblem(v)) throw new Error(v.message);
    expect(v.score === null ? null : v.score.toString()).toBe(score);
    expect(v.flag).toBe(flag);
  });

  it.each([
    ['101', 'grade.range'],
    ['-1', 'grade.range'],
    ['85.555', 'grade.decimals'],
    ['良', 'grade.unknown'],
    ['A', 'grade.unknown'],
  ])('%j is a problem %s', (raw, code) => {
    const v = interpretGrade(raw, DEFAULT_GRADE_TABLE);
    expect(isInputProblem(v) && v.code).toBe(code);
  });

  it('reads 合格 from a college-specific table', () => {
    const v = interpretGrade('合格', { ...DEFAULT_GRADE_TABLE, 合格: '70' });
    expect(!isInputProblem(v) && v.score?.toString()).toBe('70');
  });
});

let row = 1;
function grade(studentNo: string, course: string, raw: string, sitting: Sitting = 'normal'): RawGrade {
  row += 1;
  return { studentNo, name: '张三', course, raw, sitting, source: { sheet: '成绩', row, column: 'D' } };
}

describe('collectScores', () => {
  const courses = ['网络营销', '网上开店与创业'];

  it.each<[string, RawGrade[], string | null, string | null]>([
    ['one sitting', [grade('1', '网络营销', '70')], '70', null],
    ['补考 higher than the first sitting', [grade('1', '网络营销', '50'), grade('1', '网络营销', '68', 'makeup')], '68', null],
    ['first sitting higher than 补考', [grade('1', '网络营销', '75'), grade('1', '网络营销', '62', 'makeup')], '75', null],
    ['重修 after 缺考', [grade('1', '网络营销', '缺考'), grade('1', '网络营销', '61', 'retake')], '61', null],
    ['only 缺考', [grade('1', '网络营销', '缺考')], '0', '缺考'],
    ['缓考 then 补考', [grade('1', '网络营销', '缓考'), grade('1', '网络营销', '80', 'makeup')], '80', null],
    ['only 缓考', [grade('1', '网络营销', '缓考')], null, '缓考'],
    ['an identical duplicate', [grade('1', '网络营销', '85'), grade('1', '网络营销', '85.0')], '85', null],
    ['a grade word', [grade('1', '网络营销', '良好')], '85', null],
    ['a course name spelt with spaces', [grade('1', '网络 营销', '90')], '90', null],
  ])('%s', (_title, grades, score, flag) => {
    const result = collectScores(grades, courses, DEFAULT_GRADE_TABLE);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.get('1')).toEqual([
      { course: '网络营销', score, flag },
      { course: '网上开店与创业', score: null, flag: null },
    ]);
  });

  it('rejects the same sitting with two different values, at the second cell', () => {
    const second = grade('1', '网络营销', '80');
    const result = collectScores([grade('1', '网络营销', '85'), second], courses);
    expect(result).toMatchObject({
      ok: false,
      problems: [{ code: 'grade.conflict', sheet: '成绩', row: second.source.row, column: 'D' }],
    });
    if (!result.ok) expect(result.problems[0]!.message).toContain('85');
  });

  it.each([
    ['an unknown course', grade('1', '会计学', '85'), 'grade.unknown_course'],
    ['an unreadable grade', grade('1', '网络营销', '良'), 'grade.unknown'],
    ['a grade over 100', grade('1', '网络营销', '120'), 'grade.range'],
  ])('reports %s with its cell and rejects the whole set', (_title, bad, code) => {
    const result = collectScores([grade('2', '网络营销', '85'), bad], courses);
    expect(result).toMatchObject({ ok: false, problems: [{ code, sheet: '成绩', row: bad.source.row, column: 'D' }] });
  });

  it('lists a course taught in both parts once', () => {
    const result = collectScores([grade('1', '网络营销', '85')], ['网络营销', '网络营销']);
    expect(result.ok && result.value.get('1')).toEqual([{ course: '网络营销', score: '85', flag: null }]);
  });
});
