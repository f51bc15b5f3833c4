import type { Logger } from 'pino';
import { z } from 'zod';
import type { Store } from '../../db/store';
import { addDays } from '../../domain/calendar';
import { planDueDate, planReminderDate } from '../../domain/exam/plan-rules';
import { materialsReminders, type MaterialsDebtor } from '../../domain/reminders';
import { beijingDate, beijingInstant } from '../../domain/time';
import { applicationDateOr, missingOf } from '../services/material-gate';
import type { Clock } from '../clock';
import type { LarkApi } from '../ports';
import { defineJob, scheduleJob, type JobHandler, type JobQueue } from './runner';
import { sendUuid } from './send-uuid';
import { scheduleTexts, textPayload } from './text-notice';

// Recurring work that plans other jobs. Each planner job schedules its successor before it
// finishes, under a key naming the period (month, day), so a re-run, a restart or a second
// instance finds the key taken and nothing is planned or sent twice.

export const PLAN_DUE_PLANNER = 'exam.planDue.plan';
export const MATERIALS_PLANNER = 'materials.plan';
export const MATERIALS_DUE_SOON = 'materials.dueSoon';
export const PLAN_DUE = 'exam.planDue';

/** Beijing wall-clock times the planners run at. */
export const PLAN_DUE_AT = '09:00';
export const MATERIALS_PLAN_AT = '08:00';

/** What a student's materials debt is worked out from (bot/services/material-gate.ts). */
type DebtStore = Pick<Store, 'campaigns' | 'students' | 'materials' | 'filingForms' | 'grades' | 'schemes' | 'certificates'>;

type PlanDueDeps = { store: Pick<Store, 'roles'> & { jobs: JobQueue }; clock: Clock };
type MaterialsPlanDeps = { store: DebtStore & Pick<Store, 'colleges'> & { jobs: JobQueue }; clock: Clock; log: Logger };
export type MaterialsReminderDeps = { store: DebtStore; clock: Clock; lark: Pick<LarkApi, 'send'> };

/** 2024-03 → 2024-04 */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export const planDueKey = (month: string) => `${PLAN_DUE_PLANNER}:${month}`;
export const materialsPlanKey = (date: string) => `${MATERIALS_PLANNER}:${date}`;

const planDuePayload = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) });
const materialsPlanPayload = z.object({ date: z.iso.date() });
/** A materials reminder names its student, so it can check first that they still owe something. */
const materialsReminderPayload = textPayload.extend({ studentNo: z.string().min(1).optional() });

/** The planner for the plans due on the 1st of `month`: a few days before, or now when that has passed. */
async function schedulePlanDue(jobs: JobQueue, month: string, now: Date): Promise<void> {
  const at = Date.parse(beijingInstant(planReminderDate(month), PLAN_DUE_AT));
  await scheduleJob(jobs, planDuePayload, { key: planDueKey(month), kind: PLAN_DUE_PLANNER, runAt: new Date(Math.max(at, now.getTime())), payload: { month } }, now);
}

async function scheduleMaterialsPlan(jobs: JobQueue, day: string, now: Date): Promise<void> {
  await scheduleJob(jobs, materialsPlanPayload, { key: materialsPlanKey(day), kind: MATERIALS_PLANNER, runAt: beijingInstant(day, MATERIALS_PLAN_AT), payload: { date: day } }, now);
}

/**
 * Puts the recurring planners in place (idempotent; called at start). The monthly reminder
 * is for the month after the current Beijing month: its plans are due on that month's 1st.
 */
export async function ensurePlanningJobs(store: { jobs: JobQueue }, now: Date): Promise<void> {
  const today = beijingDate(now.toISOString());
  await schedulePlanDue(store.jobs, nextMonth(today.slice(0, 7)), now);
  const runToday = Date.parse(beijingInstant(today, MATERIALS_PLAN_AT));
  const day = runToday > now.getTime() ? today : addDays(today, 1);
  await scheduleMaterialsPlan(store.jobs, day, now);
}

export function planDueText(month: string): string {
  const due = planDueDate(month);
  return `【考试计划提醒】请于${Number(due.slice(5, 7))}月1日前提交${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月的1+X证书考试计划：在对话中发送“考试计划”填写（证书、等级、负责人、班级与人数、理论与实操考试时间、地点、考场要求）。超过试点名额的，须在考前2周提交调增申请。`;
}

/** The monthly planner: one reminder per college staff member, then next month's planner. */
const planPlanDue = defineJob(planDuePayload, async ({ payload: { month } }, services: PlanDueDeps) => {
  const now = services.clock.now();
  const staff = await services.store.roles.listByRole('college');
  const text = planDueText(month);
  await scheduleTexts(services.store, PLAN_DUE, `${PLAN_DUE}:${month}`, staff.map((r) => r.openId), text, now);
  await schedulePlanDue(services.store.jobs, nextMonth(month), now);
});

/** The daily planner: reminders before the campaign's materials deadline, then tomorrow's planner. */
const planMaterials = defineJob(materialsPlanPayload, async ({ payload: { date: today } }, services: MaterialsPlanDeps) => {
  const { store } = services;
  const now = services.clock.now();
  const campaign = await store.campaigns.current();
  const deadline = campaign?.materialsDeadline ?? null;
  if (deadline && today <= deadline) {
    const applicationDate = campaign?.applicationDate ?? today;
    const debtors: MaterialsDebtor[] = [];
    for (const college of await store.colleges.list()) {
      for (const s of await store.students.listByCollege(college)) {
        debtors.push({ studentNo: s.studentNo, name: s.name, openId: s.openId ?? null, missing: await missingOf(store, s, applicationDate) });
      }
    }
    const planned = materialsReminders(deadline, debtors, now.toISOString());
    for (const j of planned.jobs) {
      const studentNo = j.key.slice(j.key.lastIndexOf(':') + 1);
      await scheduleJob(store.jobs, materialsReminderPayload, { key: j.key, kind: j.kind, runAt: j.runAt, payload: { recipient: j.recipient, text: j.payload.text, studentNo } }, now);
    }
    services.log.info({ deadline, reminders: planned.jobs.length, unreachable: planned.unreachable.length }, 'materials reminders planned');
  }
  await scheduleMaterialsPlan(store.jobs, addDays(today, 1), now);
});

/** Sends a materials reminder unless the student has meanwhile sent everything. */
export const sendMaterialsReminder = defineJob(materialsReminderPayload, async ({ key, payload: p }, services: MaterialsReminderDeps) => {
  if (p.studentNo !== undefined) {
    const { store } = services;
    const [student] = await store.students.listByNumbers([p.studentNo]);
    if (student && (await missingOf(store, student, await applicationDateOr(store, services.clock.today()))).length === 0) return;
  }
  await services.lark.send('open_id', p.recipient, { kind: 'text', text: p.text }, { uuid: sendUuid(key) });
});

/** The planners by kind: each plans the next round of sends and itself again. */
export const PLANNING_JOBS: Readonly<Record<string, JobHandler<PlanDueDeps & MaterialsPlanDeps>>> = { [PLAN_DUE_PLANNER]: planPlanDue, [MATERIALS_PLANNER]: planMaterials };
