// Grade cells → course scores. Words, flags and repeated sittings are resolved here so
// that the composite code only ever sees one number (or a gap) per course.
import { Dec, parseScore, plain, toHalfWidth } from './decimal';
import type { CourseScore, Decimal, InputProblem, RawGrade, Result, Sitting } from './model';
import { courseKey } from './scheme-rules';

/** Grade word → score (decimal string). */
export type GradeTable = Record<string, Decimal>;

/**
 * 合格/不合格 come from pass-fail (考查) courses. 合格 is credited as 60, the lowest mark any
 * scheme may pass at, so a pass-fail grade never lifts a composite above a numeric bare pass.
 * A college that reads 合格 differently passes its own table.
 */
export const DEFAULT_GRADE_TABLE: GradeTable = {
  优秀: '95',
  良好: '85',
  中等: '75',
  及格: '65',
  不及格: '0',
  合格: '60',
  不合格: '0',
};

export type GradeFlag = CourseScore['flag'];

export interface GradeValue {
  /** null: no score (empty cell or 缓考) */
  score: Dec | null;
  flag: GradeFlag;
}

const FLAG_WORDS: Record<string, Exclude<GradeFlag, null>> = {
  缺考: '缺考',
  旷考: '缺考',
  作弊: '作弊',
  缓考: '缓考',
};

export function isInputProblem(x: unknown): x is InputProblem {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x;
}

export function interpretGrade(raw: string, table: GradeTable = DEFAULT_GRADE_TABLE): GradeValue | InputProblem {
  const s = toHalfWidth(raw).replace(/\s+/g, '');
  if (s === '') return { score: null, flag: null };
  const flag = FLAG_WORDS[s];
  if (flag) return { score: flag === '缓考' ? null : new Dec(0), flag };
  if (Object.hasOwn(table, s)) return { score: new Dec(table[s]!), flag: null };

  const n = parseScore(s.replace(/分$/, ''));
  if (n === null) {
    return {
      code: 'grade.unknown',
      message: `无法识别的成绩「${raw.trim()}」：应为 0–100 的分数，或 ${Object.keys(table).join('、')}、缺考、作弊、缓考`,
    };
  }
  if (n.lt(0) || n.gt(100)) {
    return { code: 'grade.range', message: `成绩 ${plain(n)} 超出 0–100 的范围` };
  }
  if (n.decimalPlaces() > 2) {
    return { code: 'grade.decimals', message: `成绩 ${raw.trim()} 超过两位小数` };
  }
  return { score: n, flag: null };
}

export const SITTING_LABEL: Record<Sitting, string> = { normal: '正常考试', makeup: '补考', retake: '重修' };

function cell(g: RawGrade): string {
  return `${g.source.sheet}!${g.source.column}${g.source.row}`;
}

function sameValue(a: GradeValue, b: GradeValue): boolean {
  const scoresEqual = a.score === null || b.score === null ? a.score === b.score : a.score.eq(b.score);
  return scoresEqual && a.flag === b.flag;
}

function show(v: GradeValue): string {
  if (v.flag) return v.flag;
  return v.score === null ? '空' : plain(v.score);
}

/** The best of several sittings: the highest score, an unflagged one on a tie; 缓考 only if nothing else. */
function best(values: GradeValue[]): GradeValue {
  let chosen: GradeValue = { score: null, flag: null };
  for (const v of values) {
    if (v.score === null) {
      if (chosen.score === null && v.flag) chosen = v;
      continue;
    }
    if (chosen.score === null || v.score.gt(chosen.score) || (v.score.eq(chosen.score) && chosen.flag && !v.flag)) {
      chosen = v;
    }
  }
  return chosen;
}

/**
 * Grades per student for the scheme's courses (every course listed, null where there is
 * no grade). Several sittings (补考, 重修): the highest counts. The same sitting twice with
 * different values is a problem at the second cell; the same value twice is harmless.
 * Any problem rejects the whole set, so a bad upload changes nothing.
 */
export function collectScores(
  grades: RawGrade[],
  courses: string[],
  table: GradeTable = DEFAULT_GRADE_TABLE,
): Result<Map<string, CourseScore[]>> {
  const problems: InputProblem[] = [];
  // A course in both lists (网络营销 in theory and skill) is one grade column.
  const courseByKey = new Map(courses.map((c) => [courseKey(c), c]));
  const uniqueCourses = [...new Set(courseByKey.values())];
  // student → course → sitting → first value seen (with its grade, for messages)
  const seen = new Map<string, Map<string, Map<Sitting, { value: GradeValue; grade: RawGrade }>>>();
  const order: string[] = [];

  for (const g of grades) {
    const studentNo = toHalfWidth(g.studentNo).trim();
    if (!seen.has(studentNo)) {
      seen.set(studentNo, new Map());
      order.push(studentNo);
    }
    const course = courseByKey.get(courseKey(g.course));
    if (course === undefined) {
      problems.push({ ...g.source, code: 'grade.unknown_course', message: `课程「${g.course}」不在考核方案中` });
      continue;
    }
    const value = interpretGrade(g.raw, table);
    if (isInputProblem(value)) {
      problems.push({ ...g.source, ...value, message: `学号 ${studentNo}「${course}」：${value.message}` });
      continue;
    }
    if (value.score === null && value.flag === null) continue;
    const byCourse = seen.get(studentNo)!;
    if (!byCourse.has(course)) byCourse.set(course, new Map());
    const bySitting = byCourse.get(course)!;
    const earlier = bySitting.get(g.sitting);
    if (earlier === undefined) {
      bySitting.set(g.sitting, { value, grade: g });
    } else if (!sameValue(earlier.value, value)) {
      problems.push({
        ...g.source,
        code: 'grade.conflict',
        message: `学号 ${studentNo}「${course}」${SITTING_LABEL[g.sitting]}有两个不同成绩：${cell(earlier.grade)} 为 ${show(earlier.value)}，此处为 ${show(value)}`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const result = new Map<string, CourseScore[]>();
  for (const studentNo of order) {
    const byCourse = seen.get(studentNo)!;
    result.set(
      studentNo,
      uniqueCourses.map((course) => {
        const sittings = byCourse.get(course);
        const chosen = best(sittings ? [...sittings.values()].map((s) => s.value) : []);
        return { course, score: chosen.score === null ? null : plain(chosen.score), flag: chosen.flag };
      }),
    );
  }
  return { ok: true, value: result };
}
