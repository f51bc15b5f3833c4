import { fieldName, type StaffSlot } from '../../../cards/exam-staff.card';
import type { Store } from '../../../db/store';
import type { ExamDuty, StoredExamPlan as StoredPlan, StoredExamSession as StoredSession, ExamStaffMember } from '../../../domain/model/exam-plan';
import { checkPlan, type ExamPlan, type PlanFinding } from '../../../domain/exam/plan-rules';
import { STAFF_ROLE_LABEL, validateStaffing, type AssignedStaff, type StaffRole } from '../../../domain/exam/staffing';
import { feeSheetXlsx, type FeeSheetInput } from '../../../domain/exam/fee-sheet.xlsx';
import type { Settlement } from '../../../domain/exam/fees';
import type { StaffDetail, StoredQuotaRequest } from '../../../domain/model/exam-plan';
import type { IsoDate, Part, XLevel } from '../../../domain/model';
import { isValidIsoDate } from '../../../domain/calendar';
import { beijingDate } from '../../../domain/time';
import { assignmentsOf, planOfStored } from './exam-plan.service';
import { scheduleSession, sessionInfo, type SessionDeps } from './exam-schedule.service';
import { detailsOf, staffOpenIds } from './exam-staff-details';
import { planAudit, type PlanFollowUp } from './plan-audit';

export { staffOpenIds };

// 考务人员 as assigned. The exam_staff table keeps name, 工号, duty and a session count (what
// the settlement needs); which sessions and the Feishu user travel in plan.data.staffing,
// written in the same transaction, so reminders and the fee sheet see the same people.
//
// Who may assign (seed 004: 巡考/督导 is sent by the academic office, i.e. the center):
// center staff set every post; the plan's own college sets 监考 and 考务人员 only — its
// save keeps the stored 主考 and 巡考/督导 whatever the form carries.

export type Assigner = 'center' | 'college';

export const COLLEGE_ROLES: readonly StaffRole[] = ['invigilator', 'examStaff'];

const DUTY_OF_ROLE: Record<StaffRole, ExamDuty> = { chiefExaminer: 'chief', inspector: 'inspector', invigilator: 'invigilator', examStaff: 'staff' };
const PARTS: readonly Part[] = ['theory', 'skill'];

const partOfSession = (s: StoredSession): Part => (s.kind === 'theory' ? 'theory' : 'skill');
const liveParts = (sessions: readonly StoredSession[]): Part[] => [...new Set(sessions.filter((s) => s.status !== 'cancelled').map(partOfSession))];

/** The 考务费用结算表 of a plan: dated by its sessions still on, placed where the first one is. */
export function planFeeSheet(plan: StoredPlan, sessions: readonly StoredSession[], settlement: Settlement): Promise<Buffer> {
  return feeSheetXlsx(feeSheetInputOf(plan, sessions, settlement));
}

/** What a plan's 考务费用结算表 shows: the one layout for the chat, `exam fees` and the 实施方案. */
export function feeSheetInputOf(plan: StoredPlan, sessions: readonly StoredSession[], settlement: Settlement): FeeSheetInput {
  return {
    college: plan.college,
    certificate: plan.certificate,
    level: plan.level as XLevel,
    dates: sessions.filter((s) => s.status !== 'cancelled').map((s) => beijingDate(s.startsAt)),
    place: sessions[0]?.place,
    settlement,
  };
}

/** The stored team with its sessions and Feishu users (rows without details take the plan's first sessions). */
export function staffOfPlan(plan: StoredPlan, staff: readonly ExamStaffMember[], sessions: readonly StoredSession[]): AssignedStaff[] {
  const details = detailsOf(plan);
  const plain = assignmentsOf(staff, sessions);
  return plain.map((a) => {
    const d = details.find((x) => x.staffNo === a.staffNo && x.role === a.role);
    return { ...a, sessions: d ? d.parts : a.sessions, openId: d?.openId ?? null };
  });
}

