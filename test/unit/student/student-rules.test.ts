import { describe, expect, it } from 'vitest';
import { answerMatches, lockState, parseBindText } from '../../../bot/features/student/binding.service';
import { checkSubmission, formValuesToFlat, prefill } from '../../../bot/features/student/filing-form.service';
import { classify } from '../../../bot/features/student/keywords';
import { guessKind } from '../../../bot/features/student/materials.service';
import { cohortCheck, levelRuleLines } from '../../../bot/features/student/requirements.service';
import { statusView } from '../../../bot/features/student/status.service';
import { courseScores } from '../../../domain/grades';
import { statusCard } from '../../../cards/status.card';
import { helpCard, STUDENT_MENU_ACTIONS } from '../../../cards/help.card';
import { callbackValues, cardText } from '../../../cards/kit';
import { SAMPLE_SCHEME, sampleStudents } from '../../../db/sample';
import type { StoredGrade } from '../../../domain/model';

const [me] = sampleStudents();
const campaign = { year: 2024, cohorts: { undergrad: 2020, junior: 2021 }, applicationDate: '2024-05-31', materialsDeadline: '2024-05-15', scoresDeadline: null };

describe('student words', () => {
  it.each([
    ['要求', 'requirements'],
    ['认定条件是什么', 'requirements'],
    ['进度', 'status'],
    ['状态', 'status'],
    ['我的成绩', 'status'],
    ['还差什么', 'status'],
    ['提交材料', 'materials'],
    ['备案表', 'filingForm'],
    ['帮助', 'help'],
    ['绑定 2020010901 12345X', 'bind'],
    ['今天吃什么', null],
  ])('%s → %s', (text, intent) => {
    expect(classify(text)).toBe(intent);
  });
});

describe('binding answers', () => {
  it.each([
    ['绑定 2020010901 12345X', { studentNo: '2020010901', idTail: '12345X' }],
    ['绑定２０２００１０９０１，12345x', { studentNo: '2020010901', idTail: '12345X' }],
    ['绑定 学号2020010901 身份证后6位123456', { studentNo: '2020010901', idTail: '123456' }],
    ['绑定 2020010901', null],
  ])('reads %s', (text, expected) => {
    expect(parseBindText(text)).toEqual(expected);
  });

  it('matches only the last 6 characters of the roster ID', () => {
    expect(answerMatches(me, me!.idNumber.slice(-6))).toBe(true);
    expect(answerMatches(me, me!.idNumber.slice(-7, -1))).toBe(false);
    expect(answerMatches(undefined, '123456')).toBe(false);
  });

  it('locks at the fifth failure within an hour and opens an hour after the oldest that counts', () => {
    const now = new Date('2024-03-01T03:00:00Z');
    const at = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
    expect(lockState([at(50), at(40), at(30), at(20)], now)).toEqual({ locked: false, retryAt: null });
    expect(lockState([at(50), at(40), at(30), at(20), at(10)], now)).toEqual({ locked: true, retryAt: new Date('2024-03-01T03:10:00Z') });
    expect(lockState([at(70), at(40), at(30), at(20), at(10)], now).locked).toBe(false);
  });
});

describe('requirements', () => {
  it.each([
    [2020, 'undergrad', true],
    [2021, 'junior', true],
    [2021, 'undergrad', false],
    [2020, 'junior', false],
  ] as const)('entry %i %s in the 2024 campaign: %s', (entryYear, programme, inCampaign) => {
    expect(cohortCheck({ entryYear, programme }, campaign).inCampaign).toBe(inCampaign);
  });

  it('fills the scheme\'s holding period and 1+X certificates into the rules', () => {
    const text = levelRuleLines(SAMPLE_SCHEME, '2024-05-31').join('\n');
    expect(text).toContain('跨境电商B2B数据运营');
    expect(text).toContain('满 12 个月（截至申报日 2024-05-31）');
    expect(text).toContain('此条不适用');
  });
});

describe('materials', () => {
  it.each([
    ['身份证国徽面.jpg', 'id_back'],
    ['身份证人像面.png', 'id_front'],
    ['学生证.pdf', 'student_id'],
    ['证件照.jpg', 'photo'],
    ['IMG_0001.jpg', null],
  ])('guesses %s as %s', (name, kind) => {
    expect(guessKind(name)).toBe(kind);
  });
});

