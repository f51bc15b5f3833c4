import {
  MATERIALS_REVIEW_ACTION_IDS,
  MATERIALS_REVIEW_ACTIONS,
  MATERIALS_REVIEW_CARD_VERSION,
  REJECT_REASON_FIELD,
  REJECT_REASON_MAX,
  materialsReviewCard,
  materialsReviewValue,
  type MaterialsReviewData,
} from '../../../cards/materials-review.card';
import { MATERIAL_LABEL } from '../../../domain/model';
import type { ActionContext, MessageContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import type { Services } from '../../services';
import { hooks } from '../../workflow/hooks';
import { collegeStaffOf, type CollegeStaff } from './college-scope';
import { decideMaterial, loadReview, NOT_YOUR_MATERIAL, ownMaterial, rejectionMessage, type Decision } from './materials-review.service';

// 材料审核: college staff pass or return each material their students sent. The card
// only says which material and page was shown; who may act comes from ctx.actor.

const NOT_COLLEGE_STAFF = '只有二级学院的老师可以审核材料。';

export function materialsReviewFeature(services: Services): Feature {
  const { store } = services;

  const show = async (ctx: MessageContext, staff: CollegeStaff, q: string) => {
    const data = await loadReview(services, staff, q, 0);
    if (typeof data === 'string') {
      await ctx.reply(data);
      return;
    }
    await ctx.replyCard({ ...materialsReviewCard(data) });
  };

  /** Re-renders the card the click came from (same query and page) with a notice. */
  const refresh = async (ctx: ActionContext, staff: CollegeStaff, q: string, page: number, extra: Pick<MaterialsReviewData, 'rejecting' | 'notice'> = {}) => {
    const data = await loadReview(services, staff, q, page, extra);
    if (typeof data === 'string') {
      // the query no longer matches (a student moved college): start from the whole college
      const all = await loadReview(services, staff, '', 0, extra);
      if (typeof all !== 'string') await ctx.updateCard({ ...materialsReviewCard(all) });
      return;
    }
    await ctx.updateCard({ ...materialsReviewCard(data) });
  };

  /** The parsed click, or null after answering an outdated or malformed one with a fresh card. */
  const parse = async (ctx: ActionContext) => {
    const staff = collegeStaffOf(ctx.actor);
    if (!staff) {
      ctx.toast('error', NOT_COLLEGE_STAFF);
      return null;
    }
    const parsed = materialsReviewValue.safeParse(ctx.value);
    if (!parsed.success || parsed.data.v !== MATERIALS_REVIEW_CARD_VERSION) {
      ctx.toast('warning', '这张审核卡片已过期，已为你刷新，请重新操作。');
      const q = parsed.success ? parsed.data.q : '';
      await refresh(ctx, staff, q, 0);
      return null;
    }
    return { staff, value: parsed.data };
  };

  const afterDecision = async (studentNos: string[]) => {
    await hooks.statusChanged(services, studentNos);
  };

  const decideOne = async (ctx: ActionContext, decision: Decision) => {
    const p = await parse(ctx);
    if (!p) return;
    const { staff, value } = p;
    if (!value.materialId) {
      ctx.toast('error', NOT_YOUR_MATERIAL);
      return;
    }
    const outcome = await decideMaterial(services, staff, value.materialId, value.studentNo, decision);
    if (!outcome.ok) {
      ctx.toast(outcome.severity, outcome.message);
      if (outcome.severity === 'warning') await refresh(ctx, staff, value.q, value.page, { notice: `⚠️ ${outcome.message}` });
      return;
    }
    const { material, student } = outcome;
    const label = MATERIAL_LABEL[material.kind];
    const notice =
      decision.status === 'accepted'
        ? `✅ 已通过：${student.name} ${label}（第 ${material.version} 版）`
        : `↩️ 已退回：${student.name} ${label}（第 ${material.version} 版），原因：${decision.reason}`;
    ctx.toast('success', decision.status === 'accepted' ? '已通过' : '已退回，已通知学生');
    await refresh(ctx, staff, value.q, value.page, { notice });
    if (decision.status === 'rejected' && student.openId) {
      await services.lark.sendText('open_id', student.openId, rejectionMessage(material, decision.reason ?? ''));
    }
    await afterDecision([student.studentNo]);
  };

  return defineFeature({
    name: 'college.materials-review',
    actions: MATERIALS_REVIEW_ACTION_IDS,
    setup(r) {
      r.onText(
        /^\s*材料审核(?:\s+(\S.*?))?\s*$/,
        async (ctx) => {
          const staff = collegeStaffOf(ctx.actor);
          if (!staff) return void (await ctx.reply(NOT_COLLEGE_STAFF));
          await show(ctx, staff, ctx.match?.[1] ?? '');
        },
        { roles: ['college'] },
      );
      r.onText(
        /^\s*材料\s+(\S+)\s*$/,
        async (ctx) => {
          const staff = collegeStaffOf(ctx.actor);
          if (!staff) return void (await ctx.reply(NOT_COLLEGE_STAFF));
          await show(ctx, staff, ctx.match?.[1] ?? '');
        },
        { roles: ['college'] },
      );

      r.onAction(
        MATERIALS_REVIEW_ACTIONS.page,
        async (ctx) => {
          const p = await parse(ctx);
          if (p) await refresh(ctx, p.staff, p.value.q, p.value.page);
        },
        { roles: ['college'] },
      );

      r.onAction(MATERIALS_REVIEW_ACTIONS.accept, (ctx) => decideOne(ctx, { status: 'accepted', reason: null }), { roles: ['college'] });

      r.onAction(
        MATERIALS_REVIEW_ACTIONS.rejectForm,
        async (ctx) => {
          const p = await parse(ctx);
          if (!p) return;
          const own = p.value.materialId ? await ownMaterial(services, p.staff, p.value.materialId, p.value.studentNo) : null;
          if (!own) {
            ctx.toast('error', NOT_YOUR_MATERIAL);
            return;
          }
          await refresh(ctx, p.staff, p.value.q, p.value.page, { rejecting: own.material.id });
        },
        { roles: ['college'] },
      );

      r.onAction(
        MATERIALS_REVIEW_ACTIONS.reject,
        async (ctx) => {
          const reason = String(ctx.formValue[REJECT_REASON_FIELD] ?? '').trim();
          if (!reason || reason.length > REJECT_REASON_MAX) {
            ctx.toast('error', reason ? `退回原因最多 ${REJECT_REASON_MAX} 字。` : '请填写退回原因，学生需要知道要改什么。');
            return;
          }
          await decideOne(ctx, { status: 'rejected', reason });
        },
        { roles: ['college'] },
      );

      r.onAction(
        MATERIALS_REVIEW_ACTIONS.acceptAll,
        async (ctx) => {
          const p = await parse(ctx);
          if (!p) return;
          const { staff, value } = p;
          const ids = value.materialIds ?? [];
          // every id must be this student's and in the staff's college before anything changes
          const owned = await Promise.all(ids.map((id) => ownMaterial(services, staff, id, value.studentNo)));
          if (ids.length === 0 || !value.studentNo || owned.some((o) => o === null)) {
            ctx.toast('error', '这些材料不属于你所在学院的学生，无法审核。');
            return;
          }
          const passed: string[] = [];
          const skipped: string[] = [];
          for (const id of ids) {
            const outcome = await decideMaterial(services, staff, id, value.studentNo, { status: 'accepted', reason: null });
            if (outcome.ok) passed.push(`${MATERIAL_LABEL[outcome.material.kind]}（第 ${outcome.material.version} 版）`);
            else skipped.push(outcome.message);
          }
          const name = owned[0]!.student.name;
          const lines = [];
          if (passed.length) lines.push(`✅ 已通过：${name} ${passed.join('、')}`);
          for (const s of skipped) lines.push(`⚠️ ${s}`);
          ctx.toast(skipped.length ? 'warning' : 'success', passed.length ? `已通过 ${passed.length} 份材料` : '没有可通过的材料');
          await refresh(ctx, staff, value.q, value.page, { notice: lines.join('\n') });
          if (passed.length) await afterDecision([value.studentNo]);
        },
        { roles: ['college'] },
      );
    },
  });
}
