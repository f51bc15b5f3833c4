import { defineFeature } from '../router';

export const HELP_TEXT = [
  '你好，我是技能认定助手。',
  '学生：发送“认定要求”查看申报条件，“我的进度”查看认定状态，发送证件照或扫描件提交材料。',
  '学院老师：把成绩表（Excel）直接发到这里，我会生成认定结果和附件表格。',
  '认定中心：在卡片上审核、退回批次，导出花名册。',
  '如有问题请联系职业技能等级认定中心。',
].join('\n');

/** Answers any text nothing else took, so a new user always gets an answer. Mount it last. */
export const helpFeature = defineFeature({
  name: 'help',
  setup(r) {
    r.onText(
      () => true,
      async (ctx) => {
        await ctx.reply(HELP_TEXT);
      },
    );
  },
});
