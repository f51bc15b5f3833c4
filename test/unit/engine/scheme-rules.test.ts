import { describe, expect, it } from 'vitest';
import type { Scheme } from '../../../domain/model';
import { courseWeightsFromAreas, validateScheme } from '../../../domain/scheme-rules';
import { cbecAreas, cbecScheme } from './cbec.fixture';

const base = cbecScheme();

function withWeight(part: 'theory' | 'skill', index: number, weight: string): Partial<Scheme> {
  return { [part]: base[part].map((c, i) => (i === index ? { ...c, weight } : c)) };
}

describe('validateScheme', () => {
  it("accepts the seed's e-commerce scheme with its national-standard mapping", () => {
    expect(validateScheme(base)).toEqual([]);
  });

  it('accepts a scheme without a mapping', () => {
    expect(validateScheme(cbecScheme({ areas: [] }))).toEqual([]);
  });

  it('derives the score-table weights from the mapping as the seed prints them', () => {
    expect(Object.fromEntries(courseWeightsFromAreas(cbecAreas, 'theory'))).toEqual({
      电子商务概论: '30', 电子商务数据分析与应用: '25', 网页设计与制作: '10', 网络营销: '15', 网上开店与创业: '10', 网店运营与管理: '10',
    });
    expect(courseWeightsFromAreas(cbecAreas, 'skill').get('电子商务综合模拟实训')).toBe('35');
  });

  it.each<[string, Partial<Scheme>, string, string]>([
    ['theory weights summing to 95', { ...withWeight('theory', 0, '25'), areas: [] }, 'scheme.theory_sum', '理论课程权重合计为 95，应为 100'],
    ['skill weights summing to 105', { ...withWeight('skill', 1, '15'), areas: [] }, 'scheme.skill_sum', '技能课程权重合计为 105，应为 100'],
    ['an empty theory list', { theory: [], areas: [] }, 'scheme.theory_empty', '理论课程列表为空'],
    ['an empty skill list', { skill: [], areas: [] }, 'scheme.skill_empty', '技能课程列表为空'],
    ['a zero weight', { ...withWeight('theory', 5, '0'), areas: [] }, 'scheme.weight', '「网上开店与创业」的权重「0」'],
    ['a negative weight', { ...withWeight('theory', 5, '-10'), areas: [] }, 'scheme.weight', '应为大于 0 的数'],
    ['a non-numeric weight', { ...withWeight('theory', 5, '十'), areas: [] }, 'scheme.weight', '「十」'],
    ['a pass mark under 60', { passTheory: '55' }, 'scheme.pass_theory', '理论合格线「55」'],
    ['a pass mark over 100', { passSkill: '101' }, 'scheme.pass_skill', '技能合格线「101」'],
    ['four technical-group members', { technicalGroup: ['a', 'b', 'c', 'd'] }, 'scheme.technical_group', '为 4 人'],
    ['five entries with a repeated member', { technicalGroup: ['a', 'b', 'c', 'd', 'a'] }, 'scheme.technical_group', '为 4 人'],
    ['a course twice in one list', { theory: [...base.theory.slice(0, 5), { ...base.theory[0]!, weight: '10' }], areas: [] }, 'scheme.duplicate_course', '「电子商务概论」重复出现'],
    ['课证融通 without its course', { courseCertIntegration: true, integrationCourse: null }, 'scheme.integration_course', '课证融通'],
  ])('reports %s', (_title, overrides, code, fragment) => {
    const problems = validateScheme(cbecScheme(overrides));
    expect(problems.map((p) => p.code)).toContain(code);
    expect(problems.find((p) => p.code === code)!.message).toContain(fragment);
  });

  it('reports a score-table weight that differs from the mapping', () => {
    // 电子商务概论 30 → 25 and 电子商务数据分析与应用 25 → 30 keep the list at 100.
    const theory = base.theory.map((c) =>
      c.name === '电子商务概论' ? { ...c, weight: '25' } : c.name === '电子商务数据分析与应用' ? { ...c, weight: '30' } : c,
    );
    const problems = validateScheme(cbecScheme({ theory }));
    expect(problems.map((p) => p.code)).toEqual(['scheme.area_mismatch', 'scheme.area_mismatch']);
    expect(problems[0]!.message).toBe('理论课程「电子商务概论」在成绩构成表中权重为 25，按国标要求对应合计应为 30');
  });

  it("reports an area whose courses do not add up to the area's standard weight", () => {
    const areas = cbecAreas.map((a) =>
      a.part === 'skill' && a.area === '线上店铺设计与装修' ? { ...a, standardWeight: '20' } : a,
    );
    const codes = validateScheme(cbecScheme({ areas })).map((p) => p.code);
    expect(codes).toEqual(['scheme.area_courses_sum', 'scheme.area_sum']);
  });

  it('reports a mapped course that is not in the score table', () => {
    const areas = [...cbecAreas, { part: 'theory' as const, area: '法律', standardWeight: '5', courses: [{ name: '电子商务法', weight: '5' }] }];
    const codes = validateScheme(cbecScheme({ areas })).map((p) => p.code);
    expect(codes).toContain('scheme.area_course_unknown');
    expect(codes).toContain('scheme.area_sum');
  });

  it('accepts a course in both lists', () => {
    expect(base.theory.some((c) => c.name === '网络营销') && base.skill.some((c) => c.name === '网络营销')).toBe(true);
    expect(validateScheme(base)).toEqual([]);
  });

  it('skips the weight rules for 课证融通 with its course named', () => {
    const scheme = cbecScheme({ courseCertIntegration: true, integrationCourse: '跨境电商实务', theory: [], skill: [], areas: [] });
    expect(validateScheme(scheme)).toEqual([]);
  });
});