/** The domain view of a stored plan, so the rules can be run again on what was saved. */
export function domainPlanOf(plan: StoredPlan, sessions: readonly StoredSession[], candidateCount: number): ExamPlan {
  const data = plan.data;
  const dates = planOfStored(plan, sessions);
  return {
    certificate: plan.certificate,
    level: plan.level as ExamPlan['level'],
    owner: plan.owner,
    college: plan.college,
    classes: data.classes ?? [],
    headcount: plan.headcount,
    theoryDate: dates.theoryDate,
    practicalDate: dates.practicalDate,
    place: data.place ?? sessions[0]?.place ?? '',
    physicalRooms: data.physicalRooms ?? 1,
    roomNeeds: data.roomNeeds ?? '',
    // checkPlan only compares the count, so placeholders of the right number do
    candidates: Array.from({ length: candidateCount }, (_, i) => ({ studentNo: String(i), name: '', attempt: 1 })),
  };
}

/** Same person, same post, several rows (one per session) → one assignment with those sessions. */
export function mergeRows(rows: readonly AssignedStaff[]): AssignedStaff[] {
  const out: AssignedStaff[] = [];
  for (const r of rows) {
    const same = r.staffNo !== '' ? out.find((o) => o.staffNo === r.staffNo && o.role === r.role) : undefined;
    if (!same) {
      out.push({ ...r, sessions: [...r.sessions] });
      continue;
    }
    for (const p of r.sessions) if (!same.sessions.includes(p)) same.sessions.push(p);
    same.openId ??= r.openId;
  }
  return out.map((o) => ({ ...o, sessions: PARTS.filter((p) => o.sessions.includes(p)) }));
}

/**
 * The team as the assigner may set it: college staff keep the stored 主考 and 巡考/督导. A
 * college's save is not blocked by a missing 主考 (the center names one), only warned.
 */
export function teamFor(by: Assigner, submitted: readonly AssignedStaff[], stored: readonly AssignedStaff[]): AssignedStaff[] {
  if (by === 'center') return mergeRows(submitted);
  return mergeRows([...stored.filter((s) => !COLLEGE_ROLES.includes(s.role)), ...submitted.filter((s) => COLLEGE_ROLES.includes(s.role))]);
}

export function staffingFindings(plan: StoredPlan, sessions: readonly StoredSession[], team: readonly AssignedStaff[], by: Assigner): PlanFinding[] {
  const findings = validateStaffing({ ...domainPlanOf(plan, sessions, 0) }, team);
  const own: PlanFinding[] = [];
  for (const s of team) {
    if (s.name.trim() === '') own.push({ code: 'staff.noName', severity: 'error', message: `工号${s.staffNo}未填写姓名。` });
    if (s.openId !== null && !/^ou_[A-Za-z0-9_-]{1,64}$/.test(s.openId)) {
      own.push({ code: 'staff.badOpenId', severity: 'error', message: `${s.name || s.staffNo}的飞书用户“${s.openId}”不是有效的 open_id（以 ou_ 开头）。` });
    }
  }
  const adjusted = findings.map((f): PlanFinding => (by === 'college' && f.code === 'staff.noChief' ? { ...f, severity: 'warning', message: '主考由认定中心安排，尚未确定。' } : f));
  const all = [...own, ...adjusted];
  return [...all.filter((f) => f.severity === 'error'), ...all.filter((f) => f.severity === 'warning')];
}

export interface SaveStaffOutcome {
  plan: StoredPlan;
  team: AssignedStaff[];
  /** open_ids that were not in the team before */
  added: string[];
}

/** Replaces the team (table and details together) and records who did it. */
export async function saveStaffing(store: Pick<Store, 'transaction'>, plan: StoredPlan, team: readonly AssignedStaff[], by: { openId: string; name?: string | null; as: Assigner | 'cli' }, now: Date): Promise<SaveStaffOutcome> {
  const before = new Set(staffOpenIds(plan));
  return store.transaction(async (tx) => {
    await tx.exams.setStaff(
      plan.id,
      team.map((s) => ({ name: s.name.trim(), staffNo: s.staffNo.trim(), duty: DUTY_OF_ROLE[s.role], work: s.duty, sessions: s.sessions.length })),
    );
    const staffing: StaffDetail[] = team.map((s) => ({ staffNo: s.staffNo.trim(), role: s.role, parts: s.sessions, openId: s.openId }));
    const current = (await tx.exams.getPlan(plan.id)) ?? plan;
    const updated = (await tx.exams.updatePlan(plan.id, { data: { ...current.data, staffing } }, { now })) ?? current;
    await planAudit(tx.audit, by, 'exam.staff.assign', plan.id, { as: by.as, staff: team.map((s) => ({ name: s.name, staffNo: s.staffNo, role: s.role, sessions: s.sessions, openId: s.openId })) }, now);
    const added = [...new Set(team.map((s) => s.openId).filter((x): x is string => Boolean(x) && !before.has(x!)))];
    return { plan: updated, team: [...team], added };
  });
}

