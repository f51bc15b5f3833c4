import { z } from 'zod';
import type { Repositories, Store } from '../../../db/store';
import type { AuditAction } from '../../../domain/audit';
import type { Role } from '../../../domain/model';
import type { StoredExamPlan } from '../../../domain/model/exam-plan';
import { defineJob } from '../../jobs/runner';
import { sendUuid } from '../../jobs/send-uuid';
import { schedulePerRecipient } from '../../jobs/text-notice';
import type { LarkApi } from '../../ports';

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

// A step that puts a plan before people (filed → the center, a quota request → 教务处) stores
// one job per person with it; each sends that person a card of the plan as it stands then.

const planCardPayload = z.object({ planId: z.number().int().positive(), recipient: z.string().min(1) });

/** Stores, in the step's transaction `tx`, one `kind` job per holder of `role`, under `${key}:${openId}`. */
export async function schedulePlanCards(tx: Repositories, kind: string, key: string, role: Role, plan: StoredExamPlan, now: Date): Promise<void> {
  const holders = (await tx.roles.listByRole(role)).map((r) => r.openId);
  await schedulePerRecipient(tx, kind, key, holders, planCardPayload, (recipient) => ({ planId: plan.id, recipient }), now);
}

/** The job that sends one person the card `cardOf` makes of a plan (null: the plan has none to send). */
export function planCardJob<S extends { store: Pick<Store, 'exams'>; lark: Pick<LarkApi, 'send'> }>(cardOf: (plan: StoredExamPlan, services: S) => object | null | Promise<object | null>) {
  return defineJob(planCardPayload, async ({ key, payload: p }, services: S) => {
    const plan = await services.store.exams.getPlan(p.planId);
    const card = plan && (await cardOf(plan, services));
    if (!card) throw new Error(`exam plan ${p.planId} no longer exists or has no card to send`);
    await services.lark.send('open_id', p.recipient, { kind: 'card', card: { ...card } }, { uuid: sendUuid(key) });
  });
}
