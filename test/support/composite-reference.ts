import DecimalJs from 'decimal.js';
import type { CourseScore, SchemeCourse } from '../../domain/model';
import { courseKey } from '../../domain/scheme-rules';

// The composite rule written the plain way, to check domain/eligibility.ts's fast path
// against: each course's points are score × weight / 100, the composite is their sum
// rounded half up to two decimals, and the part passes when that rounded figure reaches
// the pass mark. A course with no score (none given, or given as null) leaves the
// composite open. A score for the same course given twice counts the last one. Nothing is
// cached and nothing is cleverer than decimal.js.

const D = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP });

export interface ReferencePart {
  /** per scheme course, in scheme order: plain decimal text, null when no score */
  points: Array<string | null>;
  /** the sum before rounding */
  exact: string | null;
  composite: string | null;
  passed: boolean | null;
  missing: string[];
}

export function referencePart(courses: readonly SchemeCourse[], scores: readonly CourseScore[], passMark: string): ReferencePart {
  const byCourse = new Map<string, CourseScore>();
  for (const s of scores) byCourse.set(courseKey(s.course), s);
  const points: Array<string | null> = [];
  const missing: string[] = [];
  let total = new D(0);
  for (const c of courses) {
    const score = byCourse.get(courseKey(c.name))?.score ?? null;
    if (score === null) {
      points.push(null);
      missing.push(c.name);
      continue;
    }
    const p = new D(score).times(new D(c.weight)).dividedBy(100);
    points.push(p.toFixed());
    total = total.plus(p);
  }
  if (missing.length > 0) return { points, exact: null, composite: null, passed: null, missing };
  const composite = total.toDecimalPlaces(2, D.ROUND_HALF_UP);
  return { points, exact: total.toFixed(), composite: composite.toFixed(2), passed: composite.greaterThanOrEqualTo(new D(passMark)), missing };
}
