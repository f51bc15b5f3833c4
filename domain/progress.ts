// Progress of each college against its 附件1 targets: certified (all levels),
// advanced (三级/高级) and 1+X. Shares are whole percents computed with integers.
import type { CollegeTarget } from './model';

export interface CollegeCounts {
  certified: number;
  advanced: number;
  xCertified: number;
}

export interface ProgressLine {
  /** 1-based place in 附件1 */
  order: number;
  college: string;
  target: CollegeTarget;
  counts: CollegeCounts;
  /** whole percent of the target reached (floored), null where there is no target */
  certifiedPct: number | null;
  advancedPct: number | null;
  xPct: number | null;
}

export interface Progress {
  year: number;
  lines: ProgressLine[];
  totals: { target: Omit<CollegeTarget, 'year' | 'college'>; counts: CollegeCounts; certifiedPct: number | null };
}

/** floor(100 × done / target); null when no target is set (0 or null) */
export function percent(done: number, target: number | null): number | null {
  if (!target || target <= 0) return null;
  return Math.floor((done * 100) / target);
}

/**
 * Lines in the order of `colleges` (附件1), then any college with a target but not in
 * that list. Counts default to zero.
 */
export function computeProgress(year: number, colleges: readonly string[], targets: readonly CollegeTarget[], counts: ReadonlyMap<string, CollegeCounts>): Progress {
  const byCollege = new Map(targets.filter((t) => t.year === year).map((t) => [t.college, t]));
  const names = [...colleges.filter((c) => byCollege.has(c)), ...[...byCollege.keys()].filter((c) => !colleges.includes(c))];
  const zero: CollegeCounts = { certified: 0, advanced: 0, xCertified: 0 };
  const lines = names.map((college): ProgressLine => {
    const target = byCollege.get(college)!;
    const c = counts.get(college) ?? zero;
    const index = colleges.indexOf(college);
    return {
      order: index >= 0 ? index + 1 : colleges.length + names.indexOf(college) + 1,
      college,
      target,
      counts: { ...c },
      certifiedPct: percent(c.certified, target.certified),
      advancedPct: percent(c.advanced, target.advanced),
      xPct: percent(c.xCertified, target.xCertified),
    };
  });
  const sum = (f: (l: ProgressLine) => number) => lines.reduce((acc, l) => acc + f(l), 0);
  const target = {
    graduates: sum((l) => l.target.graduates),
    training: sum((l) => l.target.training),
    certified: sum((l) => l.target.certified),
    advanced: sum((l) => l.target.advanced),
    xCertified: sum((l) => l.target.xCertified ?? 0),
  };
  const total = { certified: sum((l) => l.counts.certified), advanced: sum((l) => l.counts.advanced), xCertified: sum((l) => l.counts.xCertified) };
  return { year, lines, totals: { target, counts: total, certifiedPct: percent(total.certified, target.certified) } };
}
