// The rules a college's 1+X exam plan must meet before the academic office accepts it
// (seed 004 §六.1, §三.1 and 附件2 §二.2; restated in DESIGN.md "1+X exam rules").
import { addDays, compareIsoDate, daysBetween, isValidIsoDate } from '../calendar';
import type { InputProblem, IsoDate, Part, XLevel } from '../model';

export type Severity = 'error' | 'warning';

/** An InputProblem with a weight: an error blocks the plan, a warning asks someone to act or approve. */
export interface PlanFinding extends InputProblem {
  severity: Severity;
}

export interface ExamCandidate {
  studentNo: string;
  name: string;
  idNumber?: string;
  /** 1 for a first sitting of this certificate; 2 and later pay their own exam fee */
  attempt: number;
}

/** 考试计划: what a college files with the academic office for one exam of one certificate. */
export interface ExamPlan {
  id?: string;
  /** 证书名称 */
  certificate: string;
  level: XLevel;
  /** 负责人 */
  owner: string;
  college: string;
  /** 专业（班级） */
  classes: string[];
  headcount: number;
  /** 技术理论知识考试 date; null when the certificate has no separate theory sitting */
  theoryDate: IsoDate | null;
  /** 实际操作技能考试 date */
  practicalDate: IsoDate | null;
  place: string;
  /** rooms the exam actually occupies */
  physicalRooms: number;
  /** 考场条件要求, free text (e.g. 机房需安装考试客户端) */
  roomNeeds: string;
  candidates: ExamCandidate[];
}

/** 场次: theory and practical are separate sessions, even on the same day. */
export interface ExamSessionSlot {
  part: Part;
  date: IsoDate;
  label: string;
}

export const SESSION_LABEL: Record<Part, string> = { theory: '理论知识考试', skill: '实操技能考试' };

export function sessionsOf(plan: Pick<ExamPlan, 'theoryDate' | 'practicalDate'>): ExamSessionSlot[] {
  const out: ExamSessionSlot[] = [];
  if (plan.theoryDate) out.push({ part: 'theory', date: plan.theoryDate, label: SESSION_LABEL.theory });
  if (plan.practicalDate) out.push({ part: 'skill', date: plan.practicalDate, label: SESSION_LABEL.skill });
  return out;
}

/** The earliest exam date of the plan, or null when it names none. */
export function firstExamDate(plan: Pick<ExamPlan, 'theoryDate' | 'practicalDate'>): IsoDate | null {
  const dates = sessionsOf(plan).map((s) => s.date).sort();
  return dates[0] ?? null;
}

export function lastExamDate(plan: Pick<ExamPlan, 'theoryDate' | 'practicalDate'>): IsoDate | null {
  const dates = sessionsOf(plan).map((s) => s.date).sort();
  return dates[dates.length - 1] ?? null;
}

// ---- filing deadline -------------------------------------------------------------

/** Days before the due date that the college is reminded to file. */
export const PLAN_REMINDER_DAYS = 3;

/**
 * 各试点院部于每月1日向教务处提交证书考试计划: the plan for an exam whose first session
 * falls in month M is due on the 1st of month M (filing on that day is on time). A plan
 * filed later misses the month's schedule, which the academic office fixes on the 1st.
 * `examMonth` is `YYYY-MM` or any date inside that month.
 */
export function planDueDate(examMonth: string): IsoDate {
  const month = examMonth.slice(0, 7);
  const due = `${month}-01`;
  if (!/^\d{4}-\d{2}$/.test(month) || !isValidIsoDate(due)) throw new RangeError(`not a month: ${examMonth}`);
  return due;
}

/** The day the college is reminded to file the plan for `examMonth`. */
export function planReminderDate(examMonth: string, daysBefore = PLAN_REMINDER_DAYS): IsoDate {
  return addDays(planDueDate(examMonth), -daysBefore);
}

export function checkFiling(plan: ExamPlan, filedOn: IsoDate): PlanFinding[] {
  const first = firstExamDate(plan);
  if (!first) return [];
  const due = planDueDate(first);
  if (compareIsoDate(filedOn, due) <= 0) return [];
  return [
    {
      code: 'plan.late',
      severity: 'error',
      message: `${first.slice(0, 4)}年${Number(first.slice(5, 7))}月的考试计划应于${formatDay(due)}前提交教务处，本计划于${formatDay(filedOn)}提交，已逾期；请调整考试日期至下月并按时提交。`,
    },
  ];
}

