import { z } from 'zod';
import { BATCH_STATUS_LABEL, LEVEL_LABEL, type BatchStatus, type Level } from '../domain/model';
import { actions, button, card, facts, markdown, md, note, type Card } from './kit';

// The confirmation before a batch goes to the center: what exactly is submitted
// (major × occupation × level, how many, who comes first). Confirming twice — a double
// click, a second device — submits once; the handler decides by the submission key.

export const BATCH_SUBMIT_VERSION = 1;
export const BATCH_SUBMIT_ACTIONS = { confirm: 'college.batch.confirm' } as const;

export const batchConfirmValue = z.object({
  action: z.literal(BATCH_SUBMIT_ACTIONS.confirm),
  v: z.number(),
  uploadId: z.string().min(1),
  level: z.enum(['L3', 'L4']),
});

export interface BatchSubmitData {
  uploadId: string;
  college: string;
  major: string;
  occupation: string;
  level: Level;
  count: number;
  /** the first students in export order */
  first: Array<{ studentNo: string; name: string }>;
  /** students of the list still missing required materials, with what they lack */
  missing?: Array<{ studentNo: string; name: string; missing: string[] }>;
  /** a returned batch this submission corrects */
  replaces?: number | null;
  /** set once submitted: the card then shows the batch and no button */
  submitted?: { batchId: number; status: BatchStatus } | null;
}

const MISSING_SHOWN = 20;

/** Who lacks what: the center issues no certificate to them without a recorded exception. */
function missingBlock(d: BatchSubmitData) {
  const missing = d.missing ?? [];
  if (missing.length === 0) return [markdown('**材料**：名单中的学生必需材料均已提交。')];
  const lines = missing.slice(0, MISSING_SHOWN).map((s) => `- ${md(s.name)}（${md(s.studentNo)}）缺 ${s.missing.map(md).join('、')}`);
  if (missing.length > MISSING_SHOWN) lines.push(`- …… 另有 ${missing.length - MISSING_SHOWN} 人`);
  return [
    markdown(`**缺材料 ${missing.length} 人**（可以提交；发证前须补齐，否则认定中心需登记例外）：\n${lines.join('\n')}`),
  ];
}

export function batchSubmitCard(d: BatchSubmitData): Card {
  const head = facts([
    ['专业', md(d.major)],
    ['申报职业', md(d.occupation)],
    ['申报等级', LEVEL_LABEL[d.level]],
    ['人数', `${d.count} 人`],
  ]);
  const list = d.first.map((s) => `${md(s.studentNo)} ${md(s.name)}`).join('、') + (d.count > d.first.length ? ` 等 ${d.count} 人` : '');
  if (d.submitted) {
    return card({
      title: `已提交认定中心（批次 #${d.submitted.batchId}）`,
      template: 'green',
      elements: [head, markdown(`名单：${list}`), ...missingBlock(d), note(`当前状态：${BATCH_STATUS_LABEL[d.submitted.status]}。认定中心审核后会通知你。`)],
    });
  }
  return card({
    title: '确认提交认定中心',
    template: 'orange',
    elements: [
      head,
      markdown(`名单（按专业、职业、等级、学号排序）：${list}`),
      ...missingBlock(d),
      ...(d.replaces ? [note(`批次 #${d.replaces} 已被退回，本次提交更正后的名单，作为新批次送审。`)] : []),
      actions([
        button({
          text: `确认提交（${d.count} 人）`,
          type: 'primary_filled',
          value: { action: BATCH_SUBMIT_ACTIONS.confirm, v: BATCH_SUBMIT_VERSION, uploadId: d.uploadId, level: d.level },
        }),
      ]),
      note('提交后名单以本专业当前成绩为准；如需修改，请重新上传成绩表后再提交。'),
    ],
  });
}
