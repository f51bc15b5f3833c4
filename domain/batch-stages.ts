// A batch's way through the school (seed 000 §四): the college submits; the 认定中心 reviews
// (审核); the 领导小组办公室 reviews again (复审); the 认定中心 issues (发证). Either review
// may return it to the college, which resubmits a corrected batch. This table is the one
// home of who decides what in which state; the repository enforces each move as a
// compare-and-set on the batch's version.
import type { BatchStatus, Role } from './model';

export type BatchAction = 'center_approve' | 'center_return' | 'office_approve' | 'office_return' | 'issue' | 'resubmit';

export interface BatchStage {
  /** the state waiting for this decision */
  from: BatchStatus;
  /** who decides it */
  role: Extract<Role, 'center' | 'office'>;
  /** the decider as the messages name them */
  who: string;
  /** the decision's name: 审核, 复审, 发证 */
  verb: string;
  approveTo: BatchStatus;
  approveAction: BatchAction;
  /** null where the stage cannot return the batch (发证) */
  returnAction: Extract<BatchAction, 'center_return' | 'office_return'> | null;
}

export const BATCH_STAGES: readonly BatchStage[] = [
  { from: 'submitted', role: 'center', who: '认定中心', verb: '审核', approveTo: 'center_approved', approveAction: 'center_approve', returnAction: 'center_return' },
  { from: 'center_approved', role: 'office', who: '领导小组办公室', verb: '复审', approveTo: 'office_approved', approveAction: 'office_approve', returnAction: 'office_return' },
  { from: 'office_approved', role: 'center', who: '认定中心', verb: '发证', approveTo: 'issued', approveAction: 'issue', returnAction: null },
];

/** A returned batch goes back into the walk when the college resubmits it. */
export const RESUBMIT = { from: 'returned', to: 'submitted', action: 'resubmit' } as const satisfies { from: BatchStatus; to: BatchStatus; action: BatchAction };

/** The decision waiting in this state, if any (issued and returned batches wait for none). */
export function stageOf(status: BatchStatus): BatchStage | undefined {
  return BATCH_STAGES.find((s) => s.from === status);
}

/** The review (审核 or 复审) waiting in this state: a stage that can approve or return. */
export function reviewStageOf(status: BatchStatus): (BatchStage & { returnAction: NonNullable<BatchStage['returnAction']> }) | undefined {
  const stage = stageOf(status);
  return stage && stage.returnAction ? (stage as BatchStage & { returnAction: NonNullable<BatchStage['returnAction']> }) : undefined;
}

/** The 发证 stage. */
export const ISSUE_STAGE = stageOf('office_approved')!;

/** Which role decides a batch in this state, if anyone does. */
export function deciderOf(status: BatchStatus): BatchStage['role'] | null {
  return stageOf(status)?.role ?? null;
}

/** The state whose batches wait for this role's review (审核 → submitted, 复审 → center_approved). */
export function awaitingReview(role: BatchStage['role']): BatchStatus {
  return BATCH_STAGES.find((s) => s.role === role && s.returnAction !== null)!.from;
}