// ---- pilot quota -----------------------------------------------------------------

/** 调增申请 must reach the academic office at least this many days before the exam. */
export const QUOTA_REQUEST_LEAD_DAYS = 14;

export interface QuotaIncreaseRequest {
  filedOn: IsoDate;
  /** the headcount asked for */
  headcount: number;
  /** pending: with 教务处; forwarded: 教务处 agreed, with the province (省推进办); approved / rejected: decided */
  status: 'pending' | 'forwarded' | 'approved' | 'rejected';
}

/** The last day a quota increase request for an exam on `examDate` can be filed. */
export function quotaRequestDeadline(examDate: IsoDate): IsoDate {
  return addDays(examDate, -QUOTA_REQUEST_LEAD_DAYS);
}

/**
 * A headcount above the approved pilot quota needs an approved increase request (调增申请).
 * Without one: a warning while 14 or more days remain (there is still time to file), an
 * error once fewer remain, since the request must be in 2 weeks before the exam.
 */
export function checkQuota(
  plan: ExamPlan,
  ctx: { today: IsoDate; pilotQuota: number; increaseRequest?: QuotaIncreaseRequest | null },
): PlanFinding[] {
  if (plan.headcount <= ctx.pilotQuota) return [];
  const first = firstExamDate(plan);
  if (!first) return [];
  const request = ctx.increaseRequest ?? null;
  if (request?.status === 'approved' && plan.headcount <= request.headcount) return [];

  const over = `考试人数${plan.headcount}人超过平台批准的试点人数${ctx.pilotQuota}人`;
  if (request?.status === 'approved') {
    return [{ code: 'quota.stillOver', severity: 'error', message: `${over}，且超过已批准的调增人数${request.headcount}人，请减少人数或重新申请调增。` }];
  }
  if (request?.status === 'rejected') {
    return [{ code: 'quota.rejected', severity: 'error', message: `${over}，调增申请未获批准，请将人数减至${ctx.pilotQuota}人以内。` }];
  }
  const deadline = quotaRequestDeadline(first);
  const daysLeft = daysBetween(ctx.today, first);
  if (daysLeft >= QUOTA_REQUEST_LEAD_DAYS) {
    const message = request
      ? `${over}，调增申请（${formatDay(request.filedOn)}提交）${request.status === 'forwarded' ? '教务处已审核，待省推进办批准' : '待教务处审核'}，须在考试前获批。`
      : `${over}，请于${formatDay(deadline)}前填写调增申请表报教务处。`;
    return [{ code: request ? 'quota.pending' : 'quota.requestNeeded', severity: 'warning', message }];
  }
  const message = request
    ? `${over}，距考试不足${QUOTA_REQUEST_LEAD_DAYS}天，调增申请尚未批准，不能按此人数考试。`
    : `${over}，调增申请应于考试前2周（${formatDay(deadline)}前）提交，现已逾期，请将人数减至${ctx.pilotQuota}人以内。`;
  return [{ code: request ? 'quota.notApproved' : 'quota.tooLate', severity: 'error', message }];
}

// ---- agreement with the assessor organisation ----------------------------------------

export interface AssessorAgreement {
  /** 培训评价组织 */
  assessorOrg: string;
  startsOn: IsoDate;
  endsOn: IsoDate;
}

/**
 * 协议起始时间早于考核工作开展前，截止时间不早于考核次年12月31日. The start is compared with
 * the first session and the end with the last one, so an exam spanning New Year is covered.
 */
export function checkAgreement(plan: ExamPlan, agreement: AssessorAgreement | null): PlanFinding[] {
  const first = firstExamDate(plan);
  const last = lastExamDate(plan);
  if (!first || !last) return [];
  if (!agreement) {
    return [{ code: 'agreement.missing', severity: 'error', message: `尚未登记与培训评价组织签订的工作协议，${plan.certificate}不能安排考核。` }];
  }
  const findings: PlanFinding[] = [];
  if (compareIsoDate(agreement.startsOn, first) >= 0) {
    findings.push({
      code: 'agreement.startsLate',
      severity: 'error',
      message: `与${agreement.assessorOrg}的协议起始日期${formatDay(agreement.startsOn)}应早于首场考试日期${formatDay(first)}。`,
    });
  }
  const mustEnd = agreementMustEndOn(last);
  if (compareIsoDate(agreement.endsOn, mustEnd) < 0) {
    findings.push({
      code: 'agreement.endsEarly',
      severity: 'error',
      message: `与${agreement.assessorOrg}的协议截止日期${formatDay(agreement.endsOn)}早于考核次年12月31日（${formatDay(mustEnd)}），请续签或修改协议。`,
    });
  }
  return findings;
}

