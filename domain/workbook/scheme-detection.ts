// Which scheme a grade workbook is for, from the course columns (or course names) it
// holds and the major its titles, sheet names or 专业 column name.
import { cellAt, type Grid } from '../xlsx/grid';
import { normaliseKey } from '../text';
import type { Scheme } from '../model';
import { courseIndex, matchCourse, scanSheet } from './grade-sheet.layout';

export type SchemeDetection = { kind: 'unique'; scheme: Scheme } | { kind: 'ambiguous'; candidates: Scheme[] } | { kind: 'none' };

export function detectScheme(grids: Grid[], schemes: Scheme[]): SchemeDetection {
  const found = new Set<string>();
  const foundRaw: string[] = [];
  const majorTexts: string[] = [];
  let wide = false;
  for (const grid of grids) {
    const scan = scanSheet(grid);
    if (scan.kind !== 'layout') continue;
    const { layout } = scan;
    majorTexts.push(...layout.titles, grid.name);
    if (layout.major !== undefined) {
      for (let r = layout.dataRow; r <= Math.min(grid.rows.length, layout.dataRow + 200); r++) majorTexts.push(cellAt(grid, r, layout.major).text);
    }
    if (layout.shape === 'wide') {
      wide = true;
      for (const c of layout.courseColumns) {
        found.add(c.key);
        foundRaw.push(c.text);
      }
    } else {
      for (let r = layout.dataRow; r <= grid.rows.length; r++) {
        const t = cellAt(grid, r, layout.course!).text;
        if (t) {
          found.add(normaliseKey(t));
          foundRaw.push(t);
        }
      }
    }
  }
  if (found.size === 0) return { kind: 'none' };
  const scored = schemes.map((scheme) => {
    const index = courseIndex(scheme);
    const matchedKeys = new Set<string>();
    let extra = 0;
    for (const t of new Set(foundRaw)) {
      const course = matchCourse(index, t);
      if (course) matchedKeys.add(normaliseKey(course));
      else extra++;
    }
    return { scheme, matched: matchedKeys.size, total: index.size, extra: wide ? extra : 0 };
  });
  const majorNamed = (s: Scheme) => majorTexts.some((t) => normaliseKey(t).includes(normaliseKey(s.major)));
  const narrow = (list: Scheme[]): SchemeDetection => {
    if (list.length === 1) return { kind: 'unique', scheme: list[0]! };
    let byMajor = list.filter(majorNamed);
    // 跨境电子商务 names 电子商务 too: the longest major named is the one meant
    const longest = Math.max(0, ...byMajor.map((s) => normaliseKey(s.major).length));
    byMajor = byMajor.filter((s) => normaliseKey(s.major).length === longest);
    if (byMajor.length === 1) return { kind: 'unique', scheme: byMajor[0]! };
    return { kind: 'ambiguous', candidates: byMajor.length > 1 ? byMajor : list };
  };
  const full = scored.filter((s) => s.matched === s.total && s.extra === 0).map((s) => s.scheme);
  if (full.length > 0) return narrow(full);
  const partial = scored.filter((s) => s.matched > 0 && s.extra === 0);
  if (partial.length === 0) return { kind: 'none' };
  const best = Math.max(...partial.map((s) => s.matched));
  return narrow(partial.filter((s) => s.matched === best).map((s) => s.scheme));
}
