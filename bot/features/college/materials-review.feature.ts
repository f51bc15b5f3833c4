import {
  MATERIALS_REVIEW_ACTION_IDS,
  MATERIALS_REVIEW_ACTIONS,
  MATERIALS_REVIEW_CARD_VERSION,
  REJECT_REASON_FIELD,
  REJECT_REASON_MAX,
  materialsReviewCard,
  materialsReviewValue,
  type MaterialsReviewData,
  type MaterialsReviewValue,
} from '../../../cards/materials-review.card';
import { MATERIAL_LABEL } from '../../../domain/model';
import type { ActionContext, MessageContext } from '../../context';
import { defineFeature, refuse, type ActionSpec, type Feature } from '../../router';
import type { Services } from '../../services';
import { collegeStaffOf, type CollegeStaff } from './college-scope';
import { decideMaterial, loadReview, MATERIAL_REJECTED_JOB, NOT_YOUR_MATERIAL, ownMaterial, type Decision } from './materials-review.service';
import { sendTextJob } from '../../jobs/text-notice';

// 材料审核: college staff pass or return each material their students sent. The card
// only says which material and page was shown; who may act comes from ctx.actor.

type ReviewClick = ActionContext<MaterialsReviewValue, CollegeStaff>;

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

  /** The card for this query and page; when the query no longer matches (a student moved college), the whole college. */
  const reviewCard = async (staff: CollegeStaff, q: string, page: number, extra: Pick<MaterialsReviewData, 'rejecting' | 'rejectDraft' | 'notice'> = {}) => {
    const data = await loadReview(services, staff, q, page, extra);
    const shown = typeof data === 'string' ? await loadReview(services, staff, '', 0, extra) : data;
    return typeof shown === 'string' ? null : { ...materialsReviewCard(shown) };
  };

  /** Re-renders the card the click came from (same query and page) with a notice. */
  const refresh = async (ctx: ReviewClick, extra: Pick<MaterialsReviewData, 'rejecting' | 'rejectDraft' | 'notice'> = {}) => {
    const card = await reviewCard(ctx.record, ctx.value.q, ctx.value.page, extra);
    if (card) await ctx.updateCard(card);
  };

  /** every click names the query and page it showed; the clicker's college comes from their roles */
  const onReview: ActionSpec<MaterialsReviewValue, CollegeStaff> = {
    value: materialsReviewValue,
    version: MATERIALS_REVIEW_CARD_VERSION,
    roles: ['college'],
    load: (_v, ctx) => collegeStaffOf(ctx.actor) ?? refuse(NOT_COLLEGE_STAFF),
    // an outdated or malformed card: the same query from its first page
    fresh: async (ctx) => {
      const staff = collegeStaffOf(ctx.actor);
      if (!staff) return null;
      const q = typeof ctx.value.q === 'string' ? ctx.value.q : '';
      return reviewCard(staff, q, 0);
    },
  };

  const afterDecision = async (studentNos: string[]) => {
    await services.hooks.statusChanged(studentNos);
  };

  const decideOne = async (ctx: ReviewClick, decision: Decision) => {
    const { record: staff, value } = ctx;
    if (!value.materialId) {
      ctx.toast('error', NOT_YOUR_MATERIAL);
      return;
    }
    const outcome = await decideMaterial(services, staff, value.materialId, value.studentNo, decision);
    if (!outcome.ok) {
      ctx.toast(outcome.severity, outcome.message);
      if (outcome.severity === 'warning') await refresh(ctx, { notice: `⚠️ ${outcome.message}` });
      return;
    }
    const { material, student } = outcome;
    const label = MATERIAL_LABEL[material.kind];
    const notice =
      decision.status === 'accepted'
        ? `✅ 已通过：${student.name} ${label}（第 ${material.version} 版）`
        : `↩️ 已退回：${student.name} ${label}（第 ${material.version} 版），原因：${decision.reason}`;
    ctx.toast('success', decision.status === 'accepted' ? '已通过' : '已退回，已通知学生');
    await refresh(ctx, { notice });
    // answered now; the status card follows
    await ctx.ack();
    await afterDecision([student.studentNo]);
  };

  return defineFeature({
    name: 'college.materials-review',
    needs: ['statusChanged'],
    actions: MATERIALS_REVIEW_ACTION_IDS,
    jobs: { [MATERIAL_REJECTED_JOB]: sendTextJob },
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

      r.onAction(MATERIALS_REVIEW_ACTIONS.page, onReview, (ctx) => refresh(ctx));

      r.onAction(MATERIALS_REVIEW_ACTIONS.accept, onReview, (ctx) => decideOne(ctx, { status: 'accepted', reason: null }));

      r.onAction(MATERIALS_REVIEW_ACTIONS.rejectForm, onReview, async (ctx) => {
        const { record: staff, value } = ctx;
        const own = value.materialId ? await ownMaterial(services, staff, value.materialId, value.studentNo) : null;
        if (!own) {
          ctx.toast('error', NOT_YOUR_MATERIAL);
          return;
        }
        await refresh(ctx, { rejecting: own.material.id });
      });

      r.onAction(MATERIALS_REVIEW_ACTIONS.reject, onReview, async (ctx) => {
        const reason = String(ctx.formValue[REJECT_REASON_FIELD] ?? '').trim();
        if (!reason || reason.length > REJECT_REASON_MAX) {
          ctx.toast('error', reason ? `退回原因最多 ${REJECT_REASON_MAX} 字。` : '请填写退回原因，学生需要知道要改什么。');
          // the form stays open with what was typed, so only the fix is needed
          await refresh(ctx, { rejecting: ctx.value.materialId ?? null, rejectDraft: reason });
          return;
        }
        await decideOne(ctx, { status: 'rejected', reason });
      });

      r.onAction(MATERIALS_REVIEW_ACTIONS.acceptAll, onReview, async (ctx) => {
        const { record: staff, value } = ctx;
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
        await refresh(ctx, { notice: lines.join('\n') });
        if (passed.length) await afterDecision([value.studentNo]);
      });
    },
  });
}
