import { z } from 'zod';
import { card, datePicker, form, input, markdown, md, note, type Card } from './kit';

// The ID card's validity period (有效期限) for the back side just sent: typed as printed
// (2019.08.01-2029.08.01 or 2019.08.01-长期) or picked with the two date pickers.

export const VALIDITY_CARD_VERSION = 1;
export const MATERIAL_VALIDITY_ACTION = 'student.material.validity';

export const validityValueSchema = z.object({ action: z.literal(MATERIAL_VALIDITY_ACTION), v: z.number(), pending: z.string() });
export const validityFormSchema = z.object({
  validity: z.string().optional(),
  from: z.string().optional(),
  until: z.string().optional(),
});

/** `typed`, `from` and `until` are what the user entered last time, kept when the card asks again. */
export function materialValidityCard(d: { pending: string; error?: string; typed?: string; from?: string; until?: string }): Card {
  return card({
    title: '请填写身份证有效期限',
    template: d.error ? 'orange' : 'wathet',
    elements: [
      markdown('身份证国徽面已收到。请照证件上的“有效期限”填写，考试当天证件必须在有效期内。'),
      ...(d.error ? [markdown(`<font color='red'>${md(d.error)}</font>`)] : []),
      form({
        name: 'id_validity',
        submitText: '确认',
        value: { action: MATERIAL_VALIDITY_ACTION, v: VALIDITY_CARD_VERSION, pending: d.pending },
        elements: [
          input({ name: 'validity', label: '有效期限', placeholder: '如 2019.08.01-2029.08.01 或 2019.08.01-长期', value: d.typed, maxLength: 40 }),
          markdown('或者用日期选择（长期有效的只选起始日期并在上面填“长期”）：', { size: 'notation' }),
          datePicker({ name: 'from', placeholder: '起始日期', initial: d.from }),
          datePicker({ name: 'until', placeholder: '截止日期', initial: d.until }),
        ],
      }),
      note('也可以直接发送文字，如：有效期 2019.08.01-2029.08.01'),
    ],
  });
}
