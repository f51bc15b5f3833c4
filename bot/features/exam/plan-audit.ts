import type { Store } from '../../../db/store';
import type { AuditAction } from '../../../domain/audit';

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
