import { EXAM_QUOTA_ACTIONS, EXAM_QUOTA_VERSION, quotaRequestFormCard, quotaValue } from '../../../cards/exam-quota.card';
import { joinClauses } from '../../../domain/wording';
import { EXAM_STAFF_ACTIONS, EXAM_STAFF_VERSION, examStaffFormCard, staffValue } from '../../../cards/exam-staff.card';
import type { StoredExamPlan as StoredPlan } from '../../../domain/model/exam-plan';
import { formatDay, hasErrors, quotaRequestDeadline, SESSION_LABEL } from '../../../domain/exam/plan-rules';
import { requiredStaff } from '../../../domain/exam/staffing';
import type { ActionContext } from '../../context';
import { EXAM_REMINDER_KINDS } from '../../../domain/reminders';
import { defineFeature, refuse, type Feature, type Refusal } from '../../router';
import type { Services } from '../../services';
import { collegeStaffOf } from '../college/college-scope';
import { planCardFor } from './exam-plan.feature';
import { QUOTA_FILED_JOB, scheduleQuotaCards } from './exam-quota.feature';
import { planOfStored } from './exam-plan.service';
import {
  fileQuotaRequest,
  pilotQuotaOf,
  remindAddedStaff,
  rowsFromForm,
  saveStaffing,
  staffingFindings,
  staffOfPlan,
  staffSlots,
  teamFor,
  withDuties,
  type Assigner,
} from './exam-staff.service';

// 安排考务人员 and 调增申请 on a stored plan. Who may act is the clicker's role, checked
// against the plan: center staff on any plan and every post; college staff only on their
// own college's plans, and there only 监考 and 考务人员 (主考 and 巡考/督导 are the center's)
// and the 调增申请. Approving or rejecting a request is the center's.

const NOT_YOURS = '这个考试计划不属于你所在的学院，无法操作。';

interface PlanClick {
  plan: StoredPlan;
  who: Who;
}

interface Who {
  as: Assigner;
  openId: string;
  name: string | null;
}

/** The clicker's standing on this plan, or null when they have none. */
function whoOn(ctx: ActionContext<unknown, unknown>, plan: StoredPlan): Who | null {
  const center = ctx.actor.roles.find((r) => r.role === 'center');
  if (center) return { as: 'center', openId: ctx.actor.openId, name: center.name || null };
  const staff = collegeStaffOf(ctx.actor);
  if (staff && staff.college === plan.college) return { as: 'college', openId: ctx.actor.openId, name: staff.name };
  return null;
}

