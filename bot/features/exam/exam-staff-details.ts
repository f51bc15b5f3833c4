import type { StoredExamPlan as StoredPlan } from '../../../domain/model/exam-plan';
import type { StaffDetail } from '../../../domain/model/exam-plan';

// What plan.data.staffing says about each assigned person (which sessions, which Feishu
// user), read apart from the staff service so the reminder audience can use it without a cycle.

export function detailsOf(plan: StoredPlan): StaffDetail[] {
  return plan.data.staffing ?? [];
}

/** Open_ids of the assigned staff (the exam's reminders go to them as well as the candidates). */
export function staffOpenIds(plan: StoredPlan): string[] {
  return [...new Set(detailsOf(plan).map((d) => d.openId).filter((x): x is string => Boolean(x)))];
}
