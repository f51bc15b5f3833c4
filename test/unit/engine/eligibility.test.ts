import { describe, expect, it } from 'vitest';
import { computePart, evaluate } from '../../../domain/eligibility';
import type { CourseScore, HeldCertificate, Scheme, SchemeCourse } from '../../../domain/model';
import { cbecCourses, cbecScheme } from './cbec.fixture';

describe('computePart', () => {
  const half: SchemeCourse[] = [
    { name: 'A', semester: '第一学期', weight: '50' },
    { name: 'B', semester: '第二学期', weight: '50' },
  ];
  const thirtySeventy: SchemeCourse[] = [
    { name: 'A', semester: '第一学期', weight: '30' },
    { name: 'B', semester: '第二学期', weight: '70' },
  ];
  const s = (a: string | null, b: string | null): CourseScore[] => [
    { course: 'A', score: a, flag: null },
    { course: 'B', score: b, flag: null },
  ];

  it.each<[string, SchemeCourse[], CourseScore[], string, string, boolean]>([
    ['59.995 rounds up to 60.00 and passes', half, s('59.99', '60'), '60', '60.00', true],
    ['59.99 fails', half, s('59.98', '60'), '60', '59.99', false],
    ['a sum that binary floats make 59.99499… still rounds to 60.00', thirtySeventy, s('59.12', '60.37'), '60', '60.00', true],
    ['a sum that binary floats print as 59.99 still rounds to 60.00', thirtySeventy, s('59.19', '60.34'), '60', '60.00', true],
    ['exactly the pass mark passes', half, s('60', '60'), '60', '60.00', true],
    ['a higher pass mark is respected', half, s('70', '69.98'), '70', '69.99', false],
    ['all full marks', half, s('100', '100'), '60', '100.00', true],
  ])('%s', (_title, courses, scores, passMark, composite, passed) => {
    const result = computePart('theory', courses, scores, passMark);
    expect(result).toMatchObject({ composite, passed, missing: [] });
  });

  it('keeps each weighted point exact', () => {
    const result = computePart('theory', thirtySeventy, s('85.5', '59.19'), '60');
    expect(result.lines.map((l) => l.points)).toEqual(['25.65', '41.433']);
    expect(result.composite).toBe('67.08');
  });

  it('leaves the composite open and names a missing course', () => {
    const result = computePart('skill', half, s('80', null), '60');
    expect(result).toMatchObject({ composite: null, passed: null, missing: ['B'] });
  });

  it('treats an absent course like a missing one', () => {
    const result = computePart('skill', half, [{ course: 'A', score: '80', flag: null }], '60');
    expect(result.missing).toEqual(['B']);
  });
});

const applicationDate = '2024-03-01';
const onlyTheory = ['电子商务概论', '网页设计与制作', '电子商务数据分析与应用', '网店运营与管理'];
const onlySkill = ['电子商务综合模拟实训', '网络店铺图文设计实训', '电商交易平台设计与开发实训', '3D 数字化电商类仿真实训'];

function scores(all: string | null, overrides: Record<string, Partial<CourseScore>> = {}): CourseScore[] {
  return cbecCourses.map((course) => ({ course, score: all, flag: null, ...overrides[course] }));
}

function only(courses: string[], score: string): Record<string, Partial<CourseScore>> {
  return Object.fromEntries(courses.map((c) => [c, { score }]));
}

function cert(kind: HeldCertificate['kind'], name: string, level: string, issuedOn: string): HeldCertificate {
  return { studentNo: '2020001', kind, name, level, number: 'S000001', issuedOn };
}

const ecommerce4 = (issuedOn: string) => cert('qualification', '电子商务师', '四级', issuedOn);

function run(s: CourseScore[], certificates: HeldCertificate[] = [], scheme: Scheme = cbecScheme(), date = applicationDate) {
  return evaluate({ studentNo: '2020001', name: '张三', scores: s, certificates }, scheme, { applicationDate: date });
}

