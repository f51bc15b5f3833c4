import { describe, expect, it } from 'vitest';
import { computePart, ScoringMemo } from '../../../domain/eligibility';
import type { CourseScore, SchemeCourse } from '../../../domain/model';
import { referencePart } from '../../support/composite-reference';
import { seededRandom } from '../../support/seeded-random';

// The fast path (integer hundredths, memoised texts, positions reused across a run's
// students) against the plain decimal rule, on seeded random schemes and scores: weights
// and scores with zero to three decimals, pass marks with zero to three, missing and
// repeated courses, course lists in another order, and sums that land exactly on x.xx5.

const CASES = 200_000;
const STUDENTS_PER_RUN = 40;

function decimalText(r: () => number, max: number, decimals: number): string {
  const scale = 10 ** decimals;
  const units = Math.floor(r() * (max * scale + 1));
  const whole = Math.floor(units / scale);
  if (decimals === 0) return String(whole);
  return `${whole}.${String(units % scale).padStart(decimals, '0')}`;
}

const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function scheme(r: () => number, run: number): { courses: SchemeCourse[]; passMark: string; edge: boolean } {
  const edge = r() < 0.25;
  const n = edge ? 3 : 1 + Math.floor(r() * 10);
  const courses: SchemeCourse[] = [];
  for (let i = 0; i < n; i++) {
    const weight = edge ? ['50', '30', '20'][i]! : decimalText(r, 100, pick(r, [0, 0, 1, 2, 2, 3]));
    // full-width and spaced spellings of names still match (courseKey)
    courses.push({ name: `课程${run}-${i}`, semester: '', weight });
  }
  const passMark = pick(r, ['60', '60', '70', '59.5', '60.05', '59.995']);
  return { courses, passMark, edge };
}

function student(r: () => number, courses: SchemeCourse[], edge: boolean, shuffle: boolean): CourseScore[] {
  const out: CourseScore[] = [];
  courses.forEach((c, i) => {
    const roll = r();
    if (roll < 0.02) return; // absent from the sheet
    let score: string | null;
    if (roll < 0.04) score = null; // present but empty
    else if (edge) score = i === 0 ? `${Math.floor(r() * 100)}.${String(Math.floor(r() * 50) * 2 + 1).padStart(2, '0')}` : String(Math.floor(r() * 101));
    else score = decimalText(r, 100, pick(r, [0, 0, 1, 2, 2, 3]));
    if (score !== null && r() < 0.03) score = `${score.includes('.') ? score : `${score}.`}0`; // a trailing zero
    const name = r() < 0.05 ? ` ${c.name} ` : c.name;
    out.push({ course: name, score, flag: null });
    if (r() < 0.01) out.push({ course: c.name, score: decimalText(r, 100, 2), flag: null }); // given twice: the last counts
  });
  if (shuffle) out.sort(() => r() - 0.5);
  return out;
}

describe('the composite fast path against plain decimal arithmetic', () => {
  it(`agrees on ${CASES.toLocaleString('en')} seeded random schemes and scores`, () => {
    const r = seededRandom(20240531);
    let compared = 0;
    let halves = 0;
    const mismatches: string[] = [];
    for (let run = 0; compared < CASES; run++) {
      // one memo per run, as scoreWorkbook does: students of a run share the scheme
      const memo = new ScoringMemo();
      const { courses, passMark, edge } = scheme(r, run);
      const shuffleRun = r() < 0.2;
      for (let k = 0; k < STUDENTS_PER_RUN && compared < CASES; k++, compared++) {
        const scores = student(r, courses, edge, shuffleRun && r() < 0.5);
        const fast = computePart('theory', courses, scores, passMark, memo);
        const ref = referencePart(courses, scores, passMark);
        if (ref.exact !== null && /\.\d\d5$/.test(ref.exact)) halves++;
        const got = { points: fast.lines.map((l) => l.points), exact: ref.exact, composite: fast.composite, passed: fast.passed, missing: fast.missing };
        if (JSON.stringify(got) !== JSON.stringify(ref) && mismatches.length < 5) {
          mismatches.push(JSON.stringify({ courses, scores, passMark, fast: got, ref }));
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(CASES);
    // sums exactly halfway between two hundredths really were generated and decided
    expect(halves).toBeGreaterThan(10_000);
    // decimal.js on every case is slow on a busy machine; the limit only stops a hang
  }, 180_000);

  it.each<[string, SchemeCourse[], CourseScore[], string, string, boolean]>([
    ['x.xx5 rounds half up', [{ name: 'A', semester: '', weight: '50' }], [{ course: 'A', score: '60.01', flag: null }], '30', '30.01', true],
    ['three-decimal score 59.995 is 60.00', [{ name: 'A', semester: '', weight: '100' }], [{ course: 'A', score: '59.995', flag: null }], '60', '60.00', true],
    ['three-decimal score 59.994 is 59.99', [{ name: 'A', semester: '', weight: '100' }], [{ course: 'A', score: '59.994', flag: null }], '60', '59.99', false],
    ['three-decimal weight', [{ name: 'A', semester: '', weight: '33.335' }, { name: 'B', semester: '', weight: '66.665' }], [{ course: 'A', score: '60', flag: null }, { course: 'B', score: '60', flag: null }], '60', '60.00', true],
  ])('%s, on both paths', (_what, courses, scores, passMark, composite, passed) => {
    expect(referencePart(courses, scores, passMark)).toMatchObject({ composite, passed });
    expect(computePart('theory', courses, scores, passMark, new ScoringMemo())).toMatchObject({ composite, passed });
  });
});
