import { describe, expect, it } from 'vitest';
import { applyCohort, cohortOf, defaultCohorts, graduationYearOf, newCampaign } from '../../../domain/campaign';
import type { Campaign, Evaluation, Programme } from '../../../domain/model';

// Who a campaign certifies (seed 000 一、认定对象: year−4 本科, year−3 专科), over several years.

const campaign = (year: number): Campaign => ({ year, cohorts: defaultCohorts(year), applicationDate: `${year}-05-31`, materialsDeadline: `${year}-05-15`, scoresDeadline: null });

describe('the cohort rule', () => {
  it.each<[number, number, Programme, 'eligible' | 'ineligible']>([
    [2024, 2020, 'undergrad', 'eligible'],
    [2024, 2021, 'junior', 'eligible'],
    [2024, 2021, 'undergrad', 'ineligible'],
    [2024, 2020, 'junior', 'ineligible'],
    [2027, 2023, 'undergrad', 'eligible'],
    [2027, 2024, 'junior', 'eligible'],
    [2027, 2022, 'undergrad', 'ineligible'],
    [2027, 2023, 'junior', 'ineligible'],
    [2029, 2025, 'undergrad', 'eligible'],
    [2029, 2026, 'junior', 'eligible'],
    [2029, 2024, 'undergrad', 'ineligible'],
  ])('in the %i campaign a %i级 %s student is %s', (year, entryYear, programme, expected) => {
    expect(cohortOf({ entryYear, programme }, campaign(year)).kind).toBe(expected);
  });

  it('names the campaign’s cohorts in the reason', () => {
    expect(cohortOf({ entryYear: 2022, programme: 'undergrad' }, campaign(2027))).toEqual({
      kind: 'ineligible',
      reason: '不属于本次认定对象（2023级本科、2024级专科）',
    });
  });

  it('admits a 延期毕业 student the center named, with the reason', () => {
    expect(cohortOf({ entryYear: 2022, programme: 'undergrad' }, campaign(2027), { reason: '延期毕业' })).toEqual({ kind: 'admitted', reason: '延期毕业' });
    // an admission changes nothing for a student who is in the cohort anyway
    expect(cohortOf({ entryYear: 2023, programme: 'undergrad' }, campaign(2027), { reason: '延期毕业' })).toEqual({ kind: 'eligible' });
  });

  it('cannot tell without a roster entry, and has nothing to check without a campaign', () => {
    expect(cohortOf(null, campaign(2027)).kind).toBe('unknown');
    expect(cohortOf({ entryYear: 2010, programme: 'junior' }, null).kind).toBe('eligible');
  });

  it('keeps an ineligible student’s composites but no level', () => {
    const passed = { outcome: 'passed', level: 'L4', rule: { number: 4, text: 'x' }, reasons: [], decidingCertificate: null } as unknown as Evaluation;
    const out = applyCohort(passed, { kind: 'ineligible', reason: '不属于本次认定对象（2023级本科、2024级专科）' });
    expect(out).toMatchObject({ outcome: 'ineligible', level: null, rule: null, reasons: ['不属于本次认定对象（2023级本科、2024级专科）'] });
    expect(applyCohort(passed, { kind: 'admitted', reason: '延期毕业' })).toBe(passed);
  });
});

describe('a new campaign', () => {
  it('defaults to May 31 / May 15 and year−4 本科, year−3 专科', () => {
    expect(newCampaign({ year: '2027' })).toEqual({ ok: true, value: campaign(2027) });
  });

  it('takes given dates and cohorts', () => {
    const r = newCampaign({ year: 2028, applicationDate: '2028-06-10', materialsDeadline: '2028-05-20', undergradCohort: '2023', juniorCohort: 2025 });
    expect(r).toEqual({ ok: true, value: { year: 2028, cohorts: { undergrad: 2023, junior: 2025 }, applicationDate: '2028-06-10', materialsDeadline: '2028-05-20', scoresDeadline: null } });
  });

  it.each([
    [{ year: '27' }, '毕业年度“27”无效'],
    [{ year: 2027, applicationDate: '2027-02-30' }, '申报日期“2027-02-30”不是有效日期'],
    [{ year: 2027, materialsDeadline: '2027-06-30' }, '材料截止日期 2027-06-30 晚于申报日期 2027-05-31'],
    [{ year: 2027, undergradCohort: '2030' }, '本科入学年级“2030”无效'],
    [{ year: 2027, applicationDate: '2030-05-31' }, '不在 2027 届毕业年度内'],
  ])('refuses %j with a message', (input, message) => {
    const r = newCampaign(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.message).join('；')).toContain(message);
  });

  it('follows the clock: from September on, next year’s graduates', () => {
    expect(graduationYearOf('2026-12-02')).toBe(2027);
    expect(graduationYearOf('2027-03-01')).toBe(2027);
    expect(graduationYearOf('2027-08-31')).toBe(2027);
    expect(graduationYearOf('2027-09-01')).toBe(2028);
  });
});