describe('evaluate: levels', () => {
  it.each<[string, CourseScore[], HeldCertificate[], Partial<Scheme>, string, 'L3' | 'L4', number]>([
    ['both composites pass → rule 4', scores('80'), [], {}, applicationDate, 'L4', 4],
    ['training objective 三级 → rule 2', scores('80'), [], { trainingObjective: 'L3' }, applicationDate, 'L3', 2],
    ['四级 certificate held 12 months to the day → rule 3', scores('80'), [ecommerce4('2023-03-01')], {}, applicationDate, 'L3', 3],
    ['a related 工种 written with brackets → rule 3', scores('80'), [cert('skill', '电子商务师（网商）', '中级工', '2022-06-01')], {}, applicationDate, 'L3', 3],
    ['a 三级 certificate also counts → rule 3', scores('80'), [cert('skill', '电子商务师', '三级/高级工', '2022-06-01')], {}, applicationDate, 'L3', 3],
    ['issued 2023-02-28, applying 2024-02-28 → rule 3', scores('80'), [ecommerce4('2023-02-28')], {}, '2024-02-28', 'L3', 3],
    ['issued 2024-02-29, applying 2025-02-28 → rule 3', scores('80'), [ecommerce4('2024-02-29')], {}, '2025-02-28', 'L3', 3],
    ['issued 2024-02-29, applying 2025-02-27 → rule 4', scores('80'), [ecommerce4('2024-02-29')], {}, '2025-02-27', 'L4', 4],
    ['one day short → rule 4', scores('80'), [ecommerce4('2023-03-02')], {}, applicationDate, 'L4', 4],
    ['an unrelated occupation → rule 4', scores('80'), [cert('qualification', '会计', '四级', '2020-01-01')], {}, applicationDate, 'L4', 4],
    ['a 五级 certificate → rule 4', scores('80'), [cert('skill', '电子商务师', '五级', '2020-01-01')], {}, applicationDate, 'L4', 4],
    ['mapped 1+X 初级 → rule 1', scores('80'), [cert('x', '跨境电商B2B数据运营', '初级', '2023-12-01')], {}, applicationDate, 'L4', 1],
    ['mapped 1+X 中级 → rule 1', scores('80'), [cert('x', '跨境电商B2B数据运营', '中级', '2023-12-01')], {}, applicationDate, 'L3', 1],
    ['mapped 1+X 高级 → rule 1', scores('80'), [cert('x', '跨境电商B2B数据运营职业技能等级证书', '高级', '2023-12-01')], {}, applicationDate, 'L3', 1],
    ['mapped 1+X 中级 with failing scores → rule 1', scores('30'), [cert('x', '跨境电商B2B数据运营', '中级', '2023-12-01')], {}, applicationDate, 'L3', 1],
    ['mapped 1+X 初级 with missing scores → rule 1', scores(null), [cert('x', '跨境电商B2B数据运营', '初级', '2023-12-01')], {}, applicationDate, 'L4', 1],
    ['1+X 初级 loses to a 三级 objective → rule 2', scores('80'), [cert('x', '跨境电商B2B数据运营', '初级', '2023-12-01')], { trainingObjective: 'L3' }, applicationDate, 'L3', 2],
    ['1+X 中级 ties with a 三级 objective → rule 1', scores('80'), [cert('x', '跨境电商B2B数据运营', '中级', '2023-12-01')], { trainingObjective: 'L3' }, applicationDate, 'L3', 1],
    ['objective and held certificate tie → rule 2', scores('80'), [ecommerce4('2022-01-01')], { trainingObjective: 'L3' }, applicationDate, 'L3', 2],
    ['an unmapped 1+X certificate → rule 4', scores('80'), [cert('x', 'Web前端开发', '中级', '2023-12-01')], {}, applicationDate, 'L4', 4],
    ['a certificate issued after the application date → rule 4', scores('80'), [cert('x', '跨境电商B2B数据运营', '中级', '2024-03-02')], {}, applicationDate, 'L4', 4],
  ])('%s', (_title, s, certs, overrides, date, level, rule) => {
    const e = run(s, certs, cbecScheme(overrides), date);
    expect(e.outcome).toBe('passed');
    expect(e.level).toBe(level);
    expect(e.rule?.number).toBe(rule);
    expect(e.rule?.text).toMatch(/认定/);
    expect(e.decidingCertificate !== null).toBe(rule === 1 || rule === 3);
  });

  it('says how long a held certificate still has to go', () => {
    const e = run(scores('80'), [ecommerce4('2023-03-01')], cbecScheme(), '2024-02-29');
    expect(e.level).toBe('L4');
    expect(e.reasons).toContain('已持 电子商务师 四级 证书，至申报日未满 12 个月（满 12 个月之日为 2024-03-01）');
  });

  it.each([
    ['an unrelated occupation', cert('qualification', '会计', '四级', '2020-01-01'), '无关'],
    ['an unmapped 1+X certificate', cert('x', 'Web前端开发', '中级', '2023-12-01'), '不对应'],
  ])('mentions %s without using it', (_title, c, fragment) => {
    const e = run(scores('80'), [c]);
    expect(e.reasons.some((r) => r.includes(fragment))).toBe(true);
  });

  it('names the 1+X certificate in the rule text', () => {
    const e = run(scores(null), [cert('x', '跨境电商B2B数据运营', '中级', '2023-12-01')]);
    expect(e.rule?.text).toBe('持 1+X 跨境电商B2B数据运营 中级 证书，直接认定三级/高级');
  });
});

