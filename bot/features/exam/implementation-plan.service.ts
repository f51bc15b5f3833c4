import type { StoredExamPlan as StoredPlan } from '../../../domain/model/exam-plan';
import type { Store } from '../../../db/store';
import { settlementRows, splitByFeePayer } from '../../../domain/exam/fees';
import { writeImplementationPlan } from '../../../domain/exam/implementation-plan.xlsx';
import { SESSION_LABEL } from '../../../domain/exam/plan-rules';
import { defaultWorkItems, type WorkItem } from '../../../domain/exam/work-items';
import { safeFileName } from '../../../domain/materials/naming';
import { beijingDate } from '../../../domain/time';
import { hhmm, type ExamFile, type PaperDeps } from './exam-candidates.service';
import { feeAssignments } from './exam-plan.feature';
import { feeSheetInputOf } from './exam-staff.service';
import { planAudit } from './plan-audit';

// 考核实施方案 from a stored plan: sessions and headcount, the team, the work items (the
// college's edited list, else the defaults with owners from the team) and the fee sheet.

/** The work items the plan prints: the college's edited list, else the defaults with the team's names. */
export async function workItemsOf(store: Pick<Store, 'exams'>, plan: StoredPlan): Promise<WorkItem[]> {
  if (plan.data.workItems?.length) return plan.data.workItems;
  const team = await feeAssignments({ store }, plan);
  const named = (role: string) => team.filter((t) => t.role === role && !t.name.startsWith('（待定）')).map((t) => t.name);
  const owner = plan.data.ownerName ?? '';
  return defaultWorkItems({ owner, chief: named('chiefExaminer'), inspector: named('inspector'), invigilators: [...new Set(named('invigilator'))], examStaff: named('examStaff') });
}

export type WorkItemsOutcome = { ok: true; items: WorkItem[] } | { ok: false; message: string };

/** Replaces the plan's work items (audited). */
export async function saveWorkItems(store: Pick<Store, 'exams' | 'audit'>, plan: StoredPlan, items: WorkItem[], by: { openId: string; name?: string | null }, now: Date): Promise<WorkItemsOutcome> {
  const updated = await store.exams.updatePlan(plan.id, { data: { ...plan.data, workItems: items } }, { expectedVersion: plan.version, now });
  if (!updated) return { ok: false, message: '考试计划刚被他人修改，请重试。' };
  await planAudit(store.audit, by, 'exam.work_items', plan.id, { items: items.length }, now);
  return { ok: true, items };
}

/** 负责人 3 考前预备会 张三: the owner of one named item changes. */
export async function setWorkItemOwner(store: Pick<Store, 'exams' | 'audit'>, plan: StoredPlan, item: string, owner: string, by: { openId: string; name?: string | null }, now: Date): Promise<WorkItemsOutcome> {
  const items = await workItemsOf(store, plan);
  const found = items.filter((w) => w.item === item.trim());
  if (found.length === 0) return { ok: false, message: `实施方案中没有工作项目「${item}」。现有项目：${items.map((w) => w.item).join('、')}` };
  if (!owner.trim()) return { ok: false, message: '请写负责人姓名。' };
  return saveWorkItems(store, plan, items.map((w) => (w.item === item.trim() ? { ...w, owner: owner.trim() } : w)), by, now);
}

export async function implementationPlanFile(deps: PaperDeps, plan: StoredPlan): Promise<ExamFile> {
  const { store, config } = deps;
  const sessions = (await store.exams.listSessions(plan.id)).filter((s) => s.status !== 'cancelled');
  const candidates = await store.exams.listCandidates(plan.id);
  const team = await feeAssignments({ store }, plan);
  const bytes = await writeImplementationPlan({
    school: config.schoolName,
    college: plan.college,
    certificate: plan.certificate,
    level: plan.level,
    owner: plan.data.ownerName ?? plan.owner,
    candidates: candidates.length,
    selfPaying: splitByFeePayer(candidates).self.length,
    sessions: sessions.map((s) => ({
      label: SESSION_LABEL[s.kind === 'theory' ? 'theory' : 'skill'],
      date: beijingDate(s.startsAt),
      start: hhmm(s.startsAt),
      end: hhmm(s.endsAt),
      place: s.place,
      rooms: s.rooms,
      candidates: candidates.length,
    })),
    staff: team,
    workItems: await workItemsOf(store, plan),
    fees: feeSheetInputOf(plan, sessions, settlementRows(team)),
  });
  return { fileName: safeFileName(`1+X计划${plan.id}-${plan.certificate}${plan.level}-考核实施方案.xlsx`), bytes };
}
