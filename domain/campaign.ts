// A campaign is one graduation year (seed 000 一、认定对象): its cohorts, application date and
// deadlines, and the rule that decides whether a student is one of its 认定对象. The one home
// of both; the CLI, the center's 新建认定年度 card, scoring and 发证 all ask here.
import { formatIsoDate, isValidIsoDate } from './calendar';
import { PROGRAMME_LABEL, type Campaign, type Evaluation, type InputProblem, type IsoDate, type Result, type Student } from './model';

export type CampaignState = 'current' | 'open' | 'closed';
export const CAMPAIGN_STATE_LABEL: Record<CampaignState, string> = { current: '当前', open: '未关闭', closed: '已关闭' };

/** Undergraduates who entered four years before graduating, junior-college students three. */
export function defaultCohorts(year: number): Campaign['cohorts'] {
  return { undergrad: year - 4, junior: year - 3 };
}

/** Students graduate in June: from September on, the next year's graduates are the ones being certified. */
export function graduationYearOf(today: IsoDate): number {
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 9 ? year + 1 : year;
}

export interface CampaignInput {
  year: string | number;
  applicationDate?: string | null;
  materialsDeadline?: string | null;
  undergradCohort?: string | number | null;
  juniorCohort?: string | number | null;
}

const blank = (v: unknown) => v === undefined || v === null || String(v).trim() === '';

/** A new campaign from what the CLI or the card was given; defaults as seed 000: May 31 / May 15, year−4 / year−3. */
export function newCampaign(input: CampaignInput): Result<Campaign> {
  const problems: InputProblem[] = [];
  const yearText = String(input.year ?? '').trim();
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < 2000 || year > 2100) {
    return { ok: false, problems: [{ code: 'campaign.year', message: `毕业年度“${yearText}”无效，应为四位年份，例如 2027` }] };
  }
  const date = (field: string, raw: string | null | undefined, fallback: IsoDate): IsoDate => {
    if (blank(raw)) return fallback;
    const v = String(raw).trim();
    if (!isValidIsoDate(v)) problems.push({ code: 'campaign.date', message: `${field}“${v}”不是有效日期，应写成 YYYY-MM-DD` });
    return v;
  };
  const applicationDate = date('申报日期', input.applicationDate, formatIsoDate(year, 5, 31));
  const materialsDeadline = date('材料截止日期', input.materialsDeadline, formatIsoDate(year, 5, 15));
  const cohort = (field: string, raw: string | number | null | undefined, fallback: number): number => {
    if (blank(raw)) return fallback;
    const v = String(raw).trim().replace(/级$/, '');
    const n = Number(v);
    if (!/^\d{4}$/.test(v) || n > year || n < year - 10) problems.push({ code: 'campaign.cohort', message: `${field}“${String(raw).trim()}”无效，应为 ${year - 10}–${year} 之间的入学年份` });
    return n;
  };
  const defaults = defaultCohorts(year);
  const cohorts = { undergrad: cohort('本科入学年级', input.undergradCohort, defaults.undergrad), junior: cohort('专科入学年级', input.juniorCohort, defaults.junior) };
  if (problems.length === 0 && Number(applicationDate.slice(0, 4)) !== year && Number(applicationDate.slice(0, 4)) !== year - 1) {
    problems.push({ code: 'campaign.date', message: `申报日期 ${applicationDate} 不在 ${year} 届毕业年度内` });
  }
  if (problems.length === 0 && materialsDeadline > applicationDate) {
    problems.push({ code: 'campaign.date', message: `材料截止日期 ${materialsDeadline} 晚于申报日期 ${applicationDate}` });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { year, cohorts, applicationDate, materialsDeadline, scoresDeadline: null } };
}

/** 2023级本科、2024级专科 */
export function cohortsLabel(campaign: Pick<Campaign, 'cohorts'>): string {
  return `${campaign.cohorts.undergrad}级${PROGRAMME_LABEL.undergrad}、${campaign.cohorts.junior}级${PROGRAMME_LABEL.junior}`;
}

/**
 * Whether a student is one of the campaign's 认定对象, from the roster's entry year and 学历层次.
 * `admitted`: outside the cohorts, admitted by the center with a reason (延期毕业 …);
 * `unknown`: no roster entry, so nobody can tell yet.
 */
export type CohortStatus =
  | { kind: 'eligible' }
  | { kind: 'admitted'; reason: string }
  | { kind: 'ineligible'; reason: string }
  | { kind: 'unknown'; reason: string };

export interface CohortAdmission {
  year: number;
  studentNo: string;
  reason: string;
  actorOpenId: string;
  actorName: string | null;
  at: string;
}

export function cohortOf(
  student: Pick<Student, 'entryYear' | 'programme'> | null,
  campaign: Pick<Campaign, 'year' | 'cohorts'> | null,
  admission: Pick<CohortAdmission, 'reason'> | null = null,
): CohortStatus {
  if (!campaign) return { kind: 'eligible' };
  if (!student) return { kind: 'unknown', reason: '学生名册中没有此学号，无法核对是否属于本次认定对象，请先导入学生名册' };
  if (campaign.cohorts[student.programme] === student.entryYear) return { kind: 'eligible' };
  if (admission) return { kind: 'admitted', reason: admission.reason };
  return { kind: 'ineligible', reason: `不属于本次认定对象（${cohortsLabel(campaign)}）` };
}

/** An ineligible student keeps their composites but reaches no level: the reason leads. */
export function applyCohort(evaluation: Evaluation, cohort: CohortStatus): Evaluation {
  if (cohort.kind !== 'ineligible') return evaluation;
  return { ...evaluation, outcome: 'ineligible', level: null, rule: null, decidingCertificate: null, reasons: [cohort.reason, ...evaluation.reasons] };
}

/** What the forms' 备注 says about the cohort; null when there is nothing to say. */
export function cohortRemark(cohort: CohortStatus): string | null {
  switch (cohort.kind) {
    case 'admitted':
      return `认定中心准予认定：${cohort.reason}`;
    case 'ineligible':
      return cohort.reason;
    case 'unknown':
      return '未在学生名册中，认定对象待核实';
    case 'eligible':
      return null;
  }
}
