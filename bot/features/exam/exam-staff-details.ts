import type { ExamPlan as StoredPlan } from '../../../db/records';
import type { StaffRole } from '../../../domain/exam/staffing';
import type { Part } from '../../../domain/model';

// What plan.data.staffing says about each assigned person (which sessions, which Feishu
// user), read apart from the staff service so the reminder audience can use it without a cycle.

const PARTS: readonly Part[] = ['theory', 'skill'];

export interface StoredDetail {
  staffNo: string;
  role: StaffRole;
  parts: Part[];
  openId: string | null;
}

export function detailsOf(plan: StoredPlan): StoredDetail[] {
  const raw = plan.data.staffing;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((x): StoredDetail[] => {
    const d = x as Partial<StoredDetail>;
    if (typeof d.staffNo !== 'string' || typeof d.role !== 'string' || !Array.isArray(d.parts)) return [];
    return [{ staffNo: d.staffNo, role: d.role as StaffRole, parts: d.parts.filter((p): p is Part => PARTS.includes(p as Part)), openId: typeof d.openId === 'string' ? d.openId : null }];
  });
}

/** Open_ids of the assigned staff (the exam's reminders go to them as well as the candidates). */
export function staffOpenIds(plan: StoredPlan): string[] {
  return [...new Set(detailsOf(plan).map((d) => d.openId).filter((x): x is string => Boolean(x)))];
}
