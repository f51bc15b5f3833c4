import { SCHEME_REVIEW_ACTIONS, SCHEME_REVIEW_VERSION, schemeApproveValue, schemeReviewCard, type SchemeReviewData } from '../../../cards/scheme-review.card';
import { refuse, defineFeature, type Feature } from '../../router';
import type { Store } from '../../../db/store';
import type { Services } from '../../services';
import { approveScheme } from '../../services/scheme-review.service';

// 方案审核: every scheme waiting for the center gets a card (both course tables, the
// national-standard mapping, the changes); 审核通过 puts that version in force and sends
// 附件2. The click names the version it saw: a newer draft makes it stale.

const center = ['center'] as const;
const MAX_CARDS = 10;

/** The version of `code` waiting for approval, as the card shows it; undefined when nothing waits. */
async function pending(services: { store: Pick<Store, 'schemes'> }, code: string): Promise<SchemeReviewData | undefined> {
  const { store } = services;
  const scheme = await store.schemes.get(code);
  if (!scheme) return undefined;
  const draft = await store.schemes.draft(code);
  if (draft) return { scheme: draft.scheme, version: draft.version, changes: draft.changes, inForce: scheme.version };
  if (scheme.status === 'draft') return { scheme, version: scheme.version, changes: [], inForce: null };
  return undefined;
}

export function schemeReviewFeature(services: Services): Feature {
  const { store, clock, config } = services;
  return defineFeature({
    name: 'center.scheme-review',
    actions: [SCHEME_REVIEW_ACTIONS.approve],
    setup(r) {
      r.onText(
        /^\s*(方案审核|审核方案)\s*$/,
        async (ctx) => {
          const codes = [...new Set([...(await store.schemes.listDrafts()).map((d) => d.code), ...(await store.schemes.list()).filter((s) => s.status === 'draft').map((s) => s.code)])].sort();
          if (codes.length === 0) {
            await ctx.reply('没有待审核的考核方案。学院导入的新方案或对已审核方案的修改会出现在这里。');
            return;
          }
          if (codes.length > MAX_CARDS) await ctx.reply(`共 ${codes.length} 个方案待审核，先列出前 ${MAX_CARDS} 个；其余可用命令 npm run cert -- scheme list 查看。`);
          for (const code of codes.slice(0, MAX_CARDS)) {
            const data = await pending(services, code);
            if (data) await ctx.replyCard({ ...schemeReviewCard(data) });
          }
        },
        { roles: center },
      );

      r.onAction(
        SCHEME_REVIEW_ACTIONS.approve,
        {
          value: schemeApproveValue,
          version: SCHEME_REVIEW_VERSION,
          roles: center,
          load: async (v) => (await store.schemes.get(v.code)) ?? refuse(`没有代码为 ${v.code} 的考核方案`),
          fresh: async (ctx) => {
            const code = ctx.value.code;
            const data = code ? await pending(services, code) : undefined;
            return data ? { ...schemeReviewCard(data) } : null;
          },
        },
        async (ctx) => {
          const waiting = await pending(services, ctx.value.code);
          if (!waiting) {
            ctx.toast('info', `方案 ${ctx.value.code} 没有待审核的版本`);
            return;
          }
          if (waiting.version !== ctx.value.version) {
            ctx.toast('warning', `方案 ${ctx.value.code} 已有更新的第 ${waiting.version} 版待审核，请核对后再审核`);
            await ctx.updateCard({ ...schemeReviewCard(waiting) });
            return;
          }
          const name = ctx.actor.roles.find((role) => role.role === 'center')?.name ?? null;
          const approved = await approveScheme(store, ctx.value.code, { openId: ctx.actor.openId, name }, { schoolName: config.schoolName, now: clock.now() });
          if (!approved.ok) {
            ctx.toast('error', approved.message);
            return;
          }
          ctx.toast('success', `方案 ${ctx.value.code} 第 ${approved.scheme.version} 版审核通过`);
          await ctx.updateCard({ ...schemeReviewCard({ ...waiting, approved: { by: name ?? '认定中心', message: approved.message } }) });
          await ctx.sendFile(approved.file.bytes, approved.file.fileName);
        },
      );
    },
  });
}
