import { defineFeature, type Feature } from '../../router';
import type { Services } from '../../services';
import { collegeStaffOf } from '../college/college-scope';
import { collegeSummary, progressSheet } from './college-papers';
import { collectProgress } from './progress.feature';

// Printable papers that span batches, asked for in chat: 附件1 with progress (center), and
// 附件8 for a whole college (the center names the college; college staff get their own).

export function papersFeature(services: Services): Feature {
  const { store, clock, config } = services;
  const yearOf = async () => (await store.campaigns.current())?.year ?? Number(clock.today().slice(0, 4));
  return defineFeature({
    name: 'center.papers',
    setup(r) {
      r.onText(
        /^\s*(附件\s*1|进度表|任务清单)\s*$/,
        async (ctx) => {
          const out = await progressSheet(await collectProgress(services), { schoolName: config.schoolName, asOf: clock.today() });
          if (out.ok) await ctx.sendFile(out.file.bytes, out.file.fileName);
        },
        { roles: ['center', 'office'] },
      );

      r.onText(
        /^\s*(?:附件\s*8|汇总表)\s*(\S*)\s*$/,
        async (ctx) => {
          const named = ctx.match?.[1] ?? '';
          const staff = collegeStaffOf(ctx.actor);
          const central = ctx.has('center') || ctx.has('office');
          const college = central && named ? named : staff?.college;
          if (!college) {
            await ctx.reply('请写明学院，例如：附件8 财经学院');
            return;
          }
          if (!central && named && named !== college) {
            await ctx.reply(`只能导出本学院（${college}）的附件8。`);
            return;
          }
          if (!(await store.colleges.list()).includes(college)) {
            await ctx.reply(`没有名为“${college}”的学院，请按附件1 的学院名称填写。`);
            return;
          }
          const out = await collegeSummary({ store, schoolName: config.schoolName, year: await yearOf() }, college);
          if (!out.ok) {
            await ctx.reply(out.message);
            return;
          }
          await ctx.sendFile(out.file.bytes, out.file.fileName);
          if (out.note) await ctx.reply(out.note);
        },
        { roles: ['center', 'office', 'college'] },
      );
    },
  });
}
