// What every form of a scoring run says about itself: school, college, year.
import type { ScoreRun } from '../scoring-run';

export interface FormMeta {
  /** 郑州科技学院 unless configured otherwise */
  school?: string;
  /** the campaign year; defaults to the application date's year */
  year?: number;
  /** e.g. 2020级; defaults to the roster's entry years of the students listed */
  grade?: string;
}

export const DEFAULT_SCHOOL = '郑州科技学院';
export const DRAFT_MARK = '（方案未审核，仅供预览）';

export function formTitle(run: ScoreRun, meta: FormMeta, form: string): string {
  const school = meta.school ?? DEFAULT_SCHOOL;
  const year = meta.year ?? Number(run.applicationDate.slice(0, 4));
  // the seed's own title first, so the paper form is recognisable; then college and year
  // a draft scheme scores only as a preview, and every form says so in its title
  return `${school}${form}（${run.scheme.college} ${year}年）${run.draftScheme ? DRAFT_MARK : ''}`;
}

export function isoToChinese(date: string): string {
  return `${date.slice(0, 4)}年${date.slice(5, 7)}月${date.slice(8, 10)}日`;
}

/** 年级 for a form's header: the configured one, else the roster's entry years of the students listed (2020级). */
export function gradeLabel(students: ReadonlyArray<{ rosterEntry?: { entryYear: number } | null }>, meta: FormMeta): string {
  if (meta.grade) return meta.grade;
  const years = [...new Set(students.map((s) => s.rosterEntry?.entryYear).filter((y): y is number => typeof y === 'number'))].sort();
  return years.length ? `${years.join('、')}级` : '';
}

/** The section of failing and incomplete students: every form prints them on their own sheet, never appended after the passing. */
export const FAILING_SECTION = '不合格及待补';

/** Passing students (with a level) and the rest, each in the run's export order. */
export function splitFailing<S extends { evaluation: { level: unknown } }>(students: readonly S[]): { passing: S[]; failing: S[] } {
  const passing: S[] = [];
  const failing: S[] = [];
  for (const s of students) (s.evaluation.level ? passing : failing).push(s);
  return { passing, failing };
}
