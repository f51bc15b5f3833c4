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
import { BATCH_STATUS_LABEL, type Batch } from '../../../domain/model';
import { ISSUE_STAGE, reviewStageOf } from '../../../domain/batch-stages';
import type { ActionContext } from '../../context';
import { defineFeature, type ActionSpec, type Feature } from '../../router';
import type { Services } from '../../services';
import { sendExport, BATCH_EXPORT_JOB, issueAndTell, reviewerOf, scheduleExport } from './batch-actions.service';
import { BATCH_DECIDED_JOB, BATCH_SUBMITTED_JOB, describeBatch, scheduleDecided, sendDecidedNotices, sendSubmittedCards } from './batch-notify.service';
import { applicationDateOf, loadReview, type ReviewOptions } from './batch-review.service';
import { issueGateOf } from '../../services/material-gate';
import { BATCH_ISSUED_JOB, sendIssuedNotices } from './batch-issue.service';
import { WAIVER_REASON_MAX } from '../../../domain/materials/issue-gate';

// 审核 (center) → 复审 (office) → 发证 (center), decided with the buttons of the review
// card. Who may decide is read from the operator's roles, never from the card; the
// card's value only names the batch and the version it showed, and the decision is a
// compare-and-set on that version, so two clicks at once make one decision.

type Stage = NonNullable<ReturnType<typeof reviewStageOf>>;



