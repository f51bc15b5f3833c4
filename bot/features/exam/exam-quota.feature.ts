import { z } from 'zod';
import { EXAM_QUOTA_ACTIONS, quotaDecisionCard, quotaValue } from '../../../cards/exam-quota.card';
import type { Repositories } from '../../../db/store';
import type { StoredExamPlan as StoredPlan } from '../../../domain/model/exam-plan';
import { adjustmentRefusal, parseAdjustment } from '../../../domain/exam/adjustment-window';
import { formatDay, SESSION_LABEL } from '../../../domain/exam/plan-rules';
import { writeQuotaForm } from '../../../domain/exam/quota-form.xlsx';
import { safeFileName } from '../../../domain/materials/naming';
import { beijingDate, formatBeijing } from '../../../domain/time';
import type { MessageContext } from '../../context';
import { defineJob } from '../../jobs/runner';
import { sendUuid } from '../../jobs/send-uuid';
import { scheduleTexts, sendTextJob } from '../../jobs/text-notice';
import { defineFeature, type Feature } from '../../router';
import type { Services, ServiceSlice } from '../../services';
import { collegeStaffOf } from '../college/college-scope';
import type { ExamFile, PaperDeps } from './exam-candidates.service';
import { decideQuotaRequest, pilotQuotaOf, quotaRequestOf, recordProvincialDecision } from './exam-staff.service';
import { planCardJob, schedulePlanCards, type PlanFollowUp } from './plan-audit';

// 调增 as seed 004 六.1 routes it: the college files the request (exam-staff.feature's form),
// 教务处 agrees — which sends it to the province — or rejects it, and records the province's
// decision with its date and document. The 调增申请表 is generated from the plan at any
// stage. And the one yearly window (the configured month, September by default) for the
// second-half adjustment: 新增, 调增 or 调减.

const planTitle = (p: StoredPlan) => `${p.certificate}（${p.level}）#${p.id}`;

export function quotaDecisionCardOf(plan: StoredPlan) {
  const request = quotaRequestOf(plan);
  if (!request) return null;
  return quotaDecisionCard({
    planId: plan.id,
    title: planTitle(plan),
    college: plan.college,
    headcount: request.headcount,
    pilotQuota: pilotQuotaOf(plan) ?? 0,
    filedOn: formatDay(request.filedOn),
    status: request.status,
    province: request.provinceOn && request.provinceDocument ? { on: formatDay(request.provinceOn), document: request.provinceDocument } : null,
  });
}

// A request and the decisions on it reach people from jobs stored with them, so a crash after
// the commit loses none: a new request's card goes to every 教务处 member (a job each), each
// decision's text to whoever filed the request. Keys carry the plan's version after the step:
// one step is told once, a request filed again after a rejection is told again.

export const QUOTA_FILED_JOB = 'exam.quotaFiled';
const QUOTA_DECIDED_JOB = 'exam.quotaDecided';
/** A second-half adjustment filed in chat, told to 教务处 (run with sendTextJob). */
const ADJUSTMENT_FILED_JOB = 'exam.adjustmentFiled';

/** Stores, in the request's transaction `tx`, the jobs that send every 教务处 member the decision card of `plan`. */
export function scheduleQuotaCards(tx: Repositories, plan: StoredPlan, now: Date): Promise<void> {
  return schedulePlanCards(tx, QUOTA_FILED_JOB, `${QUOTA_FILED_JOB}:${plan.id}:${plan.version}`, 'academic', plan, now);
}

/** The job that sends one 教务处 member the decision card of a plan's request, as it stands then. */
const sendQuotaCard = planCardJob((plan: StoredPlan) => quotaDecisionCardOf(plan));

/** What a decision stores with it: the job that tells the request's filer `text` (of the decided plan). */
function tellFiler(now: Date, text: (plan: StoredPlan) => string): PlanFollowUp {
  return async (tx, plan) => {
    const filedBy = quotaRequestOf(plan)?.filedBy;
    if (filedBy) await scheduleTexts(tx, QUOTA_DECIDED_JOB, `${QUOTA_DECIDED_JOB}:${plan.id}:${plan.version}`, [filedBy], text(plan), now);
  };
}

