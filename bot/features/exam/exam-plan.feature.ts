import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { joinClauses } from '../../../domain/wording';
import {
  EXAM_PLAN_ACTIONS,
  EXAM_PLAN_VERSION,
  examPlanCenterCard,
  examPlanFiledCard,
  examPlanFormCard,
  planActValue,
  planSubmitValue,
  type PlanField,
  type PlanSummary,
} from '../../../cards/exam-plan.card';
import type { StoredExamPlan as StoredPlan } from '../../../domain/model/exam-plan';
import { settlementRows, splitByFeePayer } from '../../../domain/exam/fees';
import { formatDay, hasErrors, SESSION_LABEL, type AssessorAgreement } from '../../../domain/exam/plan-rules';
import { requiredStaff, unassignedPosts, type StaffAssignment } from '../../../domain/exam/staffing';
import type { Part } from '../../../domain/model';
import { beijingDate, formatBeijing } from '../../../domain/time';
import { ensurePlanningJobs, PLANNING_JOBS } from '../../jobs/planning.job';
import { REMINDER_JOBS } from '../../jobs/reminders.job';
import { clickOrigin, originOf, scheduleForClick, sendFileFromJob } from '../../jobs/card-job';
import { defineJob } from '../../jobs/runner';
import { sendUuid } from '../../jobs/send-uuid';
import { defineFeature, refuse, type Feature } from '../../router';
import type { Services, ServiceSlice } from '../../services';
import { collegeStaffOf } from '../college/college-scope';
import { assignmentsOf, draftPlan, planOfStored, savePlan } from './exam-plan.service';
import { DEFAULT_TIMES, parseLevel, parseWhen, splitList, type PlanInput } from '../../../domain/exam/plan-input';
import { changeSession } from './exam-schedule.service';
import { currentFindings, pilotQuotaOf, planFeeSheet, quotaRequestOf, staffLines, staffOfPlan } from './exam-staff.service';
import { planAudit, planCardJob, schedulePlanCards } from './plan-audit';

// 考试计划 in chat: college staff fill the form, checkPlan decides (errors keep the form
// open with the reasons, warnings travel with the plan), the saved plan goes to the center,
// whose card sends the fee sheet and schedules the reminders. The college is the actor's.

export const PLAN_KEYWORD = /^\s*(考试计划|1\s*\+\s*X\s*考试|1\+X考试计划)\s*$/i;

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');