/**
 * Staff named after the sessions were scheduled get the notice and reminders too. Keys are
 * per recipient, so someone already scheduled is not sent anything twice.
 */
export async function remindAddedStaff(deps: SessionDeps, plan: StoredPlan, openIds: readonly string[]): Promise<number> {
  if (plan.status !== 'scheduled' || openIds.length === 0) return 0;
  let scheduled = 0;
  for (const s of await deps.store.exams.listSessions(plan.id)) {
    if (s.status === 'cancelled') continue;
    const outcome = await scheduleSession(
      { jobs: deps.store.jobs, now: deps.clock.now(), reminders: deps.config.reminders },
      sessionInfo(plan, s),
      openIds.map((openId) => ({ openId })),
      null,
    );
    scheduled += outcome.scheduled;
  }
  return scheduled;
}

/** How the team reads on a card: 主考 张三（T001，理论、实操）. */
export function staffLines(team: readonly AssignedStaff[]): string[] {
  const order: StaffRole[] = ['chiefExaminer', 'inspector', 'invigilator', 'examStaff'];
  return order.flatMap((role) =>
    team
      .filter((s) => s.role === role)
      .map((s) => `${STAFF_ROLE_LABEL[role]} ${s.name}（${s.staffNo}，${s.sessions.map((p) => (p === 'theory' ? '理论' : '实操')).join('、')}）`),
  );
}

// ---- 调增申请 ---------------------------------------------------------------------------

export function quotaRequestOf(plan: StoredPlan): StoredQuotaRequest | null {
  return plan.data.quotaRequest ?? null;
}

export function pilotQuotaOf(plan: StoredPlan): number | null {
  return plan.data.pilotQuota ?? null;
}

const QUOTA_HOLDS = new Set(['quota.requestNeeded', 'quota.pending']);

/**
 * The plan's findings as of today, with its increase request. Errors, and a quota that is
 * still waiting for a request or a decision, hold back the exam notices.
 */
export async function currentFindings(store: Pick<Store, 'exams'>, plan: StoredPlan, today: IsoDate): Promise<{ findings: PlanFinding[]; blocking: PlanFinding[] }> {
  const sessions = await store.exams.listSessions(plan.id);
  const candidates = await store.exams.listCandidates(plan.id);
  const quota = pilotQuotaOf(plan);
  const agreement = plan.data.agreement ?? null;
  const findings = checkPlan(domainPlanOf(plan, sessions, candidates.length), {
    today,
    filedOn: beijingDate(plan.createdAt),
    pilotQuota: quota ?? Number.MAX_SAFE_INTEGER,
    increaseRequest: quotaRequestOf(plan),
    agreement,
  }).filter((f) => f.code !== 'plan.late' && !f.code.startsWith('agreement.'));
  // filing and agreement were settled when the plan was saved; only the quota moves afterwards
  return { findings, blocking: findings.filter((f) => f.severity === 'error' || QUOTA_HOLDS.has(f.code)) };
}

export type QuotaOutcome = { ok: true; plan: StoredPlan } | { ok: false; message: string };

/** Files (or files again) a request for `headcount` over the pilot quota; `then` commits with it. */
export async function fileQuotaRequest(store: Pick<Store, 'transaction'>, plan: StoredPlan, headcount: number, by: { openId: string; name?: string | null }, now: Date, then?: PlanFollowUp): Promise<QuotaOutcome> {
  const quota = pilotQuotaOf(plan);
  if (quota === null) return { ok: false, message: '该计划没有填写试点名额，无需调增。' };
  if (!Number.isInteger(headcount) || headcount <= quota) return { ok: false, message: `申请人数应为大于试点名额${quota}人的整数。` };
  const existing = quotaRequestOf(plan);
  if (existing?.status === 'approved') return { ok: false, message: `调增申请已批准（${existing.headcount}人），无需再次申请。` };
  const request: StoredQuotaRequest = { filedOn: beijingDate(now.toISOString()), headcount, status: 'pending', filedBy: by.openId };
  return store.transaction(async (tx) => {
    const current = (await tx.exams.getPlan(plan.id)) ?? plan;
    const updated = (await tx.exams.updatePlan(plan.id, { data: { ...current.data, quotaRequest: request } }, { now }))!;
    await planAudit(tx.audit, by, 'exam.quota.request', plan.id, { headcount, pilotQuota: quota }, now);
    await then?.(tx, updated);
    return { ok: true, plan: updated };
  });
}