/** The 调增申请表 of a plan, with the decisions recorded so far. */
export async function quotaFormFile(deps: Pick<PaperDeps, 'store' | 'config'>, plan: StoredPlan): Promise<ExamFile | string> {
  const request = quotaRequestOf(plan);
  const quota = pilotQuotaOf(plan);
  if (quota === null) return '该计划没有填写试点名额，无需调增。';
  const sessions = (await deps.store.exams.listSessions(plan.id)).filter((s) => s.status !== 'cancelled');
  const academic = request && request.status !== 'pending' && request.decidedOn ? `${request.status === 'rejected' && !request.provinceOn ? '不同意' : '同意调增，报省推进办审批'}（${formatDay(request.decidedOn)}）` : null;
  const province = request?.provinceOn ? `${request.status === 'approved' ? '批准' : '不予批准'}：${request.provinceDocument ?? ''}（${formatDay(request.provinceOn)}）` : null;
  const bytes = await writeQuotaForm({
    school: deps.config.schoolName,
    college: plan.college,
    certificate: plan.certificate,
    level: plan.level,
    owner: plan.data.ownerName ?? plan.owner,
    sessions: sessions.map((s) => `${SESSION_LABEL[s.kind === 'theory' ? 'theory' : 'skill']} ${formatBeijing(s.startsAt)}`).join('；'),
    place: sessions[0]?.place ?? plan.data.place ?? '',
    pilotQuota: quota,
    planned: plan.headcount,
    requested: request?.headcount ?? plan.headcount,
    filedOn: request ? formatDay(request.filedOn) : null,
    reason: plan.data.quotaReason ?? null,
    academic,
    province,
  });
  return { fileName: safeFileName(`1+X计划${plan.id}-${plan.certificate}${plan.level}-调增申请表.xlsx`), bytes };
}

