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
  /** set once submitted: the card then shows the batch as it is now, and no button */
  submitted?: BatchProgress | null;
}

/** Where a submitted batch stands, as the college's copy of the card tells it. */
export interface BatchProgress {
  batchId: number;
  status: BatchStatus;
  /** why it was returned */
  reason?: string | null;
  /** who returned it: 认定中心 or 领导小组办公室 */
  returnedBy?: string | null;
  /** certificates issued, and the first and last number */
  certified?: { count: number; first: string; last: string } | null;
  /** when the card was last brought up to date (Beijing time, for people) */
  updatedAt?: string | null;
}

const PROGRESS_TITLE: Record<BatchStatus, (id: number) => string> = {
  submitted: (id) => `已提交认定中心（批次 #${id}）`,
  center_approved: (id) => `批次 #${id} 已通过认定中心审核`,
  office_approved: (id) => `批次 #${id} 已通过复审`,
  issued: (id) => `批次 #${id} 已发证`,
  returned: (id) => `批次 #${id} 已被退回`,
};
const PROGRESS_TEMPLATE: Record<BatchStatus, 'blue' | 'green' | 'red' | 'turquoise'> = {
  submitted: 'blue',
  center_approved: 'turquoise',
  office_approved: 'turquoise',
  issued: 'green',
  returned: 'red',
};

function progressLines(p: BatchProgress): string[] {
  const now = `**当前状态：${BATCH_STATUS_LABEL[p.status]}**`;
  switch (p.status) {
    case 'submitted':
      return [now, '认定中心审核后，这张卡片会更新，提交人也会收到通知。'];
    case 'center_approved':
      return [now, '认定中心已审核通过，已转领导小组办公室复审。'];
    case 'office_approved':
      return [now, '领导小组办公室已复审通过，等待认定中心发证。'];
    case 'issued':
      return [
        now,
        p.certified ? `已发证 ${p.certified.count} 本，证书编号 ${md(p.certified.first)}${p.certified.count > 1 ? ` 至 ${md(p.certified.last)}` : ''}。` : '已发证。',
      ];
    case 'returned':
      return [
        now,
        `${p.returnedBy ? `${md(p.returnedBy)}退回` : '退回'}原因：${p.reason ? md(p.reason) : '（未填写）'}`,
        `改正后：成绩没有变化时发送“重新提交 批次 ${p.batchId}”，批次号不变；成绩有改动时重新上传成绩表，从新的报告提交（新批次）。`,
      ];
  }
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
    const p = d.submitted;
    return card({
      title: PROGRESS_TITLE[p.status](p.batchId),
      template: PROGRESS_TEMPLATE[p.status],
      elements: [
        head,
        markdown(`名单：${list}`),
        // once certified, what was missing no longer matters; before, it is part of the truth
        ...(p.status === 'issued' ? [] : missingBlock(d)),
        markdown(progressLines(p).join('\n')),
        note(`${p.updatedAt ? `更新于 ${p.updatedAt}　` : ''}这张卡片随批次进展自动更新；也可发送“批次 ${p.batchId}”查看。`),
      ],
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
