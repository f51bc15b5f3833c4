import { describe, expect, it } from 'vitest';
import {
  agreementMustEndOn,
  checkAgreement,
  checkFiling,
  checkPlan,
  checkQuota,
  checkRooms,
  countedRooms,
  firstExamDate,
  hasErrors,
  planDueDate,
  planReminderDate,
  quotaRequestDeadline,
  sessionsOf,
  type AssessorAgreement,
  type QuotaIncreaseRequest,
} from '../../../domain/exam/plan-rules';
import { plan } from './fixtures';

const codes = (fs: Array<{ code: string; severity: string }>) => fs.map((f) => `${f.severity}:${f.code}`);

describe('filing deadline', () => {
  it.each([
    ['2024-06', '2024-06-01'],
    ['2024-06-15', '2024-06-01'],
    ['2025-01-03', '2025-01-01'],
  ])('the plan for an exam in %s is due on %s', (month, due) => {
    expect(planDueDate(month)).toBe(due);
  });

  it.each([
    ['2024-06', '2024-05-29'],
    ['2024-03', '2024-02-27'],
    ['2025-01', '2024-12-29'],
  ])('the college is reminded 3 days before: exam month %s → %s', (month, day) => {
    expect(planReminderDate(month)).toBe(day);
  });

  it('refuses something that is not a month', () => {
    expect(() => planDueDate('2024-13')).toThrow(RangeError);
  });

  it.each([
    ['2024-05-20', []],
    ['2024-06-01', []],
    ['2024-06-02', ['error:plan.late']],
  ])('an exam on 2024-06-15 filed on %s → %j', (filedOn, expected) => {
    expect(codes(checkFiling(plan(), filedOn))).toEqual(expected);
  });

  it('takes the month of the earlier session when practical comes first', () => {
    const p = plan({ theoryDate: '2024-07-02', practicalDate: '2024-06-30' });
    expect(firstExamDate(p)).toBe('2024-06-30');
    expect(codes(checkFiling(p, '2024-06-02'))).toEqual(['error:plan.late']);
    expect(checkFiling(p, '2024-06-01')).toEqual([]);
  });
});

describe('pilot quota', () => {
  // exam on 2024-06-15; the request is due 14 days before, on 2024-06-01
  const approved = (headcount: number): QuotaIncreaseRequest => ({ filedOn: '2024-05-20', headcount, status: 'approved' });
  const pending: QuotaIncreaseRequest = { filedOn: '2024-05-20', headcount: 60, status: 'pending' };
  const rejected: QuotaIncreaseRequest = { filedOn: '2024-05-20', headcount: 60, status: 'rejected' };

  it('the request deadline is 14 days before the exam', () => {
    expect(quotaRequestDeadline('2024-06-15')).toBe('2024-06-01');
  });

  it.each([
    ['headcount within quota', 60, '2024-06-10', null, []],
    ['over quota, 15 days left, no request', 50, '2024-05-31', null, ['warning:quota.requestNeeded']],
    ['over quota, exactly 14 days left, no request', 50, '2024-06-01', null, ['warning:quota.requestNeeded']],
    ['over quota, 13 days left, no request', 50, '2024-06-02', null, ['error:quota.tooLate']],
    ['over quota, exam tomorrow, no request', 50, '2024-06-14', null, ['error:quota.tooLate']],
    ['over quota, 13 days left, approved request', 50, '2024-06-02', approved(60), []],
    ['over quota, 20 days left, approved request', 50, '2024-05-26', approved(60), []],
    ['over the approved increase too', 50, '2024-06-02', approved(55), ['error:quota.stillOver']],
    ['over quota, 20 days left, pending request', 50, '2024-05-26', pending, ['warning:quota.pending']],
    ['over quota, 13 days left, pending request', 50, '2024-06-02', pending, ['error:quota.notApproved']],
    ['over quota, request rejected', 50, '2024-05-26', rejected, ['error:quota.rejected']],
  ] as const)('%s', (_title, quota, today, request, expected) => {
    const findings = checkQuota(plan({ headcount: 60 }), { today, pilotQuota: quota, increaseRequest: request });
    expect(codes(findings)).toEqual(expected);
  });

  it('tells the college the last day to file', () => {
    const [f] = checkQuota(plan({ headcount: 60 }), { today: '2024-05-20', pilotQuota: 50 });
    expect(f?.message).toContain('2024年6月1日前');
    expect(f?.message).toContain('60人超过平台批准的试点人数50人');
  });
});

