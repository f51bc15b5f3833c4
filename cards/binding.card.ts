import { z } from 'zod';
import { card, form, input, markdown, md, note, type Card } from './kit';

// The one-time proof of who a student is: 学号 and the last 6 characters of the ID
// number. The card carries nothing but the form; the answer is checked server-side.

export const BINDING_CARD_VERSION = 1;
export const BIND_ACTION = 'student.bind';

export const bindValueSchema = z.object({ action: z.literal(BIND_ACTION), v: z.number() });
export const bindFormSchema = z.object({
  studentNo: z.string().default(''),
  idTail: z.string().default(''),
});

export interface BindingCardData {
  /** shown in red above the form, e.g. why the last try failed */
  error?: string;
  studentNo?: string;
  /** true once bound: the form is replaced by a confirmation */
  boundAs?: { name: string; studentNo: string };
}

export function bindingCard(d: BindingCardData = {}): Card {
  if (d.boundAs) {
    return card({
      title: '身份绑定成功',
      template: 'green',
      elements: [markdown(`已绑定：**${md(d.boundAs.name)}**（学号 ${md(d.boundAs.studentNo)}）。发送“帮助”查看可以做的事情。`)],
    });
  }
  return card({
    title: '请先绑定身份',
    template: 'orange',
    elements: [
      markdown('第一次使用需要确认你的身份：填写**学号**和**身份证号后 6 位**（末位 X 大写小写均可）。也可以直接发送文字：`绑定 学号 身份证后6位`'),
      ...(d.error ? [markdown(`<font color='red'>${md(d.error)}</font>`)] : []),
      form({
        name: 'bind',
        submitText: '绑定',
        value: { action: BIND_ACTION, v: BINDING_CARD_VERSION },
        elements: [
          input({ name: 'studentNo', label: '学号', placeholder: '如 2020010901', value: d.studentNo, required: true, maxLength: 32 }),
          input({ name: 'idTail', label: '身份证后6位', placeholder: '如 12345X', required: true, maxLength: 6 }),
        ],
      }),
      note('一个飞书账号只能绑定一名学生。如提示已被他人绑定，请联系职业技能等级认定中心。'),
    ],
  });
}