export function examQuotaFeature(services: Services): Feature {
  const { store, clock } = services;
  const who = (ctx: { actor: MessageContext['actor'] }) => ({ openId: ctx.actor.openId, name: ctx.actor.roles.find((r) => r.role === 'academic')?.name ?? null });

  async function planOf(ctx: MessageContext, raw: string | undefined): Promise<StoredPlan | null> {
    const plan = raw ? await store.exams.getPlan(Number(raw)) : undefined;
    if (!plan) {
      await ctx.reply(`找不到考试计划 ${raw ?? ''}。`);
      return null;
    }
    const staff = collegeStaffOf(ctx.actor);
    if (!ctx.has('academic') && !ctx.has('center') && staff?.college !== plan.college) {
      await ctx.reply('这个考试计划不属于你所在的学院。');
      return null;
    }
    return plan;
  }

  return defineFeature({
    name: 'exam.quota',
    actions: [EXAM_QUOTA_ACTIONS.approve, EXAM_QUOTA_ACTIONS.reject],
    jobs: { [QUOTA_FILED_JOB]: sendQuotaCard, [QUOTA_DECIDED_JOB]: sendTextJob, [ADJUSTMENT_FILED_JOB]: sendTextJob },
    setup(r) {
      for (const [action, decision] of [
        [EXAM_QUOTA_ACTIONS.approve, 'approved'],
        [EXAM_QUOTA_ACTIONS.reject, 'rejected'],
      ] as const) {
        r.onAction(
          action,
          {
            value: quotaValue,
            roles: ['academic'],
            load: async (value) => store.exams.getPlan(value.planId),
            fresh: (ctx) => {
              const card = ctx.record ? quotaDecisionCardOf(ctx.record) : null;
              return card ? { ...card } : null;
            },
          },
          async (ctx) => {
            const plan = ctx.record;
            const now = clock.now();
            const told = tellFiler(now, (p) => `考试计划 #${p.id}（${p.certificate}）的调增申请${decision === 'approved' ? '教务处已审核同意，已报省推进办审批' : '未获教务处同意，请将人数减至试点名额以内'}。`);
            const outcome = await decideQuotaRequest(store, plan, decision, who(ctx), now, told);
            if (!outcome.ok) {
              ctx.toast('error', outcome.message);
              return;
            }
            ctx.toast('success', decision === 'approved' ? '已同意调增申请，报省推进办审批' : '已驳回调增申请');
            const card = quotaDecisionCardOf(outcome.plan);
            if (card) await ctx.updateCard({ ...card });
          },
        );
      }

      // 省级批准 3 2024-05-20 豫1+X办〔2024〕12号 · 省级驳回 …
      r.onText(
        /^\s*省级(批准|驳回)\s*(\d+)\s+(\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?)\s+(.+?)\s*$/,
        async (ctx) => {
          const plan = await planOf(ctx, ctx.match?.[2]);
          if (!plan) return;
          const [y, m, d] = (ctx.match?.[3] ?? '').split(/[-./年月日]/).filter(Boolean);
          const on = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const decision = ctx.match?.[1] === '批准' ? 'approved' : 'rejected';
          const now = clock.now();
          const told = tellFiler(
            now,
            (p) => `考试计划 #${p.id}（${p.certificate}）的调增申请省推进办${decision === 'approved' ? `已批准（${ctx.match?.[4]}），可按 ${quotaRequestOf(p)?.headcount} 人考试` : '未批准，请将人数减至试点名额以内'}。`,
          );
          const outcome = await recordProvincialDecision(store, plan, { decision, on, document: ctx.match?.[4] ?? '' }, who(ctx), now, told);
          if (!outcome.ok) {
            await ctx.reply(outcome.message);
            return;
          }
          await ctx.reply(`已登记省推进办${decision === 'approved' ? '批准' : '驳回'}考试计划 #${plan.id} 的调增申请（${formatDay(on)}，${ctx.match?.[4]}）。`);
        },
        { roles: ['academic'] },
      );

      // 调增申请表 3
      r.onText(
        /^\s*调增申请表\s*(\d+)\s*$/,
        async (ctx) => {
          const plan = await planOf(ctx, ctx.match?.[1]);
          if (!plan) return;
          const file = await quotaFormFile(services, plan);
          if (typeof file === 'string') {
            await ctx.reply(file);
            return;
          }
          await ctx.sendFile(file.bytes, file.fileName);
        },
        { roles: ['college', 'academic', 'center'] },
      );

      // 计划调整 调增 证书 等级 人数 理由: only within the configured month
      r.onText(
        /^\s*计划调整(.*)$/,
        async (ctx) => {
          const staff = collegeStaffOf(ctx.actor);
          if (!staff) return;
          const today = beijingDate(clock.now());
          const refusal = adjustmentRefusal(today, services.config.adjustmentMonth ?? 9);
          if (refusal) {
            await ctx.reply(refusal);
            return;
          }
          const request = parseAdjustment(ctx.match?.[1] ?? '');
          if (typeof request === 'string') {
            await ctx.reply(request);
            return;
          }
          const text = `【下半年考核计划调整】${staff.college}申请${request.kind}：${request.certificate}（${request.level}）${request.count} 人${request.reason ? `，理由：${request.reason}` : ''}。`;
          const now = clock.now();
          // 教务处 hears of it from jobs committed with the filing, keyed by the message: a
          // message resumed after a crash stores the same jobs and tells nobody twice
          await store.transaction(async (tx) => {
            await tx.audit.record({ actorOpenId: staff.openId, actorName: staff.name, action: 'exam.adjustment.file', entity: 'college', entityId: staff.college, detail: { ...request, filedOn: today }, at: now });
            const academic = (await tx.roles.listByRole('academic')).map((a) => a.openId);
            await scheduleTexts(tx, ADJUSTMENT_FILED_JOB, `${ADJUSTMENT_FILED_JOB}:${ctx.message.messageId}`, academic, text, now);
          });
          await ctx.reply(`已提交下半年考核计划调整申请（${request.kind} ${request.certificate} ${request.level} ${request.count} 人），已送教务处。`);
        },
        { roles: ['college'] },
      );
    },
  });
}