/** The earliest end date an agreement may have for an exam on `examDate`. */
export function agreementMustEndOn(examDate: IsoDate): IsoDate {
  return `${Number(examDate.slice(0, 4)) + 1}-12-31`;
}

// ---- rooms -----------------------------------------------------------------------

export const CANDIDATES_PER_ROOM = 30;

/**
 * Rooms counted for staffing: 每考场人数不低于30人，若低于30人视为1个考场. So 59 candidates are
 * one counted room, 60 are two: max(1, floor(n / 30)).
 */
export function countedRooms(headcount: number): number {
  return Math.max(1, Math.floor(headcount / CANDIDATES_PER_ROOM));
}

export function checkRooms(plan: ExamPlan): PlanFinding[] {
  const counted = countedRooms(plan.headcount);
  if (plan.physicalRooms <= counted) return [];
  return [
    {
      code: 'rooms.needsApproval',
      severity: 'warning',
      message: `${plan.headcount}名考生按规定计${counted}个考场，计划使用${plan.physicalRooms}个考场，超出部分须在实施方案中说明并报教务处审批。`,
    },
  ];
}

// ---- the whole plan ----------------------------------------------------------------

function checkShape(plan: ExamPlan): PlanFinding[] {
  const findings: PlanFinding[] = [];
  const need = (ok: boolean, code: string, message: string, severity: Severity = 'error') => {
    if (!ok) findings.push({ code, severity, message });
  };
  need(plan.certificate.trim() !== '', 'plan.certificate', '请填写证书名称。');
  need(plan.owner.trim() !== '', 'plan.owner', '请填写考试负责人。');
  need(plan.classes.length > 0, 'plan.classes', '请填写参加考试的专业（班级）。');
  need(Number.isInteger(plan.headcount) && plan.headcount > 0, 'plan.headcount', '考试人数应为正整数。');
  need(plan.place.trim() !== '', 'plan.place', '请填写考试地点。');
  need(Number.isInteger(plan.physicalRooms) && plan.physicalRooms > 0, 'plan.rooms', '考场数应为正整数。');
  need(sessionsOf(plan).length > 0, 'plan.noDate', '请至少填写理论知识或实操技能其中一项的考试日期。');
  for (const [label, date] of [['理论知识考试', plan.theoryDate], ['实操技能考试', plan.practicalDate]] as const) {
    need(date === null || isValidIsoDate(date), 'plan.badDate', `${label}日期“${String(date)}”不是有效日期。`);
  }
  need(
    plan.candidates.length === 0 || plan.candidates.length === plan.headcount,
    'plan.headcountMismatch',
    `计划人数${plan.headcount}人与考生名单${plan.candidates.length}人不一致。`,
    'warning',
  );
  return findings;
}

export interface PlanContext {
  today: IsoDate;
  /** the day the plan reached the academic office; defaults to today */
  filedOn?: IsoDate;
  pilotQuota: number;
  increaseRequest?: QuotaIncreaseRequest | null;
  agreement: AssessorAgreement | null;
}

/** Every finding for a plan, errors first. An empty list means the plan can be accepted as is. */
export function checkPlan(plan: ExamPlan, ctx: PlanContext): PlanFinding[] {
  const shape = checkShape(plan);
  // later rules read the dates, so a malformed plan stops at its shape
  if (shape.some((f) => f.severity === 'error')) return shape;
  const all = [
    ...shape,
    ...checkFiling(plan, ctx.filedOn ?? ctx.today),
    ...checkQuota(plan, ctx),
    ...checkAgreement(plan, ctx.agreement),
    ...checkRooms(plan),
  ];
  return [...all.filter((f) => f.severity === 'error'), ...all.filter((f) => f.severity === 'warning')];
}

export function hasErrors(findings: readonly PlanFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** 2024-06-01 → 2024年6月1日 */
export function formatDay(date: IsoDate): string {
  return `${date.slice(0, 4)}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}