const QUOTA_STATUS_TEXT = { pending: '待教务处审核', forwarded: '已报省推进办', approved: '已批准', rejected: '已驳回' } as const;

/**
 * 教务处 agrees (the request goes to the province: forwarded) or rejects a pending request;
 * deciding one already decided the same way answers with the plan as it is. `then` commits
 * with a decision taken now.
 */
export async function decideQuotaRequest(store: Pick<Store, 'transaction'>, plan: StoredPlan, decision: 'approved' | 'rejected', by: { openId: string; name?: string | null }, now: Date, then?: PlanFollowUp): Promise<QuotaOutcome> {
  const to = decision === 'approved' ? 'forwarded' : 'rejected';
  return store.transaction(async (tx) => {
    const current = (await tx.exams.getPlan(plan.id)) ?? plan;
    const request = quotaRequestOf(current);
    if (!request) return { ok: false, message: '该计划没有调增申请。' };
    if (request.status === to) return { ok: true, plan: current };
    if (request.status !== 'pending') return { ok: false, message: `调增申请${QUOTA_STATUS_TEXT[request.status]}，不能再更改。` };
    const decided: StoredQuotaRequest = { ...request, status: to, decidedBy: by.openId, decidedOn: beijingDate(now.toISOString()) };
    const updated = (await tx.exams.updatePlan(plan.id, { data: { ...current.data, quotaRequest: decided } }, { now }))!;
    await planAudit(tx.audit, by, `exam.quota.${decision === 'approved' ? 'approve' : 'reject'}`, plan.id, { headcount: request.headcount }, now);
    await then?.(tx, updated);
    return { ok: true, plan: updated };
  });
}

/** The province's (省推进办) decision on a forwarded request, with its date and document (文号); `then` commits with it. */
export async function recordProvincialDecision(
  store: Pick<Store, 'transaction'>,
  plan: StoredPlan,
  d: { decision: 'approved' | 'rejected'; on: IsoDate; document: string },
  by: { openId: string; name?: string | null },
  now: Date,
  then?: PlanFollowUp,
): Promise<QuotaOutcome> {
  if (!isValidIsoDate(d.on) || d.on > beijingDate(now.toISOString())) return { ok: false, message: `批准日期“${d.on}”无效：应为不晚于今天的日期，例如 2024-05-20。` };
  if (!d.document.trim()) return { ok: false, message: '请写省推进办批准文件的文号。' };
  return store.transaction(async (tx) => {
    const current = (await tx.exams.getPlan(plan.id)) ?? plan;
    const request = quotaRequestOf(current);
    if (!request) return { ok: false, message: '该计划没有调增申请。' };
    if (request.status !== 'forwarded') return { ok: false, message: `调增申请${QUOTA_STATUS_TEXT[request.status]}，${request.status === 'pending' ? '须先经教务处审核同意' : '不能再更改'}。` };
    const decided: StoredQuotaRequest = { ...request, status: d.decision, provinceOn: d.on, provinceDocument: d.document.trim(), provinceRecordedBy: by.openId };
    const updated = (await tx.exams.updatePlan(plan.id, { data: { ...current.data, quotaRequest: decided } }, { now }))!;
    await planAudit(tx.audit, by, 'exam.quota.province', plan.id, { decision: d.decision, on: d.on, document: d.document.trim(), headcount: request.headcount }, now);
    await then?.(tx, updated);
    return { ok: true, plan: updated };
  });
}

// ---- the card form ----------------------------------------------------------------------

const PART_NAME: Record<Part, string> = { theory: '理论', skill: '实操' };

