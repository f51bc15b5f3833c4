import {
  BATCH_ACTION_IDS,
  BATCH_ACTIONS,
  BATCH_REVIEW_CARD_VERSION,
  batchActionValue,
  batchReviewCard,
  RETURN_REASON_FIELD,
  WAIVER_REASON_FIELD,
  WAIVER_STUDENT_FIELD,
  type BatchActionValue,
} from '../../../cards/batch-review.card';
import { BATCH_STATUS_LABEL, type Batch, type BatchStatus, type Role } from '../../../domain/model';
import type { ActionContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import type { Services } from '../../services';
import { hooks, provideHook } from '../../workflow/hooks';
import { exportToChat, issueAndTell, reviewerOf } from './batch-actions.service';
import { describeBatch, notifyCollege, refreshCopies, sendReviewCards } from './batch-notify.service';
import { loadReview, type ReviewOptions } from './batch-review.service';
import { issueGateOf } from '../../services/material-gate';
import { WAIVER_REASON_MAX } from '../../../domain/materials/issue-gate';

// 审核 (center) → 复审 (office) → 发证 (center), decided with the buttons of the review
// card. Who may decide is read from the operator's roles, never from the card; the
// card's value only names the batch and the version it showed, and the decision is a
// compare-and-set on that version, so two clicks at once make one decision.

interface Stage {
  from: BatchStatus;
  role: Role;
  approveTo: BatchStatus;
  approveAction: string;
  returnAction: string;
  who: string;
}

const STAGES: Stage[] = [
  { from: 'submitted', role: 'center', approveTo: 'center_approved', approveAction: 'center_approve', returnAction: 'center_return', who: '认定中心' },
  { from: 'center_approved', role: 'office', approveTo: 'office_approved', approveAction: 'office_approve', returnAction: 'office_return', who: '领导小组办公室' },
];

const stageOf = (b: Batch) => STAGES.find((s) => s.from === b.status);

export { BATCH_EXPORTS } from './batch-actions.service';


export function batchReviewFeature(services: Services): Feature {
  const { store, clock, log } = services;

  provideHook('batchSubmitted', async (s, batchId) => {
    await sendReviewCards(s, batchId, 'center');
  });

  async function fresh(ctx: ActionContext, batchId: number, opts: ReviewOptions = {}): Promise<Batch | undefined> {
    const bundle = await loadReview(services, batchId, opts);
    // the clicked copy belongs to the clicker: an office reviewer's copy shows the 复审 buttons
    const audience = ctx.has('office') && !ctx.has('center') ? 'office' : 'center';
    if (bundle) await ctx.updateCard({ ...batchReviewCard({ ...bundle.data, audience }) });
    return bundle?.data.batch;
  }

  /** The value, or null after answering a click that must not be acted on. */
  async function parse(ctx: ActionContext): Promise<{ value: BatchActionValue; batch: Batch } | null> {
    const parsed = batchActionValue.safeParse(ctx.value);
    if (!parsed.success) {
      ctx.toast('error', '无法识别这个操作，请在最新的审核卡片上操作。');
      return null;
    }
    const value = parsed.data;
    const batch = await store.batches.get(value.batchId);
    if (!batch) {
      ctx.toast('error', `批次 #${value.batchId} 不存在。`);
      return null;
    }
    if (value.v !== BATCH_REVIEW_CARD_VERSION || value.version !== batch.version) {
      ctx.toast('info', `卡片已过期，已刷新为最新状态：${BATCH_STATUS_LABEL[batch.status]}。`);
      await fresh(ctx, batch.id);
      return null;
    }
    return { value, batch };
  }

  /** The stage this actor may decide now, or null after answering why not. */
  async function decidable(ctx: ActionContext, batch: Batch): Promise<Stage | null> {
    const stage = stageOf(batch);
    if (!stage) {
      ctx.toast('info', `该批次当前状态：${BATCH_STATUS_LABEL[batch.status]}，无需再审核。`);
      await fresh(ctx, batch.id);
      return null;
    }
    if (!ctx.has(stage.role)) {
      ctx.toast('error', `该批次${BATCH_STATUS_LABEL[batch.status]}，只有${stage.who}老师可以操作。`);
      return null;
    }
    return stage;
  }

  async function decide(ctx: ActionContext, batch: Batch, stage: Stage, version: number, decision: 'approve' | 'return', reason: string | null): Promise<void> {
    const actor = reviewerOf(ctx);
    const to = decision === 'approve' ? stage.approveTo : 'returned';
    const action = decision === 'approve' ? stage.approveAction : stage.returnAction;
    const result = await store.batches.transition(batch.id, { from: [stage.from], to, actor, reason, action, version, now: clock.now() });
    if (!result.ok) {
      ctx.toast('info', `该批次已被他人处理，当前状态：${BATCH_STATUS_LABEL[result.current.status]}。`);
      await fresh(ctx, batch.id);
      return;
    }
    ctx.toast('success', decision === 'approve' ? `已${stage.from === 'submitted' ? '审核' : '复审'}通过` : '已退回学院');
    await fresh(ctx, batch.id);
    await store.audit.record({ actorOpenId: actor.openId, actorName: actor.name, action: `batch.${action}`, entity: 'batch', entityId: String(batch.id), detail: { from: stage.from, to, reason }, at: clock.now() });

    const updated = result.batch;
    const what = describeBatch(updated);
    const by = `操作人：${stage.who} ${actor.name ?? ''}`.trim();
    if (decision === 'approve' && to === 'center_approved') {
      await notifyCollege(services, updated, `【审核通过】${what}已通过认定中心审核，已转领导小组办公室复审。${by}`, `decided:${batch.id}:${updated.version}`);
      await sendReviewCards(services, batch.id, 'office', { skip: ctx.click.messageId });
    } else {
      const text =
        decision === 'approve'
          ? `【复审通过】${what}已通过领导小组办公室复审，等待认定中心发证。${by}`
          : `【批次退回】${what}被${stage.who}退回。\n退回原因：${reason}\n请按原因修改后重新提交。${by}`;
      await notifyCollege(services, updated, text, `decided:${batch.id}:${updated.version}`);
      await refreshCopies(services, batch.id, ctx.click.messageId);
    }
  }

  return defineFeature({
    name: 'center.batch-review',
    actions: BATCH_ACTION_IDS,
    setup(r) {
      const reviewers = { roles: ['center', 'office'] as const };

      r.onAction(
        BATCH_ACTIONS.approve,
        async (ctx) => {
          const got = await parse(ctx);
          if (!got) return;
          const stage = await decidable(ctx, got.batch);
          if (stage) await decide(ctx, got.batch, stage, got.value.version, 'approve', null);
        },
        reviewers,
      );

      r.onAction(
        BATCH_ACTIONS.returnForm,
        async (ctx) => {
          const got = await parse(ctx);
          if (!got) return;
          if (await decidable(ctx, got.batch)) await fresh(ctx, got.batch.id, { returning: true });
        },
        reviewers,
      );

      r.onAction(
        BATCH_ACTIONS.returnSubmit,
        async (ctx) => {
          const got = await parse(ctx);
          if (!got) return;
          const stage = await decidable(ctx, got.batch);
          if (!stage) return;
          const raw = ctx.formValue[RETURN_REASON_FIELD];
          const reason = typeof raw === 'string' ? raw.trim() : '';
          if (!reason) {
            ctx.toast('error', '请填写退回原因。');
            await fresh(ctx, got.batch.id, { returning: true });
            return;
          }
          await decide(ctx, got.batch, stage, got.value.version, 'return', reason.slice(0, 500));
        },
        reviewers,
      );

      r.onAction(
        BATCH_ACTIONS.refresh,
        async (ctx) => {
          const parsed = batchActionValue.safeParse(ctx.value);
          if (!parsed.success || !(await fresh(ctx, parsed.data.batchId))) ctx.toast('error', '批次不存在。');
        },
        reviewers,
      );

      r.onAction(
        BATCH_ACTIONS.issue,
        async (ctx) => {
          const got = await parse(ctx);
          if (!got) return;
          if (!ctx.has('center')) {
            ctx.toast('error', '只有认定中心老师可以发证。');
            return;
          }
          if (got.batch.status !== 'office_approved') {
            ctx.toast('info', `该批次当前状态：${BATCH_STATUS_LABEL[got.batch.status]}，不能发证。`);
            await fresh(ctx, got.batch.id);
            return;
          }
          await issueAndTell(services, got.batch, got.value.version, reviewerOf(ctx), {
            skip: ctx.click.messageId,
            answer: async (result) => {
              ctx.toast(result.ok ? 'success' : result.stale ? 'info' : 'error', result.text);
              await fresh(ctx, got.batch.id);
            },
          });
        },
        reviewers,
      );

      /** 缺材料例外: only center staff, only while the batch waits for 发证, only for a student missing something now. */
      async function waivable(ctx: ActionContext, batch: Batch): Promise<boolean> {
        if (!ctx.has('center')) {
          ctx.toast('error', '只有认定中心老师可以登记缺材料例外。');
          return false;
        }
        if (batch.status !== 'office_approved') {
          ctx.toast('info', `该批次当前状态：${BATCH_STATUS_LABEL[batch.status]}，只有待发证的批次可以登记缺材料例外。`);
          await fresh(ctx, batch.id);
          return false;
        }
        return true;
      }

      r.onAction(
        BATCH_ACTIONS.waiveForm,
        async (ctx) => {
          const got = await parse(ctx);
          if (got && (await waivable(ctx, got.batch))) await fresh(ctx, got.batch.id, { waiving: true });
        },
        reviewers,
      );

      r.onAction(
        BATCH_ACTIONS.waiveSubmit,
        async (ctx) => {
          const got = await parse(ctx);
          if (!got || !(await waivable(ctx, got.batch))) return;
          const studentNo = typeof ctx.formValue[WAIVER_STUDENT_FIELD] === 'string' ? String(ctx.formValue[WAIVER_STUDENT_FIELD]) : '';
          const rawReason = ctx.formValue[WAIVER_REASON_FIELD];
          const reason = typeof rawReason === 'string' ? rawReason.trim().slice(0, WAIVER_REASON_MAX) : '';
          const gate = await issueGateOf(store, got.batch);
          const student = gate.blocked.find((s) => s.studentNo === studentNo);
          if (!student) {
            ctx.toast('error', gate.blocked.length ? '请选择一名仍缺材料、尚未登记例外的学生。' : '该批次已没有缺材料的学生，可以直接发证。');
            await fresh(ctx, got.batch.id);
            return;
          }
          if (!reason) {
            ctx.toast('error', '请填写例外原因。');
            await fresh(ctx, got.batch.id, { waiving: true });
            return;
          }
          const actor = reviewerOf(ctx);
          const now = clock.now();
          await store.transaction(async (tx) => {
            await tx.materialWaivers.record({ batchId: got.batch.id, studentNo, reason, missing: student.missing, actorOpenId: actor.openId, actorName: actor.name, now });
            await tx.audit.record({
              actorOpenId: actor.openId,
              actorName: actor.name,
              action: 'batch.material_waiver',
              entity: 'batch',
              entityId: String(got.batch.id),
              detail: { studentNo, missing: student.missing, reason },
              at: now,
            });
          });
          ctx.toast('success', `已登记 ${student.name} 的缺材料例外`);
          await fresh(ctx, got.batch.id, { waiving: gate.blocked.length > 1 });
        },
        reviewers,
      );

      r.onAction(
        BATCH_ACTIONS.export,
        async (ctx) => {
          const parsed = batchActionValue.safeParse(ctx.value);
          const batch = parsed.success ? await store.batches.get(parsed.data.batchId) : undefined;
          if (!batch) {
            ctx.toast('error', '批次不存在。');
            return;
          }
          ctx.toast('info', '收到，正在生成导出文件，稍后发到本会话。');
          await exportToChat(services, ctx, batch, reviewerOf(ctx));
        },
        reviewers,
      );
    },
  });
}