/** Form values to a plan input; problems that need no roster come back as messages. */
export function planInputFromForm(form: Record<string, unknown>, college: string): { input: PlanInput | null; problems: string[]; values: Partial<Record<PlanField, string>> } {
  const values: Partial<Record<PlanField, string>> = {};
  for (const [k, v] of Object.entries(form)) if (text(v) !== '') values[k as PlanField] = text(v);
  const problems: string[] = [];
  const level = parseLevel(values.level ?? '');
  if (!level) problems.push('请选择等级（初级、中级或高级）。');
  const when = (date: string | undefined, time: string | undefined, fallback: string, label: string) => {
    if (!date) return null;
    const w = parseWhen(`${date.slice(0, 10)} ${time || fallback}`, fallback);
    if (w === 'bad' || !w) {
      problems.push(`${label}时间“${date} ${time ?? ''}”无法识别，请按 09:00 的格式填写。`);
      return null;
    }
    if (time && !/^\d{1,2}[:：]\d{2}$/.test(time)) problems.push(`${label}开始时间“${time}”应为 时:分，例如 09:00。`);
    return w;
  };
  const theory = when(values.theoryDate, values.theoryTime, DEFAULT_TIMES.theory, '理论考试');
  const practical = when(values.practicalDate, values.practicalTime, DEFAULT_TIMES.practical, '实操考试');
  const count = (name: PlanField, label: string): number | null => {
    const raw = values[name];
    if (!raw) return null;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${label}“${raw}”应为整数。`);
      return null;
    }
    return Number(raw);
  };
  const headcount = count('headcount', '人数');
  const rooms = count('rooms', '考场数');
  const quota = count('pilotQuota', '试点名额');
  let agreement: AssessorAgreement | null = null;
  if (values.assessorOrg) {
    const s = parseWhen(values.agreementStart ?? '', '00:00');
    const e = parseWhen(values.agreementEnd ?? '', '00:00');
    if (!s || s === 'bad' || !e || e === 'bad') problems.push('请按 YYYY-MM-DD 填写协议起始和截止日期。');
    else agreement = { assessorOrg: values.assessorOrg, startsOn: s.date, endsOn: e.date };
  }
  if (!level || problems.length) return { input: null, problems, values };
  return {
    values,
    problems,
    input: {
      certificate: values.certificate ?? '',
      level,
      owner: values.owner ?? '',
      college,
      classes: splitList(values.classes ?? ''),
      headcount,
      theory,
      practical,
      place: values.place ?? '',
      physicalRooms: rooms ?? 0,
      roomNeeds: values.roomNeeds ?? '',
      pilotQuota: quota,
      agreement,
    },
  };
}

type PlanCardServices = ServiceSlice<'exams', 'clock'>;

async function summaryOf(services: PlanCardServices, plan: StoredPlan): Promise<PlanSummary> {
  const sessions = await services.store.exams.listSessions(plan.id);
  const candidates = await services.store.exams.listCandidates(plan.id);
  const data = plan.data;
  const team = staffOfPlan(plan, await services.store.exams.listStaff(plan.id), sessions);
  const pilotQuota = pilotQuotaOf(plan);
  const request = quotaRequestOf(plan);
  const { blocking } = await currentFindings(services.store, plan, beijingDate(services.clock.now().toISOString()));
  return {
    staff: staffLines(team),
    quota: pilotQuota === null ? undefined : { pilotQuota, over: plan.headcount > pilotQuota, request: request && { headcount: request.headcount, status: request.status, filedOn: formatDay(request.filedOn) } },
    blocking: blocking.map((f) => f.message),
    planId: plan.id,
    college: plan.college,
    certificate: plan.certificate,
    level: plan.level,
    owner: plan.owner,
    classes: data.classes ?? [],
    headcount: plan.headcount,
    sessions: sessions.map((s) => ({
      id: s.id,
      label: SESSION_LABEL[s.kind === 'theory' ? 'theory' : 'skill'],
      when: formatBeijing(s.startsAt),
      place: s.place,
      status: s.status === 'cancelled' ? '已取消' : s.status === 'moved' ? '已调整' : '',
    })),
    roomNeeds: data.roomNeeds ?? '',
    candidates: candidates.length,
    selfPaying: splitByFeePayer(candidates).self.length,
    warnings: data.warnings ?? [],
  };
}

/** The plan as the center sees it, or as its college does (the receipt with the college's buttons). */
export async function planCardFor(services: PlanCardServices, plan: StoredPlan, view: 'center' | 'college') {
  return view === 'center' ? centerCardOf(services, plan) : examPlanFiledCard(await summaryOf(services, plan));
}

async function centerCardOf(services: PlanCardServices, plan: StoredPlan) {
  const sessions = await services.store.exams.listSessions(plan.id);
  const need = requiredStaff(planOfStored(plan, sessions));
  const unassigned = unassignedPosts(need, await services.store.exams.listStaff(plan.id));
  return examPlanCenterCard({ ...(await summaryOf(services, plan)), staffing: need, unassigned, scheduled: plan.status === 'scheduled' });
}

/** The staff as assigned, or — before anyone is named — the posts the rules require, to estimate the fees. */
export async function feeAssignments(services: ServiceSlice<'exams'>, plan: StoredPlan): Promise<StaffAssignment[]> {
  const sessions = await services.store.exams.listSessions(plan.id);
  const staff = await services.store.exams.listStaff(plan.id);
  if (staff.length > 0) return staffOfPlan(plan, staff, sessions);
  const need = requiredStaff(planOfStored(plan, sessions));
  const parts: Part[] = need.sessions;
  const post = (role: StaffAssignment['role'], duty: string, n: number, sessionsOf: Part[]) =>
    Array.from({ length: n }, (_, i) => ({ name: `（待定）${duty}${n > 1 ? i + 1 : ''}`, staffNo: '', role, duty, sessions: sessionsOf }));
  return [
    ...post('chiefExaminer', '主考', 1, parts),
    ...post('examStaff', '考务人员', need.examStaff.min, parts),
    ...parts.flatMap((p) => post('invigilator', `${SESSION_LABEL[p]}监考`, need.invigilatorsPerSession, [p])),
  ];
}

const FEE_SHEET_JOB = 'exam.feeSheet';
const feeSheetPayload = clickOrigin.extend({ planId: z.number().int().positive() });

/** The job behind the plan card's 考务费用结算表 button: lays out the sheet and sends it to the clicker's chat. */
function feeSheetJob(services: ServiceSlice<'exams' | 'audit', 'clock'> & Parameters<typeof sendFileFromJob>[0]) {
  return defineJob(feeSheetPayload, async ({ key, payload: p }) => {
    const plan = await services.store.exams.getPlan(p.planId);
    if (!plan) throw new Error(`exam plan ${p.planId} no longer exists`);
    const sessions = await services.store.exams.listSessions(plan.id);
    const settlement = settlementRows(await feeAssignments(services, plan));
    const bytes = await planFeeSheet(plan, sessions, settlement);
    await sendFileFromJob(services, key, p, 'sheet', bytes, `考务费用结算表-${plan.college}-${plan.certificate}-${plan.id}.xlsx`);
    await planAudit(services.store.audit, p.actor, 'exam.plan.feeSheet', plan.id, { rows: settlement.rows.length, total: settlement.total }, services.clock.now());
  });
}

// A plan filed in chat reaches the center from jobs stored with it, one per center staff
// member (a crash after the click loses none); each sends the plan's card as it stands then.
const PLAN_FILED_JOB = 'exam.planFiled';

export function examPlanFeature(services: Services): Feature {
  const { store } = services;
  // the recurring planners (monthly plan reminder, materials reminders) are put in place once at start
  void ensurePlanningJobs(store, services.clock.now()).catch((err: unknown) => services.log.error({ err }, 'planning jobs could not be scheduled'));

  return defineFeature({
    name: 'exam.plan',
    // the reminders every exam feature plans, and the planners this one puts in place
    jobs: { ...REMINDER_JOBS, ...PLANNING_JOBS, [FEE_SHEET_JOB]: feeSheetJob(services), [PLAN_FILED_JOB]: planCardJob((plan: StoredPlan, s: ServiceSlice<'exams', 'clock' | 'lark'>) => centerCardOf(s, plan)) },
    actions: [EXAM_PLAN_ACTIONS.submit, EXAM_PLAN_ACTIONS.feeSheet, EXAM_PLAN_ACTIONS.schedule],
    setup(r) {
      r.onText(
        PLAN_KEYWORD,
        async (ctx) => {
          const staff = collegeStaffOf(ctx.actor);
          if (!staff) {
            await ctx.reply('你的账号没有绑定学院，无法填写考试计划。请联系认定中心核对账号。');
            return;
          }
          await ctx.replyCard({ ...examPlanFormCard({ draftId: randomUUID(), college: staff.college }) });
        },
        { roles: ['college'] },
      );

      const onPlan = { value: planActValue, roles: ['center'] as const, load: (v: { planId: number }) => store.exams.getPlan(v.planId) };

      r.onAction(
        EXAM_PLAN_ACTIONS.submit,
        {
          value: planSubmitValue,
          version: EXAM_PLAN_VERSION,
          roles: ['college'],
          load: (_v, ctx) => collegeStaffOf(ctx.actor) ?? refuse('你的账号没有绑定学院，无法提交考试计划。'),
          // an outdated form: a new, empty one
          fresh: (ctx) => (ctx.record ? { ...examPlanFormCard({ draftId: randomUUID(), college: ctx.record.college }) } : null),
        },
        async (ctx) => {
          const staff = ctx.record;
          const { draftId } = ctx.value;
          const form = planInputFromForm(ctx.formValue, staff.college);
          if (!form.input) {
            ctx.toast('error', '计划未保存，请按卡片提示修改。');
            await ctx.updateCard({ ...examPlanFormCard({ draftId, college: staff.college, values: form.values, findings: form.problems.map((message) => ({ severity: 'error', message })) }) });
            return;
          }
          const now = services.clock.now();
          const draft = await draftPlan(store, form.input, beijingDate(now.toISOString()));
          if (hasErrors(draft.findings)) {
            ctx.toast('error', '计划未保存，请按卡片提示修改。');
            await ctx.updateCard({ ...examPlanFormCard({ draftId, college: staff.college, values: form.values, findings: draft.findings }) });
            return;
          }
          const saved = await savePlan(store, draft, staff, now, `chat:${draftId}`, (tx, plan) => schedulePlanCards(tx, PLAN_FILED_JOB, `${PLAN_FILED_JOB}:${plan.id}`, 'center', plan, now));
          if (!saved.ok) {
            ctx.toast('error', saved.message);
            return;
          }
          ctx.toast('success', saved.created ? `考试计划 #${saved.plan.id} 已提交` : `考试计划 #${saved.plan.id} 已提交过，不会重复提交`);
          await ctx.updateCard({ ...examPlanFiledCard(await summaryOf(services, saved.plan)) });
        },
      );

      r.onAction(
        EXAM_PLAN_ACTIONS.feeSheet,
        onPlan,
        async (ctx) => {
          // answered once the sheet is stored as a job: a crash after the click loses nothing
          const payload = { ...originOf(ctx, ctx.actor.roles.find((x) => x.role === 'center')?.name ?? null), planId: ctx.record.id };
          await scheduleForClick(services, ctx, FEE_SHEET_JOB, feeSheetPayload, payload);
          await ctx.ack({ toast: '收到，正在生成考务费用结算表…' });
        },
      );

      r.onAction(
        EXAM_PLAN_ACTIONS.schedule,
        { ...onPlan, version: EXAM_PLAN_VERSION, fresh: async (ctx) => (ctx.record ? { ...(await centerCardOf(services, ctx.record)) } : null) },
        async (ctx) => {
          const plan = ctx.record;
          const { blocking } = await currentFindings(store, plan, beijingDate(services.clock.now().toISOString()));
          if (blocking.length) {
            ctx.toast('error', `暂不能安排考试通知：${joinClauses(blocking.map((f) => f.message))}`);
            await ctx.updateCard({ ...(await centerCardOf(services, plan)) });
            return;
          }
          const by = { openId: ctx.actor.openId, name: ctx.actor.roles.find((x) => x.role === 'center')?.name ?? null };
          let scheduled = 0;
          const refused: string[] = [];
          for (const s of await store.exams.listSessions(plan.id)) {
            if (s.status === 'cancelled') continue;
            const outcome = await changeSession(services, s.id, { kind: 'schedule' }, by);
            if (outcome.ok) scheduled += outcome.scheduled;
            else refused.push(outcome.message);
          }
          const updated = (await store.exams.updatePlan(plan.id, { status: 'scheduled' }, { now: services.clock.now() })) ?? plan;
          ctx.toast(refused.length ? 'warning' : 'success', refused.length ? joinClauses(refused) : `已安排 ${scheduled} 条考试通知与提醒`);
          await ctx.updateCard({ ...(await centerCardOf(services, updated)) });
        },
      );
    },
  });
}