describe('the status card', () => {
  const grade = (course: string, score: string | null, sitting: StoredGrade['sitting'] = 'normal', flag: StoredGrade['flag'] = null): StoredGrade => ({
    studentNo: me!.studentNo, name: me!.name, course, raw: score ?? '缺考', sitting, source: { sheet: 's', row: 1, column: 'A' },
    schemeCode: 'cbec', score, flag, uploadId: null,
  });
  const empty = { photo: undefined, id_front: undefined, id_back: undefined, student_id: undefined, filing_form: undefined };

  it('counts the best sitting of a course', () => {
    expect(courseScores([grade('网络营销', '55'), grade('网络营销', '72', 'makeup')])).toEqual([{ course: '网络营销', score: '72', flag: null }]);
  });

  it('shows a rejected material with its reason and lists it under 还差什么', () => {
    const view = statusView({
      student: me!, schemes: [SAMPLE_SCHEME], campaign, filingForm: undefined, grades: [], certificates: [], batch: null, exams: [],
      materials: { ...empty, photo: { id: 1, studentNo: me!.studentNo, kind: 'photo', version: 1, status: 'rejected', reason: '背景不是白色', storedPath: 'x', fileName: 'x', meta: {}, createdAt: '' } },
      now: new Date('2024-03-01T02:00:00Z'),
    });
    const text = cardText(statusCard(view));
    expect(text).toContain('电子照片：已退回（背景不是白色）');
    expect(text).toContain('重新提交电子照片：背景不是白色');
  });

  it('shows composites and the level once every grade is in', () => {
    const grades = [...SAMPLE_SCHEME.theory, ...SAMPLE_SCHEME.skill].map((c) => grade(c.name, '80'));
    const view = statusView({
      student: me!, schemes: [SAMPLE_SCHEME], campaign, filingForm: undefined, grades, certificates: [], exams: [],
      batch: { id: 3, status: 'center_approved', reason: null }, materials: empty, now: new Date('2024-03-01T02:00:00Z'),
    });
    const text = cardText(statusCard(view));
    expect(text).toContain('理论综合成绩：80.00');
    expect(text).toContain('合格（四级/中级）');
    expect(text).toContain('第 3 批，待领导小组办公室复审');
  });

  it('says a student outside the campaign’s cohorts is not certifiable, unless the center admitted them', () => {
    const grades = [...SAMPLE_SCHEME.theory, ...SAMPLE_SCHEME.skill].map((c) => grade(c.name, '80'));
    const late = { ...me!, entryYear: 2019 };
    const view = (admission: { reason: string } | null) =>
      cardText(statusCard(statusView({ student: late, schemes: [SAMPLE_SCHEME], campaign, filingForm: undefined, grades, certificates: [], exams: [], batch: null, materials: empty, now: new Date('2024-03-01T02:00:00Z'), admission })));
    expect(view(null)).toContain('不属于本年度认定对象');
    expect(view(null)).not.toContain('合格（四级/中级）');
    expect(view({ reason: '延期毕业' })).toContain('合格（四级/中级）');
    expect(cohortCheck(late, campaign, { reason: '延期毕业' })).toEqual({ inCampaign: true, text: '你是2019级本科学生，经认定中心准予参加 2024 年认定（延期毕业）。' });
  });
});

describe('the help card', () => {
  it('offers the four things a student does, carrying no student data', () => {
    const values = [...callbackValues(helpCard({ name: '张明远' }))];
    expect(values.map((v) => v.action)).toEqual(Object.values(STUDENT_MENU_ACTIONS));
    for (const v of values) expect(Object.keys(v).filter((k) => !k.startsWith('_'))).toEqual(['action', 'v']);
  });
});

describe('the filing form', () => {
  it('pre-fills from the roster and the school', () => {
    const values = prefill(me!, SAMPLE_SCHEME, undefined, '郑州科技学院');
    expect(values).toMatchObject({ name: me!.name, idNumber: me!.idNumber, level: '四级/中级', 'resume.university.school': '郑州科技学院' });
  });

  it('turns card field names back into dotted keys and drops blanks', () => {
    expect(formValuesToFlat({ resume__highSchool__from: '2017-09', phone: '' })).toEqual({ 'resume.highSchool.from': '2017-09' });
  });

  it('refuses an ID number that is not the student\'s own', () => {
    const result = checkSubmission({ idNumber: sampleStudents()[1]!.idNumber }, me!, '2024-03-01');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors.idNumber).toContain('与学籍信息不一致');
  });
});