describe('agreement with the assessor organisation', () => {
  const agreement = (startsOn: string, endsOn: string): AssessorAgreement => ({ assessorOrg: '某培训评价组织', startsOn, endsOn });

  it.each([
    ['ends 31 Dec of the next year', '2024-01-01', '2025-12-31', []],
    ['ends later still', '2024-01-01', '2026-06-30', []],
    ['ends 30 Dec of the next year', '2024-01-01', '2025-12-30', ['error:agreement.endsEarly']],
    ['ends in the exam year', '2024-01-01', '2024-12-31', ['error:agreement.endsEarly']],
    ['starts the day before the exam', '2024-06-14', '2025-12-31', []],
    ['starts on the exam day', '2024-06-15', '2025-12-31', ['error:agreement.startsLate']],
    ['starts after the exam', '2024-07-01', '2025-12-31', ['error:agreement.startsLate']],
    ['starts late and ends early', '2024-07-01', '2025-12-30', ['error:agreement.startsLate', 'error:agreement.endsEarly']],
  ])('%s', (_title, startsOn, endsOn, expected) => {
    expect(codes(checkAgreement(plan(), agreement(startsOn, endsOn)))).toEqual(expected);
  });

  it('no agreement blocks the plan', () => {
    expect(codes(checkAgreement(plan(), null))).toEqual(['error:agreement.missing']);
  });

  it('an exam spanning New Year needs the agreement to run to the end of the year after the last session', () => {
    const p = plan({ theoryDate: '2024-12-30', practicalDate: '2025-01-03' });
    expect(agreementMustEndOn('2025-01-03')).toBe('2026-12-31');
    expect(codes(checkAgreement(p, agreement('2024-01-01', '2025-12-31')))).toEqual(['error:agreement.endsEarly']);
    expect(checkAgreement(p, agreement('2024-01-01', '2026-12-31'))).toEqual([]);
  });
});

describe('rooms', () => {
  it.each([
    [1, 1],
    [29, 1],
    [30, 1],
    [59, 1],
    [60, 2],
    [61, 2],
    [89, 2],
    [90, 3],
  ])('%i candidates count as %i room(s)', (n, rooms) => {
    expect(countedRooms(n)).toBe(rooms);
  });

  it.each([
    [29, 1, []],
    [29, 2, ['warning:rooms.needsApproval']],
    [59, 2, ['warning:rooms.needsApproval']],
    [60, 2, []],
    [61, 3, ['warning:rooms.needsApproval']],
    [90, 2, []],
  ])('%i candidates in %i physical rooms → %j', (headcount, physicalRooms, expected) => {
    expect(codes(checkRooms(plan({ headcount, physicalRooms })))).toEqual(expected);
  });
});

describe('sessions', () => {
  it.each([
    ['2024-06-15', '2024-06-16', ['theory', 'skill']],
    ['2024-06-15', '2024-06-15', ['theory', 'skill']],
    ['2024-06-15', null, ['theory']],
    [null, '2024-06-16', ['skill']],
    [null, null, []],
  ] as const)('theory %s and practical %s are separate sessions', (theoryDate, practicalDate, parts) => {
    expect(sessionsOf({ theoryDate, practicalDate }).map((s) => s.part)).toEqual(parts);
  });
});

describe('checkPlan', () => {
  const ok = { today: '2024-05-20', pilotQuota: 100, agreement: { assessorOrg: '某组织', startsOn: '2024-01-01', endsOn: '2025-12-31' } };

  it('accepts a complete plan filed in time', () => {
    expect(checkPlan(plan(), ok)).toEqual([]);
  });

  it('lists errors before warnings', () => {
    const findings = checkPlan(plan({ headcount: 59, physicalRooms: 2 }), { ...ok, agreement: null });
    expect(codes(findings)).toEqual(['error:agreement.missing', 'warning:rooms.needsApproval']);
    expect(hasErrors(findings)).toBe(true);
  });

  it('stops at the shape when the plan has no dates or headcount', () => {
    const findings = checkPlan(plan({ theoryDate: null, practicalDate: null, headcount: 0, owner: ' ' }), ok);
    expect(codes(findings)).toEqual(['error:plan.owner', 'error:plan.headcount', 'error:plan.noDate']);
    expect(findings.every((f) => /[\u4e00-\u9fa5]/.test(f.message))).toBe(true);
  });

  it('warns when the candidate list does not match the headcount', () => {
    const candidates = [{ studentNo: '2021001', name: '甲', attempt: 1 }];
    expect(codes(checkPlan(plan({ headcount: 30, physicalRooms: 1, candidates }), ok))).toEqual(['warning:plan.headcountMismatch']);
  });

  it('uses the filing day when given', () => {
    expect(codes(checkPlan(plan(), { ...ok, filedOn: '2024-06-03' }))).toEqual(['error:plan.late']);
  });
});