export function examStaffFeature(services: Services): Feature {
  const { store } = services;

  /** The plan a click names, provided this clicker may act on it. */
  async function planFor(v: { planId: number }, ctx: ActionContext<unknown, unknown>): Promise<PlanClick | Refusal | undefined> {
    const plan = await store.exams.getPlan(v.planId);
    if (!plan) return undefined;
    const who = whoOn(ctx, plan);
    return who ? { plan, who } : refuse(NOT_YOURS);
  }

  /** the center's and the plan college's accounts: a row's name finds its Feishu user among them */
  async function knownStaffOf(plan: StoredPlan) {
    const known = [...(await store.roles.listByRole('center')), ...(await store.roles.listByRole('college')).filter((r) => r.college === plan.college)];
    return [...new Map(known.map((r) => [r.openId, { openId: r.openId, name: r.name || r.openId }])).values()];
  }

  async function formCard(plan: StoredPlan, as: Assigner, findings: Array<{ severity: 'error' | 'warning'; message: string }> = [], submitted?: ReturnType<typeof staffOfPlan>) {
    const sessions = await store.exams.listSessions(plan.id);
    const need = requiredStaff(planOfStored(plan, sessions));
    const team = submitted ?? staffOfPlan(plan, await store.exams.listStaff(plan.id), sessions);
    const knownStaff = await knownStaffOf(plan);
    return examStaffFormCard({
      planId: plan.id,
      title: `${plan.certificate}（${plan.level}）#${plan.id}`,
      summary: `${plan.headcount} 名考生计 ${need.rooms} 个考场；${need.sessions.map((p) => SESSION_LABEL[p]).join('、')}共 ${need.sessions.length} 场`,
      slots: staffSlots(need, team, as),
      parts: need.sessions,
      knownStaff,
      openIdField: as === 'center',
      findings,
      lockedNote: as === 'college' ? '主考与巡考/督导由认定中心（教务处）安排，学院可安排监考和考务人员。' : undefined,
    });
  }

  return defineFeature({
    name: 'exam.staff',
    // staff added to a scheduled plan get their reminders, which the exam plan feature sends
    schedules: [...EXAM_REMINDER_KINDS, QUOTA_FILED_JOB],
    actions: [...Object.values(EXAM_STAFF_ACTIONS), EXAM_QUOTA_ACTIONS.open, EXAM_QUOTA_ACTIONS.file],
    setup(r) {
      const onStaff = { value: staffValue, roles: ['center', 'college'] as const, load: planFor };
      const onQuota = { value: quotaValue, load: planFor };

      r.onAction(EXAM_STAFF_ACTIONS.open, onStaff, async (ctx) => {
        await ctx.updateCard({ ...(await formCard(ctx.record.plan, ctx.record.who.as)) });
      });

      r.onAction(EXAM_STAFF_ACTIONS.back, onStaff, async (ctx) => {
        await ctx.updateCard({ ...(await planCardFor(services, ctx.record.plan, ctx.record.who.as)) });
      });

      r.onAction(
        EXAM_STAFF_ACTIONS.save,
        { ...onStaff, version: EXAM_STAFF_VERSION, fresh: async (ctx) => (ctx.record ? { ...(await formCard(ctx.record.plan, ctx.record.who.as)) } : null) },
        async (ctx) => {
          const { plan, who } = ctx.record;
          const sessions = await store.exams.listSessions(plan.id);
          const need = requiredStaff(planOfStored(plan, sessions));
          const stored = staffOfPlan(plan, await store.exams.listStaff(plan.id), sessions);
          const rows = rowsFromForm(staffSlots(need, stored, who.as), ctx.formValue, need.sessions, await knownStaffOf(plan), who.as === 'center');
          const team = withDuties(teamFor(who.as, rows, stored), need.sessions);
          const findings = staffingFindings(plan, sessions, team, who.as);
          if (hasErrors(findings)) {
            ctx.toast('error', '考务人员未保存，请按卡片提示修改。');
            await ctx.updateCard({ ...(await formCard(plan, who.as, findings, team)) });
            return;
          }
          const saved = await saveStaffing(store, plan, team, who, services.clock.now());
          const reminded = await remindAddedStaff(services, saved.plan, saved.added);
          const warned = findings.length ? `提示：${joinClauses(findings.map((f) => f.message))}` : '';
          ctx.toast(findings.length ? 'warning' : 'success', `已保存考务人员 ${team.length} 名${reminded ? `，已为新安排的人员安排 ${reminded} 条考试通知与提醒` : ''}。${warned}`);
          await ctx.updateCard({ ...(await planCardFor(services, saved.plan, who.as)) });
        },
      );

      r.onAction(
        EXAM_QUOTA_ACTIONS.open,
        { ...onQuota, roles: ['college'] },
        async (ctx) => {
          const card = await quotaCard(ctx.record.plan);
          if (!card) {
            ctx.toast('info', '该计划人数未超过试点名额，无需调增。');
            return;
          }
          await ctx.updateCard({ ...card });
        },
      );

      async function quotaCard(plan: StoredPlan, problem?: string, typed?: string) {
        const quota = pilotQuotaOf(plan);
        const sessions = await store.exams.listSessions(plan.id);
        const dates = planOfStored(plan, sessions);
        const first = [dates.theoryDate, dates.practicalDate].filter((d): d is string => Boolean(d)).sort()[0];
        if (quota === null || !first) return null;
        return quotaRequestFormCard({
          planId: plan.id,
          title: `${plan.certificate}（${plan.level}）#${plan.id}`,
          headcount: plan.headcount,
          pilotQuota: quota,
          deadline: formatDay(quotaRequestDeadline(first)),
          problem,
          typed,
        });
      }

      r.onAction(
        EXAM_QUOTA_ACTIONS.file,
        {
          ...onQuota,
          roles: ['college'],
          version: EXAM_QUOTA_VERSION,
          fresh: async (ctx) => (ctx.record ? { ...(await planCardFor(services, ctx.record.plan, ctx.record.who.as)) } : null),
        },
        async (ctx) => {
          const { plan, who } = ctx.record;
          const raw = String(ctx.formValue.headcount ?? '').trim();
          const headcount = /^\d+$/.test(raw) ? Number(raw) : NaN;
          const now = services.clock.now();
          // 教务处's cards commit with the request, as jobs
          const outcome = await fileQuotaRequest(store, plan, headcount, who, now, (tx, filed) => scheduleQuotaCards(tx, filed, now));
          if (!outcome.ok) {
            ctx.toast('error', outcome.message);
            const card = await quotaCard(plan, outcome.message, raw);
            if (card) await ctx.updateCard({ ...card });
            return;
          }
          ctx.toast('success', '调增申请已提交，等待教务处审核。');
          await ctx.updateCard({ ...(await planCardFor(services, outcome.plan, who.as)) });
        },
      );

    },
  });
}
