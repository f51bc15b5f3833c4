// Whether a scheme (考核方案) is fit to score students with. Every problem is named with
// its list and its actual figures, because the people fixing it work from the printed plan.
import { Dec, parseScore, plain, sum } from './decimal';
import { toHalfWidth } from './text';
import type { InputProblem, Part, Scheme, SchemeCourse, StandardArea } from './model';
import { PART_LABEL } from './model';

/** Course names compared as staff type them: width and spacing do not matter. */
export function courseKey(name: string): string {
  return toHalfWidth(name).replace(/\s+/g, '');
}

export const MIN_PASS_MARK = new Dec(60);
export const MIN_TECHNICAL_GROUP = 5;

function positive(weight: string): Dec | null {
  const d = parseScore(weight);
  return d !== null && d.gt(0) ? d : null;
}

/** The score-table weight each course should have: the sum over the areas it serves. */
export function courseWeightsFromAreas(areas: StandardArea[], part: Part): Map<string, string> {
  const totals = new Map<string, { name: string; total: Dec }>();
  for (const area of areas) {
    if (area.part !== part) continue;
    for (const c of area.courses) {
      const w = parseScore(c.weight) ?? new Dec(0);
      const key = courseKey(c.name);
      const entry = totals.get(key) ?? { name: c.name, total: new Dec(0) };
      entry.total = entry.total.plus(w);
      totals.set(key, entry);
    }
  }
  return new Map([...totals.values()].map((e) => [e.name, plain(e.total)]));
}

function checkList(part: Part, list: SchemeCourse[]): InputProblem[] {
  const label = PART_LABEL[part];
  if (list.length === 0) return [{ code: `scheme.${part}_empty`, message: `${label}课程列表为空` }];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const weights: Dec[] = [];
  for (const c of list) {
    if (courseKey(c.name) === '') {
      problems.push({ code: 'scheme.course_name', message: `${label}课程列表中有未填名称的课程` });
      continue;
    }
    if (seen.has(courseKey(c.name))) {
      problems.push({ code: 'scheme.duplicate_course', message: `${label}课程「${c.name}」重复出现` });
    }
    seen.add(courseKey(c.name));
    const w = positive(c.weight);
    if (w === null) {
      problems.push({ code: 'scheme.weight', message: `${label}课程「${c.name}」的权重「${c.weight}」应为大于 0 的数` });
    } else {
      weights.push(w);
    }
  }
  if (weights.length === list.length) {
    const total = sum(weights);
    if (!total.eq(100)) {
      problems.push({ code: `scheme.${part}_sum`, message: `${label}课程权重合计为 ${plain(total)}，应为 100` });
    }
  }
  return problems;
}

function checkAreas(part: Part, list: SchemeCourse[], areas: StandardArea[]): InputProblem[] {
  const mine = areas.filter((a) => a.part === part);
  if (mine.length === 0) return [];
  const label = PART_LABEL[part];
  const problems: InputProblem[] = [];
  const standard: Dec[] = [];
  for (const area of mine) {
    const w = positive(area.standardWeight);
    if (w === null) {
      problems.push({ code: 'scheme.area_weight', message: `${label}国标要求「${area.area}」的权重「${area.standardWeight}」应为大于 0 的数` });
      continue;
    }
    standard.push(w);
    if (area.courses.length === 0) {
      problems.push({ code: 'scheme.area_no_course', message: `${label}国标要求「${area.area}」没有支撑课程` });
      continue;
    }
    const courseWeights = area.courses.map((c) => positive(c.weight));
    const bad = area.courses.filter((_, i) => courseWeights[i] === null);
    for (const c of bad) {
      problems.push({ code: 'scheme.area_course_weight', message: `${label}国标要求「${area.area}」中课程「${c.name}」的权重「${c.weight}」应为大于 0 的数` });
    }
    if (bad.length === 0) {
      const total = sum(courseWeights as Dec[]);
      if (!total.eq(w)) {
        problems.push({
          code: 'scheme.area_courses_sum',
          message: `${label}国标要求「${area.area}」的课程权重合计为 ${plain(total)}，应等于国标权重 ${plain(w)}`,
        });
      }
    }
  }
  if (standard.length === mine.length) {
    const total = sum(standard);
    if (!total.eq(100)) {
      problems.push({ code: 'scheme.area_sum', message: `${label}国标要求权重合计为 ${plain(total)}，应为 100` });
    }
  }

  const fromAreas = courseWeightsFromAreas(mine, part);
  const listed = new Set(list.map((c) => courseKey(c.name)));
  for (const [name] of fromAreas) {
    if (!listed.has(courseKey(name))) {
      problems.push({ code: 'scheme.area_course_unknown', message: `${label}国标要求中的课程「${name}」不在${label}成绩构成表中` });
    }
  }
  const byKey = new Map([...fromAreas].map(([name, w]) => [courseKey(name), w]));
  for (const c of list) {
    const w = positive(c.weight);
    if (w === null) continue;
    const expected = new Dec(byKey.get(courseKey(c.name)) ?? 0);
    if (!w.eq(expected)) {
      problems.push({
        code: 'scheme.area_mismatch',
        message: `${label}课程「${c.name}」在成绩构成表中权重为 ${plain(w)}，按国标要求对应合计应为 ${plain(expected)}`,
      });
    }
  }
  return problems;
}

function checkPassMark(part: Part, raw: string): InputProblem[] {
  const d = parseScore(raw);
  if (d === null || d.lt(MIN_PASS_MARK) || d.gt(100)) {
    return [{ code: `scheme.pass_${part}`, message: `${PART_LABEL[part]}合格线「${raw}」应在 60 到 100 之间` }];
  }
  return [];
}

/** Everything wrong with a scheme; empty when it may be used. */
export function validateScheme(s: Scheme): InputProblem[] {
  const problems: InputProblem[] = [];
  if (s.occupation.name.trim() === '') problems.push({ code: 'scheme.occupation', message: '未填写申报职业（工种）' });

  if (s.courseCertIntegration) {
    // 课证融通: the designated course grade decides, so course weights are not used.
    if (!s.integrationCourse || courseKey(s.integrationCourse) === '') {
      problems.push({ code: 'scheme.integration_course', message: '课证融通方案需指定决定成绩的课程' });
    }
  } else {
    problems.push(...checkList('theory', s.theory), ...checkList('skill', s.skill));
    problems.push(...checkAreas('theory', s.theory, s.areas), ...checkAreas('skill', s.skill, s.areas));
  }

  problems.push(...checkPassMark('theory', s.passTheory), ...checkPassMark('skill', s.passSkill));

  if (!Number.isInteger(s.holdingMonths) || s.holdingMonths < 0) {
    problems.push({ code: 'scheme.holding_months', message: `持证月数「${s.holdingMonths}」应为不小于 0 的整数` });
  }

  const members = new Set(s.technicalGroup.map((m) => toHalfWidth(m).replace(/\s+/g, '')).filter((m) => m !== ''));
  if (members.size < MIN_TECHNICAL_GROUP) {
    problems.push({
      code: 'scheme.technical_group',
      message: `认定技术组成员为 ${members.size} 人，应不少于 ${MIN_TECHNICAL_GROUP} 人`,
    });
  }
  return problems;
}
