import { z } from 'zod';
import { actions, button, card, markdown, md, note, type Card } from './kit';

// The student's menu: what the bot can do for them, one button each. Buttons carry
// only which thing the student wants; whose data it is comes from the operator.

export const HELP_CARD_VERSION = 1;

export const STUDENT_MENU_ACTIONS = {
  requirements: 'student.menu.requirements',
  status: 'student.menu.status',
  materials: 'student.menu.materials',
  filingForm: 'student.menu.filingForm',
} as const;

export const helpValueSchema = z.object({ action: z.string(), v: z.number() });

export function helpCard(d: { name: string; intro?: string }): Card {
  const v = HELP_CARD_VERSION;
  return card({
    title: '技能认定助手',
    subtitle: `${d.name} 同学，你好`,
    template: 'blue',
    elements: [
      markdown(
        md(d.intro ?? '我可以帮你完成职业技能等级认定的各项事情：') +
          '\n- **要求**：申报条件、课程与权重、材料和截止日期\n- **进度**：每项材料的状态、综合成绩与认定等级\n- **考试安排**：你的考试时间和地点（显示在进度卡片上）\n- **提交材料**：直接把证件照、身份证正反面、学生证照片发到这里\n- **填写备案表**：在卡片上填写审核备案表',
      ),
      actions([
        button({ text: '要求', type: 'primary', value: { action: STUDENT_MENU_ACTIONS.requirements, v } }),
        button({ text: '进度', value: { action: STUDENT_MENU_ACTIONS.status, v } }),
        button({ text: '提交材料', value: { action: STUDENT_MENU_ACTIONS.materials, v } }),
        button({ text: '填写备案表', value: { action: STUDENT_MENU_ACTIONS.filingForm, v } }),
      ]),
      note('也可以直接发文字：要求、进度、考试安排、还差什么、我的成绩、提交材料、备案表、帮助'),
    ],
  });
}