export function batchReviewFeature(services: Services): Feature {
  const { store, clock, log } = services;


  async function cardFor(ctx: ActionContext<unknown, unknown>, batchId: number, opts: ReviewOptions = {}) {
    const bundle = await loadReview(services, batchId, opts);
    // the clicked copy belongs to the clicker: an office reviewer's copy shows the 复审 buttons
    const audience = ctx.has('office') && !ctx.has('center') ? 'office' : 'center';
    return bundle ? { ...batchReviewCard({ ...bundle.data, audience }) } : null;
  }

  async function fresh(ctx: ActionContext<unknown, unknown>, batchId: number, opts: ReviewOptions = {}): Promise<void> {
    const card = await cardFor(ctx, batchId, opts);
    if (card) await ctx.updateCard(card);
  }

  /** a click on the batch the card shows, in the state it showed */
  const onBatch: ActionSpec<BatchActionValue, Batch> = {
    value: batchActionValue,
    version: BATCH_REVIEW_CARD_VERSION,
    roles: ['center', 'office'],
    load: (v) => store.batches.get(v.batchId),
    current: (batch, v) => batch.version === v.version,
    fresh: (ctx) => (ctx.record ? cardFor(ctx, ctx.record.id) : null),
  };
  /** a click that does not change the batch: any copy of its card will do */
  const onAnyCopy: ActionSpec<BatchActionValue, Batch> = { ...onBatch, current: undefined };

  /** The stage this actor may decide now, or null after answering why not. */
  async function decidable(ctx: ActionContext<unknown, unknown>, batch: Batch): Promise<Stage | null> {
    const stage = reviewStageOf(batch.status);
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

  async function decide(ctx: ActionContext<unknown, unknown>, batch: Batch, stage: Stage, version: number, decision: 'approve' | 'return', reason: string | null): Promise<void> {
    const actor = reviewerOf(ctx);
    const to = decision === 'approve' ? stage.approveTo : 'returned';
    const action = decision === 'approve' ? stage.approveAction : stage.returnAction;
    const now = clock.now();
    // the decision, its audit and the job that tells the college (and sends the office its
    // cards) commit together: a crash after the click loses none of them
    const result = await store.transaction(async (tx) => {
      const moved = await tx.batches.transition(batch.id, { from: [stage.from], to, actor, reason, action, version, now });
      if (!moved.ok) return moved;
      await tx.audit.record({ actorOpenId: actor.openId, actorName: actor.name, action: `batch.${action}`, entity: 'batch', entityId: String(batch.id), detail: { from: stage.from, to, reason }, at: now });
      const what = describeBatch(moved.batch);
      const by = `操作人：${stage.who} ${actor.name ?? ''}`.trim();
      const text =
        to === 'center_approved'
          ? `【审核通过】${what}已通过认定中心审核，已转领导小组办公室复审。${by}`
          : decision === 'approve'
            ? `【复审通过】${what}已通过领导小组办公室复审，等待认定中心发证。${by}`
            : `【批次退回】${what}被${stage.who}退回。\n退回原因：${reason}\n请按原因修改后重新提交。${by}`;
      await scheduleDecided(tx, moved.batch, { text, toOffice: to === 'center_approved', skip: ctx.click.messageId }, now);
      return moved;
    });
    if (!result.ok) {
      ctx.toast('info', `该批次已被他人处理，当前状态：${BATCH_STATUS_LABEL[result.current.status]}。`);
      await fresh(ctx, batch.id);
      return;
    }
    await ctx.ack({ toast: { type: 'success', text: decision === 'approve' ? `已${stage.verb}通过` : '已退回学院' }, card: (await cardFor(ctx, batch.id)) ?? undefined });
  }

  return defineFeature({
    name: 'center.batch-review',
    needs: ['statusChanged'],
    actions: BATCH_ACTION_IDS,
    jobs: { [BATCH_EXPORT_JOB]: sendExport, [BATCH_ISSUED_JOB]: sendIssuedNotices, [BATCH_DECIDED_JOB]: sendDecidedNotices, [BATCH_SUBMITTED_JOB]: sendSubmittedCards },
    setup(r) {
      r.onAction(
        BATCH_ACTIONS.approve,
        onBatch,
        async (ctx) => {
          const stage = await decidable(ctx, ctx.record);
          if (stage) await decide(ctx, ctx.record, stage, ctx.value.version, 'approve', null);
        },
      );

      r.onAction(
        BATCH_ACTIONS.returnForm,
        onBatch,
        async (ctx) => {
          if (await decidable(ctx, ctx.record)) await fresh(ctx, ctx.record.id, { returning: true });
        },
      );

      r.onAction(
        BATCH_ACTIONS.returnSubmit,
        onBatch,
        async (ctx) => {
          const stage = await decidable(ctx, ctx.record);
          if (!stage) return;
          const raw = ctx.formValue[RETURN_REASON_FIELD];
          const reason = typeof raw === 'string' ? raw.trim() : '';
          if (!reason) {
            ctx.toast('error', '请填写退回原因。');
            await fresh(ctx, ctx.record.id, { returning: true });
            return;
          }
          await decide(ctx, ctx.record, stage, ctx.value.version, 'return', reason.slice(0, 500));
        },
      );

      r.onAction(BATCH_ACTIONS.refresh, onAnyCopy, (ctx) => fresh(ctx, ctx.record.id));

      r.onAction(
        BATCH_ACTIONS.issue,
        onBatch,
        async (ctx) => {
          if (!ctx.has('center')) {
            ctx.toast('error', '只有认定中心老师可以发证。');
            return;
          }
          if (ctx.record.status !== ISSUE_STAGE.from) {
            ctx.toast('info', `该批次当前状态：${BATCH_STATUS_LABEL[ctx.record.status]}，不能发证。`);
            await fresh(ctx, ctx.record.id);
            return;
          }
          // answered once the batch and the job that tells everyone are committed together
          await issueAndTell(services, ctx.record, ctx.value.version, reviewerOf(ctx), {
            skip: ctx.click.messageId,
            answer: async (result) => {
              const toast = { type: result.ok ? ('success' as const) : result.stale ? ('info' as const) : ('error' as const), text: result.text };
              await ctx.ack({ toast, card: (await cardFor(ctx, ctx.record.id)) ?? undefined });
            },
          });
        },
      );

      /** 缺材料例外: only center staff, only while the batch waits for 发证, only for a student missing something now. */
      async function waivable(ctx: ActionContext<unknown, unknown>, batch: Batch): Promise<boolean> {
        if (!ctx.has('center')) {
          ctx.toast('error', '只有认定中心老师可以登记缺材料例外。');
          return false;
        }
        if (batch.status !== ISSUE_STAGE.from) {
          ctx.toast('info', `该批次当前状态：${BATCH_STATUS_LABEL[batch.status]}，只有待发证的批次可以登记缺材料例外。`);
          await fresh(ctx, batch.id);
          return false;
        }
        return true;
      }

      r.onAction(
        BATCH_ACTIONS.waiveForm,
        onBatch,
        async (ctx) => {
          if (await waivable(ctx, ctx.record)) await fresh(ctx, ctx.record.id, { waiving: true });
        },
      );

      r.onAction(
        BATCH_ACTIONS.waiveSubmit,
        onBatch,
        async (ctx) => {
          if (!(await waivable(ctx, ctx.record))) return;
          const studentNo = typeof ctx.formValue[WAIVER_STUDENT_FIELD] === 'string' ? String(ctx.formValue[WAIVER_STUDENT_FIELD]) : '';
          const rawReason = ctx.formValue[WAIVER_REASON_FIELD];
          const reason = typeof rawReason === 'string' ? rawReason.trim().slice(0, WAIVER_REASON_MAX) : '';
          const gate = await issueGateOf(store, ctx.record, await applicationDateOf(services));
          const student = gate.blocked.find((s) => s.studentNo === studentNo);
          if (!student) {
            ctx.toast('error', gate.blocked.length ? '请选择一名仍缺材料、尚未登记例外的学生。' : '该批次已没有缺材料的学生，可以直接发证。');
            await fresh(ctx, ctx.record.id, { waiving: gate.blocked.length > 0, draft: { reason } });
            return;
          }
          if (!reason) {
            ctx.toast('error', '请填写例外原因。');
            await fresh(ctx, ctx.record.id, { waiving: true, draft: { studentNo } });
            return;
          }
          const actor = reviewerOf(ctx);
          const now = clock.now();
          await store.transaction(async (tx) => {
            await tx.materialWaivers.record({ batchId: ctx.record.id, studentNo, reason, missing: student.missing, actorOpenId: actor.openId, actorName: actor.name, now });
            await tx.audit.record({
              actorOpenId: actor.openId,
              actorName: actor.name,
              action: 'batch.material_waiver',
              entity: 'batch',
              entityId: String(ctx.record.id),
              detail: { studentNo, missing: student.missing, reason },
              at: now,
            });
          });
          ctx.toast('success', `已登记 ${student.name} 的缺材料例外`);
          await fresh(ctx, ctx.record.id, { waiving: gate.blocked.length > 1 });
        },
      );

      r.onAction(
        BATCH_ACTIONS.export,
        onAnyCopy,
        async (ctx) => {
          // answered once the export is stored as a job: a crash after the click loses nothing
          await scheduleExport(services, ctx, ctx.record, reviewerOf(ctx));
          await ctx.ack({ toast: '收到，正在生成导出文件，稍后发到本会话。' });
        },
      );
    },
  });
}