/** One row per post the plan needs (more when more are stored), filled with the stored team. */
export function staffSlots(need: { sessions: Part[]; invigilatorsPerSession: number }, team: readonly AssignedStaff[], by: Assigner): StaffSlot[] {
  const locked = by === 'college';
  const valuesOf = (s: AssignedStaff | undefined): StaffSlot['values'] =>
    s ? { name: s.name, staffNo: s.staffNo, openId: s.openId ?? undefined, parts: s.sessions.length === 1 && need.sessions.length > 1 ? s.sessions[0] : 'all' } : undefined;
  const lead = (post: 'chiefExaminer' | 'inspector', id: string): StaffSlot => ({
    id,
    label: STAFF_ROLE_LABEL[post],
    post,
    locked,
    required: post === 'chiefExaminer',
    values: valuesOf(team.find((s) => s.role === post)),
  });
  const slots: StaffSlot[] = [lead('chiefExaminer', 'chief'), lead('inspector', 'inspector')];
  for (const part of need.sessions) {
    const here = team.filter((s) => s.role === 'invigilator' && s.sessions.includes(part));
    const rows = Math.max(need.invigilatorsPerSession, here.length);
    for (let i = 0; i < rows; i++) {
      const s = here[i];
      slots.push({ id: `inv_${part}_${i + 1}`, label: `${PART_NAME[part]}监考 ${i + 1}`, post: 'invigilator', fixedPart: part, required: i < need.invigilatorsPerSession, values: s ? { ...valuesOf(s), parts: part } : undefined });
    }
  }
  const staff = team.filter((s) => s.role === 'examStaff');
  for (let i = 0; i < Math.max(2, staff.length); i++) {
    slots.push({ id: `staff_${i + 1}`, label: `考务人员 ${i + 1}`, post: 'examStaff', required: i === 0, values: valuesOf(staff[i]) });
  }
  return slots;
}

const formText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');

/**
 * A row's "姓名 工号 [ou_…]": the open_id as given, else the one known staff member of that
 * name (none when the name is unknown or shared); a part with a digit or Latin letter is the 工号.
 */
export function parseWho(text: string, known: ReadonlyArray<{ openId: string; name: string }>, allowOpenId = true): { name: string; staffNo: string; openId: string | null } {
  const parts = text.split(/[\s,，、;；]+/).filter((x) => x !== '');
  const typed = parts.find((x) => /^ou_[0-9A-Za-z_]+$/.test(x)) ?? null;
  const given = allowOpenId ? typed : null;
  const rest = parts.filter((x) => x !== typed);
  const staffNo = rest.filter((x) => /[0-9A-Za-z]/.test(x)).join('');
  const name = rest.filter((x) => !/[0-9A-Za-z]/.test(x)).join('');
  const byName = known.filter((k) => k.name === name);
  return { name, staffNo, openId: given ?? (byName.length === 1 ? byName[0]!.openId : null) };
}

/**
 * The rows a form submitted, blank rows left out; 承担具体工作 is the row's post and sessions.
 * Only the center may name a Feishu user by open_id (`allowOpenId`); a row left as it was keeps its stored user.
 */
export function rowsFromForm(
  slots: readonly StaffSlot[],
  form: Record<string, unknown>,
  parts: readonly Part[],
  known: ReadonlyArray<{ openId: string; name: string }> = [],
  allowOpenId = true,
): AssignedStaff[] {
  const out: AssignedStaff[] = [];
  for (const slot of slots) {
    if (slot.locked) continue;
    const parsed = parseWho(formText(form[fieldName(slot.id, 'who')]), known, allowOpenId);
    const { name, staffNo } = parsed;
    if (name === '' && staffNo === '') continue;
    const was = slot.values;
    const openId = parsed.openId ?? (was?.openId && was.name === name && was.staffNo === staffNo ? was.openId : null);
    const choice = formText(form[fieldName(slot.id, 'parts')]);
    const sessions: Part[] = slot.fixedPart ? [slot.fixedPart] : choice === 'theory' || choice === 'skill' ? [choice] : [...parts];
    out.push({ name, staffNo, role: slot.post, duty: '', sessions, openId });
  }
  return out;
}

/** 承担具体工作 as the settlement sheet shows it: 理论、实操监考 / 主考. */
export function withDuties(team: readonly AssignedStaff[], parts: readonly Part[]): AssignedStaff[] {
  return team.map((s) => {
    if (s.duty !== '') return s;
    const scope = s.sessions.length === parts.length && parts.length > 1 ? '' : s.sessions.map((p) => PART_NAME[p]).join('、');
    return { ...s, duty: `${scope}${STAFF_ROLE_LABEL[s.role]}` };
  });
}