describe('evaluate: failed and incomplete', () => {
  it('fails with the composite and the pass mark', () => {
    const e = run(scores('80', only(onlyTheory, '51.2')));
    expect(e).toMatchObject({ outcome: 'failed', level: null, rule: { number: 5 } });
    expect(e.theory.composite).toBe('58.40');
    expect(e.reasons).toEqual(['理论综合成绩 58.40，低于合格线 60']);
  });

  it('names both failing parts', () => {
    const e = run(scores('50'));
    expect(e.reasons).toEqual(['理论综合成绩 50.00，低于合格线 60', '技能综合成绩 50.00，低于合格线 60']);
  });

  it('fails a held certificate that would give 三级 when the scores fail', () => {
    const e = run(scores('80', only(onlySkill, '20')), [ecommerce4('2022-01-01')]);
    expect(e.outcome).toBe('failed');
    expect(e.reasons[0]).toMatch(/^技能综合成绩 \d+\.\d\d，低于合格线 60$/);
  });

  it('counts 缺考 as 0 and says so', () => {
    const e = run(scores('80', { 电子商务概论: { score: '0', flag: '缺考' } }));
    expect(e.outcome).toBe('failed');
    expect(e.theory.composite).toBe('56.00');
    expect(e.reasons).toEqual(['理论综合成绩 56.00，低于合格线 60', '电子商务概论 缺考，按 0 分计']);
  });

  it('counts 作弊 as 0 and says so even when the student still passes', () => {
    const e = run(scores('90', { 网店运营与管理: { score: '0', flag: '作弊' } }));
    expect(e.outcome).toBe('passed');
    expect(e.theory.composite).toBe('81.00');
    expect(e.reasons).toEqual(['网店运营与管理 作弊，按 0 分计']);
  });

  it.each<[string, CourseScore[], string[]]>([
    ['缓考 leaves the course to be filled', scores('80', { 网络营销: { score: null, flag: '缓考' } }), ['待补：缺少 网络营销 成绩', '网络营销 缓考，成绩待补']],
    ['a missing grade', scores('80', { 网上开店与创业: { score: null } }), ['待补：缺少 网上开店与创业 成绩']],
    ['several missing grades', scores('80', { 网页设计与制作: { score: null }, 电子商务综合模拟实训: { score: null } }), ['待补：缺少 网页设计与制作、电子商务综合模拟实训 成绩']],
  ])('%s → incomplete', (_title, s, reasons) => {
    const e = run(s);
    expect(e).toMatchObject({ outcome: 'incomplete', level: null, rule: null, reasons });
  });

  it('fails rather than waits when the complete part already fails', () => {
    const e = run(scores('80', { ...only(onlyTheory, '40'), 电子商务综合模拟实训: { score: null } }));
    expect(e.outcome).toBe('failed');
    expect(e.reasons).toContain('待补：缺少 电子商务综合模拟实训 成绩');
  });

  it('does not let an unmapped 1+X certificate rescue failing scores', () => {
    const e = run(scores('30'), [cert('x', 'Web前端开发', '高级', '2023-12-01')]);
    expect(e.outcome).toBe('failed');
  });
});

describe('evaluate: 课证融通', () => {
  const integration = (overrides: Partial<Scheme> = {}) =>
    cbecScheme({ courseCertIntegration: true, integrationCourse: '跨境电商实务', theory: [], skill: [], areas: [], ...overrides });
  const grade = (score: string | null): CourseScore[] => [{ course: '跨境电商实务', score, flag: null }];

  it.each<[string, CourseScore[], Partial<Scheme>, string, string | null]>([
    ['a passing course grade → 四级', grade('75'), {}, 'passed', 'L4'],
    ['a passing grade with a 三级 plan → 三级', grade('75'), { trainingObjective: 'L3' }, 'passed', 'L3'],
    ['a failing course grade', grade('55'), {}, 'failed', null],
    ['a higher skill pass mark', grade('65'), { passSkill: '70' }, 'failed', null],
    ['no grade yet', grade(null), {}, 'incomplete', null],
  ])('%s', (_title, s, overrides, outcome, level) => {
    const e = run(s, [], integration(overrides));
    expect(e.outcome).toBe(outcome);
    expect(e.level).toBe(level);
  });

  it('shows the course grade as both composites', () => {
    const e = run(grade('75.5'), [], integration());
    expect([e.theory.composite, e.skill.composite]).toEqual(['75.50', '75.50']);
  });
});
