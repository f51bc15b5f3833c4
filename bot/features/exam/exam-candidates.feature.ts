import { z } from 'zod';
import type { StoredExamPlan as StoredPlan } from '../../../domain/model/exam-plan';
import type { MessageContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import type { Services, ServiceSlice } from '../../services';
import { collegeStaffOf } from '../college/college-scope';
import { photoSpecText } from '../student/requirements.service';
import { isStudentChat, studentOf } from '../student/student-chat';
import { candidatesOf, editCandidates, examPaperFiles, planPhotoSpec, plansOfCandidate, platformFiles } from './exam-candidates.service';
import { splitList } from '../../../domain/exam/plan-input';
import { implementationPlanFile, setWorkItemOwner } from './implementation-plan.service';
import { planAudit } from './plan-audit';

// 1+X candidates in chat. A student says 1+X照片 and sends the photo (checked against the
// plan's certificate spec); the college lists and edits a plan's candidates, and gets the
// platform's import files and the printed exam papers. College staff act only on their
// college's plans; the center on every plan.

export const X_PHOTO_INTENT = 'x_photo_intent';
export const X_PHOTO_TTL_MS = 30 * 60 * 1000;

export function examCandidatesFeature(services: Services): Feature {
  const { store, clock } = services;

  /** The plan named in the message, provided the sender may act on it; otherwise answered here. */
  async function planFor(ctx: MessageContext, raw: string | undefined): Promise<StoredPlan | null> {
    const plan = raw && /^\d+$/.test(raw) ? await store.exams.getPlan(Number(raw)) : undefined;
    if (!plan) {
      await ctx.reply(`找不到考试计划 ${raw ?? ''}，请写计划号，例如：考生 3`);
      return null;
    }
    const staff = collegeStaffOf(ctx.actor);
    if (!ctx.has('center') && staff?.college !== plan.college) {
      await ctx.reply('这个考试计划不属于你所在的学院。');
      return null;
    }
    return plan;
  }
  const actorOf = (ctx: MessageContext) => ({ openId: ctx.actor.openId, name: ctx.actor.roles[0]?.name ?? null });

  return defineFeature({
    name: 'exam.candidates',
    setup(r) {
      // 考生 3 · 考生 3 增加 2021… 2021… · 考生 3 删除 2021…
      r.onText(
        /^\s*考生(?:名单)?\s*(\d+)\s*(?:(增加|添加|删除|移除)\s*(.+))?$/,
        async (ctx) => {
          const plan = await planFor(ctx, ctx.match?.[1]);
          if (!plan) return;
          const verb = ctx.match?.[2];
          if (verb) {
            const nos = splitList(ctx.match?.[3] ?? '');
            const change = verb === '增加' || verb === '添加' ? { add: nos, remove: [] } : { add: [], remove: nos };
            const out = await editCandidates(store, plan, change, actorOf(ctx), clock.now());
            await ctx.reply(out.ok ? `已更新考生名单：增加 ${out.added.length} 人，删除 ${out.removed.length} 人，现有 ${out.count} 人。` : out.message);
            return;
          }
          const { infos, notOnRoster } = await candidatesOf(store, plan);
          const photos = await store.examPhotos.latestForPlan(plan.id);
          const without = infos.filter((c) => !photos.has(c.studentNo));
          const lines = [
            `考试计划 ${plan.id}：${plan.certificate}（${plan.level}），考生 ${infos.length} 人，其中补考 ${infos.filter((c) => c.attempt > 1).length} 人。`,
            `已交 1+X 照片 ${infos.length - without.length} 人${without.length ? `；未交 ${without.length} 人：${without.slice(0, 30).map((c) => `${c.name}（${c.studentNo}）`).join('、')}${without.length > 30 ? ' 等' : ''}` : ''}。`,
            ...(notOnRoster.length ? [`不在学生名册中：${notOnRoster.join('、')}`] : []),
            `修改名单：考生 ${plan.id} 增加 学号… / 考生 ${plan.id} 删除 学号…`,
          ];
          await ctx.reply(lines.join('\n'));
        },
        { roles: ['center', 'college'] },
      );

      // 报名表 3: 学生信息表, 报考学生信息表 and the photos for the platform
      r.onText(
        /^\s*(?:报名表|平台导出|学生信息表)\s*(\d+)\s*$/,
        async (ctx) => {
          const plan = await planFor(ctx, ctx.match?.[1]);
          if (!plan) return;
          const out = await platformFiles(services, plan);
          for (const f of out.files) await ctx.sendFile(f.bytes, f.fileName);
          await ctx.reply(`已生成考试计划 ${plan.id} 的平台导入文件（学生信息表、报考学生信息表、考生照片）。${out.note ? `\n${out.note}` : ''}`);
          await planAudit(store.audit, ctx.actor, 'exam.platform.export', plan.id, { files: out.files.map((f) => f.fileName) }, clock.now());
        },
        { roles: ['center', 'college'] },
      );

      // 实施方案 3: the 考核实施方案 the college files with the academic office
      r.onText(
        /^\s*(?:考核)?实施方案\s*(\d+)\s*$/,
        async (ctx) => {
          const plan = await planFor(ctx, ctx.match?.[1]);
          if (!plan) return;
          const file = await implementationPlanFile(services, plan);
          await ctx.sendFile(file.bytes, file.fileName);
          await ctx.reply(`已生成考试计划 ${plan.id} 的考核实施方案（考核时间地点、考务人员、考试组织实施、考务费用）。修改某项工作的负责人：负责人 ${plan.id} 工作项目 姓名`);
        },
        { roles: ['center', 'college'] },
      );

      // 负责人 3 考前预备会 张三
      r.onText(
        /^\s*负责人\s*(\d+)\s+(\S+)\s+(\S+)\s*$/,
        async (ctx) => {
          const plan = await planFor(ctx, ctx.match?.[1]);
          if (!plan) return;
          const out = await setWorkItemOwner(store, plan, ctx.match?.[2] ?? '', ctx.match?.[3] ?? '', actorOf(ctx), clock.now());
          await ctx.reply(out.ok ? `已把「${ctx.match?.[2]}」的负责人改为 ${ctx.match?.[3]}。发送“实施方案 ${plan.id}”获取更新后的方案。` : out.message);
        },
        { roles: ['center', 'college'] },
      );

      // 准考证 3 / 签到表 3 / 考场 3: the printed exam papers
      r.onText(
        /^\s*(?:准考证|签到表|考场安排|考务材料)\s*(\d+)\s*$/,
        async (ctx) => {
          const plan = await planFor(ctx, ctx.match?.[1]);
          if (!plan) return;
          const out = await examPaperFiles(services, plan);
          for (const f of out.files) await ctx.sendFile(f.bytes, f.fileName);
          await ctx.reply(`已生成考试计划 ${plan.id} 的准考证、考场签到表和考场门贴。${out.note ? `\n${out.note}` : ''}`);
          await planAudit(store.audit, ctx.actor, 'exam.papers.export', plan.id, { files: out.files.map((f) => f.fileName) }, clock.now());
        },
        { roles: ['center', 'college'] },
      );
    },
  });
}

/** The student's side: 1+X照片 announces the photo for the newest plan they sit. Routed before the student menu. */
export function examPhotoFeature(services: Services): Feature {
  const { store, clock } = services;
  return defineFeature({
    name: 'exam.photo',
    setup(r) {
      // a student announces the 1+X photo; the next image goes to the newest plan they sit
      r.onText(
        (text, ctx) => isStudentChat(ctx) && /^\s*(1\s*[+＋]\s*X|考证)\s*(考试)?照片\s*$/i.test(text),
        async (ctx) => {
          const student = await studentOf(services, ctx);
          if (!student) return;
          const [plan] = await plansOfCandidate(store, student.studentNo);
          if (!plan) {
            await ctx.reply('你目前不在任何 1+X 考试计划的考生名单中，无需提交 1+X 照片。如有疑问请联系学院老师。');
            return;
          }
          const { spec } = await planPhotoSpec(store, plan);
          await store.chatState.set(ctx.actor.openId, X_PHOTO_INTENT, { planId: plan.id, at: clock.now().toISOString() }, clock.now());
          await ctx.reply(`请在 30 分钟内发送 ${plan.certificate}（${plan.level}）考试用的照片：${photoSpecText(spec).replace(/，命名为.*$/, '')}。照片会按平台要求以身份证号命名。`);
        },
      );

    },
  });
}

/** Called by the student's upload handler first: a photo announced with 1+X照片 goes to the plan. */
export async function takeExamPhotoIntent(services: ServiceSlice<'chatState' | 'exams', 'clock'>, openId: string): Promise<StoredPlan | null> {
  const intent = await services.store.chatState.take(openId, X_PHOTO_INTENT, z.object({ planId: z.number().int(), at: z.string() }));
  if (!intent || services.clock.now().getTime() - new Date(intent.at).getTime() > X_PHOTO_TTL_MS) return null;
  return (await services.store.exams.getPlan(intent.planId)) ?? null;
}
