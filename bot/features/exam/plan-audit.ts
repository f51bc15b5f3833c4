import type { Repositories, Store } from '../../../db/store';
import type { AuditAction } from '../../../domain/audit';
import type { StoredExamPlan } from '../../../domain/model/exam-plan';

/** Records one step taken on an exam plan in the audit log: who, what, on which plan, when. */
export function planAudit(
  audit: Store['audit'],
  by: { openId: string; name?: string | null },
  action: AuditAction,
  planId: number,
  detail: Record<string, unknown>,
  at: Date,
): Promise<void> {
  return audit.record({ actorOpenId: by.openId, actorName: by.name ?? null, action, entity: 'exam_plan', entityId: String(planId), detail, at });
}

/**
 * What a caller stores with a step on a plan, in the step's transaction `tx` — the jobs that
 * tell people of it (a crash after the commit loses none, and a step not taken stores none).
 */
export type PlanFollowUp = (tx: Repositories, plan: StoredExamPlan) => Promise<void>;
