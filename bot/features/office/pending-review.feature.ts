import { awaitingReview } from '../../../domain/batch-stages';
import { defineFeature, type Feature } from '../../router';
import type { Services } from '../../services';
import { sendReviewCards } from '../center/batch-notify.service';

// “待复审” / “待审核”: the review cards of the batches waiting for the asker's role, sent
// again (e.g. to a reviewer added after the batch was submitted).

export function pendingReviewFeature(services: Services): Feature {
  return defineFeature({
    name: 'office.pending-review',
    setup(r) {
      r.onText(
        /^\s*(待复审|待审核)\s*$/,
        async (ctx) => {
          const office = ctx.match?.[1] === '待复审';
          const role = office ? 'office' : 'center';
          if (!ctx.has(role)) {
            await ctx.reply(office ? '只有领导小组办公室老师可以复审。' : '只有认定中心老师可以审核。');
            return;
          }
          const batches = await services.store.batches.listByStatus(awaitingReview(role));
          if (batches.length === 0) {
            await ctx.reply(office ? '目前没有待复审的批次。' : '目前没有待审核的批次。');
            return;
          }
          await ctx.reply(`共 ${batches.length} 个批次${office ? '待复审' : '待审核'}，审核卡片随后发给你。`);
          for (const b of batches) await sendReviewCards(services, b.id, role, { only: ctx.actor.openId });
        },
        { roles: ['center', 'office'] },
      );
    },
  });
}
