import { batchListCard, batchListLine } from '../../../cards/batch-list.card';
import { batchReviewCard } from '../../../cards/batch-review.card';
import { BATCH_STATUS_LABEL, type Batch, type BatchStatus } from '../../../domain/model';
import type { MessageContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import type { Services } from '../../services';
import { BATCH_EXPORT_JOB, issueAndTell, reviewerOf, scheduleExport } from './batch-actions.service';
import { BATCH_ISSUED_JOB } from './batch-issue.service';
import { loadReview } from './batch-review.service';

// Typed commands for what the review cards' buttons do, so a batch that has moved on is
// reached without scrolling back: 批次 · 批次 N · 导出 批次 N · 发证 批次 N (and 导出 /
// 发证 alone, which say which batches they apply to). 待审核 lives in office/pending-review.

const SHOWN = 30;
const ALL: BatchStatus[] = Object.keys(BATCH_STATUS_LABEL) as BatchStatus[];

export const CENTER_BATCH_COMMANDS = {
  list: /^\s*批次\s*$/,
  one: /^\s*批次\s*#?\s*(\d+)\s*$/,
  exportOne: /^\s*导出\s*(?:批次\s*#?\s*(\d+))?\s*$/,
  issueOne: /^\s*发证\s*(?:批次\s*#?\s*(\d+))?\s*$/,
} as const;

export function batchCommandsFeature(services: Services): Feature {
  const { store } = services;
  const staff = { roles: ['center', 'office'] as const };

  async function batchOf(ctx: MessageContext): Promise<Batch | null> {
    const id = Number(ctx.match?.[1]);
    const batch = await store.batches.get(id);
    if (!batch) await ctx.reply(`批次 #${id} 不存在。发送“批次”查看全部批次。`);
    return batch ?? null;
  }

  async function listWhere(ctx: MessageContext, status: BatchStatus, command: string): Promise<void> {
    const ready = await store.batches.listByStatus(status);
    await ctx.reply(
      ready.length
        ? `请发送“${command} 批次 N”。可以${command}的批次：\n${ready.map((b) => batchListLine(b).replace(/\*\*/g, '')).join('\n')}`
        : `请发送“${command} 批次 N”。目前没有${BATCH_STATUS_LABEL[status]}的批次；发送“批次”查看全部批次。`,
    );
  }

  return defineFeature({
    name: 'center.batch-commands',
    // 发证 here stores the job that tells everyone, 导出 the export's; the review feature runs both
    schedules: [BATCH_ISSUED_JOB, BATCH_EXPORT_JOB],
    setup(r) {
      r.onText(
        CENTER_BATCH_COMMANDS.list,
        async (ctx) => {
          const all = [...(await store.batches.listByStatus(ALL))].reverse();
          await ctx.replyCard({ ...batchListCard({ batches: all.slice(0, SHOWN), total: all.length, audience: 'center' }) });
        },
        staff,
      );

      r.onText(
        CENTER_BATCH_COMMANDS.one,
        async (ctx) => {
          const batch = await batchOf(ctx);
          if (!batch) return;
          const bundle = await loadReview(services, batch.id);
          if (!bundle) return;
          const audience = ctx.has('center') ? 'center' : 'office';
          const messageId = await ctx.replyCard({ ...batchReviewCard({ ...bundle.data, audience }) });
          // this copy follows the batch like the ones sent when it was submitted
          await store.batches.addReviewMessageId(batch.id, audience === 'office' ? `office:${messageId}` : messageId);
        },
        staff,
      );

      r.onText(
        CENTER_BATCH_COMMANDS.exportOne,
        async (ctx) => {
          if (!ctx.match?.[1]) {
            await ctx.reply('请发送“导出 批次 N”（N 为批次号），导出花名册、汇总表、综合认定表、备案表、材料包；已发证的批次另有证书清单。发送“批次”查看全部批次。');
            return;
          }
          const batch = await batchOf(ctx);
          if (!batch) return;
          // the same job as the card's 导出: a crash before the files are sent loses nothing
          await scheduleExport(services, ctx, batch, reviewerOf(ctx));
          await ctx.reply(`收到，正在生成批次 #${batch.id} 的导出文件。`);
        },
        { roles: ['center'] },
      );

      r.onText(
        CENTER_BATCH_COMMANDS.issueOne,
        async (ctx) => {
          if (!ctx.match?.[1]) {
            await listWhere(ctx, 'office_approved', '发证');
            return;
          }
          const batch = await batchOf(ctx);
          if (!batch) return;
          await issueAndTell(services, batch, batch.version, reviewerOf(ctx), {
            answer: async (result) => {
              await ctx.reply(result.ok ? `批次 #${batch.id} ${result.text}。` : result.text);
            },
          });
        },
        { roles: ['center'] },
      );
    },
  });
}
