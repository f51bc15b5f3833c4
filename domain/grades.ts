// Grade cells → course scores. Words, flags and repeated sittings are resolved here so
// that the composite code only ever sees one number (or a gap) per course.
import { Dec, parseScore, plain } from './decimal';
import { toHalfWidth } from './text';
import type { CourseScore, Decimal, InputProblem, RawGrade, Result, Sitting, StoredGrade } from './model';
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
    return { code: 'grade.decimals', message: `成绩 ${raw.trim()} 超过两位小数：附件4/5 按两位小数打印，请在成绩册中保留两位小数后重新发送` };
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

interface Sat {
  sitting: Sitting;
  value: GradeValue;
  grade: RawGrade;
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
  const courseIndex = new Map(uniqueCourses.map((c, i) => [c, i]));
  // a whole grade's cells repeat a few hundred distinct texts: interpret each once
  const courseOf = new Map<string, number | undefined>();
  const interpreted = new Map<string, GradeValue | InputProblem>();
  // student → per course (by index) the sittings seen, first value of each: nearly always
  // one grade, kept as it came (its value is the interpreted one of its text)
  const seen = new Map<string, Array<RawGrade | Sat[] | undefined>>();

  for (const g of grades) {
    const studentNo = toHalfWidth(g.studentNo).trim();
    let byCourse = seen.get(studentNo);
    if (byCourse === undefined) {
      byCourse = [];
      seen.set(studentNo, byCourse);
    }
    let ci: number | undefined;
    if (courseOf.has(g.course)) ci = courseOf.get(g.course);
    else {
      const c = courseByKey.get(courseKey(g.course));
      ci = c === undefined ? undefined : courseIndex.get(c);
      courseOf.set(g.course, ci);
    }
    if (ci === undefined) {
      problems.push({ ...g.source, code: 'grade.unknown_course', message: `课程「${g.course}」不在考核方案中` });
      continue;
    }
    const course = uniqueCourses[ci]!;
    let value = interpreted.get(g.raw);
    if (value === undefined) {
      value = interpretGrade(g.raw, table);
      interpreted.set(g.raw, value);
    }
    if (isInputProblem(value)) {
      problems.push({ ...g.source, ...value, message: `学号 ${studentNo}「${course}」：${value.message}` });
      continue;
    }
    if (value.score === null && value.flag === null) continue;
    const entry = byCourse[ci];
    if (entry === undefined) {
      byCourse[ci] = g;
      continue;
    }
    let sittings: Sat[];
    if (Array.isArray(entry)) sittings = entry;
    else {
      sittings = [{ sitting: entry.sitting, value: interpreted.get(entry.raw) as GradeValue, grade: entry }];
      byCourse[ci] = sittings;
    }
    const earlier = sittings.find((x) => x.sitting === g.sitting);
    if (earlier === undefined) {
      sittings.push({ sitting: g.sitting, value, grade: g });
    } else if (earlier.value !== value && !sameValue(earlier.value, value)) {
      problems.push({
        ...g.source,
        code: 'grade.conflict',
        message: `学号 ${studentNo}「${course}」${SITTING_LABEL[g.sitting]}有两个不同成绩：${cell(earlier.grade)} 为 ${show(earlier.value)}，此处为 ${show(value)}`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  // CourseScores are plain immutable data: one object per course and chosen value serves every student
  const none = uniqueCourses.map((course): CourseScore => ({ course, score: null, flag: null }));
  const shared = uniqueCourses.map(() => new Map<GradeValue, CourseScore>());
  const result = new Map<string, CourseScore[]>();
  for (const [studentNo, byCourse] of seen) {
    const row: CourseScore[] = new Array(uniqueCourses.length);
    for (let ci = 0; ci < uniqueCourses.length; ci++) {
      const entry = byCourse[ci];
      if (entry === undefined) {
        row[ci] = none[ci]!;
        continue;
      }
      // in the order sittings were first seen, as best() has always been given them
      const chosen = Array.isArray(entry) ? best(entry.map((x) => x.value)) : (interpreted.get(entry.raw) as GradeValue);
      let score = shared[ci]!.get(chosen);
      if (score === undefined) {
        score = { course: uniqueCourses[ci]!, score: chosen.score === null ? null : plain(chosen.score), flag: chosen.flag };
        shared[ci]!.set(chosen, score);
      }
      row[ci] = score;
    }
    result.set(studentNo, row);
  }
  return { ok: true, value: result };
}

/** The best score per course (补考 and 重修 included); a flag only where no score counts. */
export function courseScores(grades: StoredGrade[]): CourseScore[] {
  const best = new Map<string, CourseScore>();
  for (const g of grades) {
    const prev = best.get(g.course);
    const mine: CourseScore = { course: g.course, score: g.score, flag: g.flag };
    if (!prev) best.set(g.course, mine);
    else if (g.score !== null && (prev.score === null || new Dec(g.score).greaterThan(prev.score))) best.set(g.course, mine);
  }
  return [...best.values()];
}
