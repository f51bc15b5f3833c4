import { defineFeature } from '../router';

export const HELP_TEXT = [
  '你好，我是技能认定助手。',
  '学生：发送“要求”查看申报条件，“进度”查看认定状态，“考试安排”查看考试时间地点，发送证件照或扫描件提交材料。',
  '学院老师：把成绩表（Excel）直接发到这里，我会生成认定结果和附件表格；发送“批次”查看本学院批次，“重新提交 批次 N”重新提交被退回的批次，“材料审核”审核学生材料，“考试计划”填报 1+X 考试。',
  '认定中心：发送“批次”“批次 N”“待审核”“导出 批次 N”“发证 批次 N”“进度”“日志”“群发”“附件1”；审核、退回也可以在卡片上操作；每年发送“新建认定年度”开启当年认定，“方案审核”审核考核方案，“准予认定 学号 理由”准予延期毕业等学生参加认定。',
  '领导小组办公室：发送“待复审”“批次 N”。',
  '如有问题请联系职业技能等级认定中心。',
].join('\n');

export const UNHANDLED_ATTACHMENT =
  '这个文件/图片我还不知道该怎么处理，没有保存。学生请在与我的单聊中发送证件照或扫描件；学院老师请发送 .xlsx 成绩表；其他材料请联系认定中心。';

/**
 * Answers anything nothing else took — text, files, images — so no message a user sends
 * disappears without a word. Mount it last.
 */
export const helpFeature = defineFeature({
  name: 'help',
  setup(r) {
    r.onText(
      () => true,
      async (ctx) => {
        await ctx.reply(HELP_TEXT);
      },
    );
    r.onFile(async (ctx) => void (await ctx.reply(UNHANDLED_ATTACHMENT)));
    r.onImage(async (ctx) => void (await ctx.reply(UNHANDLED_ATTACHMENT)));
  },
});
