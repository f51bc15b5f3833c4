import { BATCH_EVENT_LABEL, operatorLabel } from '../domain/audit';
import { z } from 'zod';
import { BATCH_STATUS_LABEL, LEVEL_LABEL, type Batch, type BatchEvent, type BatchStatus } from '../domain/model';
import type { StudentMissing } from '../domain/materials/issue-gate';
import type { BatchException } from '../domain/batch-exceptions';
import { deciderOf } from '../domain/batch-stages';
import { formatBeijingStamp } from '../domain/time';
import { actions, button, card, facts, form, hr, input, markdown, md, note, select, type Card, type HeaderTemplate } from './kit';

// The review card of one batch: who decided what and when, the exceptions worth a look,
// and the buttons the batch's current state allows to the copy's audience (center staff
// decide 审核 and 发证, office reviewers 复审). Whoever clicks is still authorised by their
// role in the handler; the button only says which batch and which state the card showed.

export const BATCH_REVIEW_CARD_VERSION = 1;

export const BATCH_ACTIONS = {
  approve: 'batch.approve',
  /** shows the 退回 form on this copy */
  returnForm: 'batch.returnForm',
  returnSubmit: 'batch.return',
  issue: 'batch.issue',
  export: 'batch.export',
  refresh: 'batch.refresh',
  /** shows the 缺材料例外 form on this copy */
  waiveForm: 'batch.waiveForm',
  waiveSubmit: 'batch.waive',
} as const;

export const BATCH_ACTION_IDS = Object.values(BATCH_ACTIONS);

export const batchActionValue = z.object({
  action: z.enum(BATCH_ACTION_IDS as [string, ...string[]]),
  v: z.number().int(),
  batchId: z.coerce.number().int().positive(),
  /** the batch version the card showed: a click on an older state is not acted on */
  version: z.coerce.number().int().nonnegative(),
});
export type BatchActionValue = z.infer<typeof batchActionValue>;

export const RETURN_REASON_FIELD = 'reason';
export const WAIVER_STUDENT_FIELD = 'waiver_student';
export const WAIVER_REASON_FIELD = 'waiver_reason';
/** a select offers at most this many students; the rest come after these are handled */
const MAX_WAIVER_OPTIONS = 50;


export interface FormDraft {
  studentNo?: string;
  reason?: string;
}

export interface BatchReviewData {
  batch: Batch;
  events: BatchEvent[];
  exceptions: BatchException[];
  /** certificates issued so far (after 发证) */
  issuedCount: number;
  /** set when 附件6 could not be produced from the stored grades */
  compositeNote?: string | null;
  /** show the 退回 form on this copy */
  returning?: boolean;
  /** students missing a required material without an exception: 发证 refuses them */
  blocked?: StudentMissing[];
  /** show the 缺材料例外 form on this copy */
  waiving?: boolean;
  /** what was typed on the open 退回 / 缺材料例外 form, kept when it is refused */
  draft?: FormDraft;
  /** whose copy this is: only the buttons this role may use are shown (default center) */
  audience?: ReviewAudience;
}

export type ReviewAudience = 'center' | 'office';


const TEMPLATE: Record<BatchStatus, HeaderTemplate> = {
  submitted: 'blue',
  center_approved: 'wathet',
  office_approved: 'turquoise',
  issued: 'green',
  returned: 'red',
};


const MAX_EXCEPTIONS = 30;
const NAMES_PER_LINE = 8;

export function batchReviewCard(d: BatchReviewData): Card {
  const b = d.batch;
  const value = (action: string) => ({ action, v: BATCH_REVIEW_CARD_VERSION, batchId: b.id, version: b.version });
  const elements = [
    facts([
      ['学院', md(b.college)],
      ['专业', md(b.major)],
      ['申报职业（工种）', md(b.occupation)],
      ['申报等级', LEVEL_LABEL[b.level]],
      ['人数', `${b.studentNos.length} 人`],
      ['状态', `**${BATCH_STATUS_LABEL[b.status]}**`],
    ]),
  ];

  if (d.exceptions.length === 0) {
    elements.push(markdown('**需关注的情况**：无'));
  } else {
    const counts = new Map<string, number>();
    for (const e of d.exceptions) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    // students with the very same finding share one line, so twelve students missing the
    // same materials read as one line naming them, not twelve repeats
    const groups = new Map<string, BatchException[]>();
    for (const e of d.exceptions) {
      const key = `${e.kind}\u0000${e.detail}`;
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    const who = (es: BatchException[]) => {
      const names = es.slice(0, NAMES_PER_LINE).map((e) => `${md(e.name)}（${md(e.studentNo)}）`).join('、');
      return es.length > NAMES_PER_LINE ? `${names} 等 ${es.length} 人` : names;
    };
    const lines = [...groups.values()]
      .slice(0, MAX_EXCEPTIONS)
      .map((es) => `- ${md(es[0]!.kind)}${es.length > 1 ? ` ${es.length} 人` : ''}：${who(es)}${es[0]!.detail ? `——${md(es[0]!.detail)}` : ''}`);
    if (groups.size > MAX_EXCEPTIONS) lines.push(`- …… 另有 ${groups.size - MAX_EXCEPTIONS} 类情况，见导出文件`);
    elements.push(
      markdown(`**需关注的情况**（${[...counts].map(([k, n]) => `${md(k)} ${n}`).join('，')}）\n${lines.join('\n')}`),
    );
  }
  if (d.compositeNote) elements.push(note(md(d.compositeNote)));
  if (b.status === 'issued') elements.push(markdown(`已发证 **${d.issuedCount}** 本。`));

  if (d.events.length) {
    elements.push(hr());
    elements.push(
      markdown(
        d.events
          .map((e) => `${formatBeijingStamp(e.at)} ${md(operatorLabel(e.actorOpenId, e.actorName))} ${(BATCH_EVENT_LABEL as Record<string, string>)[e.action] ?? md(e.action)}${e.reason ? `：${md(e.reason)}` : ''}`)
          .join('\n'),
        { size: 'notation' },
      ),
    );
  }

  const audience = d.audience ?? 'center';
  const decides = deciderOf(b.status) === audience;
  const blocked = b.status === 'office_approved' ? (d.blocked ?? []) : [];
  if (blocked.length) {
    elements.push(
      markdown(
        `**发证前需处理**：${blocked.length} 名学生缺少必需材料，补齐后刷新，或逐人登记缺材料例外（写明原因，打印在备注栏）。`,
      ),
    );
  }
  if (d.waiving && decides && blocked.length) {
    elements.push(
      form({
        name: 'waiver_form',
        elements: [
          select({
            name: WAIVER_STUDENT_FIELD,
            placeholder: '选择学生',
            required: true,
            initial: blocked.slice(0, MAX_WAIVER_OPTIONS).some((s) => s.studentNo === d.draft?.studentNo) ? d.draft?.studentNo : undefined,
            options: blocked.slice(0, MAX_WAIVER_OPTIONS).map((s) => ({ text: `${s.name}（${s.studentNo}）缺${s.missing.join('、')}`.slice(0, 100), value: s.studentNo })),
          }),
          input({ name: WAIVER_REASON_FIELD, label: '例外原因', placeholder: '例如：原件已核验，复印件随后补交', value: d.draft?.reason, required: true, multiline: true, maxLength: 200 }),
        ],
        submitText: '登记例外',
        value: value(BATCH_ACTIONS.waiveSubmit),
      }),
    );
    elements.push(actions([button({ text: '取消', value: value(BATCH_ACTIONS.refresh) })]));
  } else if (d.returning && decides && (b.status === 'submitted' || b.status === 'center_approved')) {
    elements.push(
      form({
        name: 'return_form',
        elements: [input({ name: RETURN_REASON_FIELD, label: '退回原因', placeholder: '请写明需要学院修改的内容', value: d.draft?.reason, required: true, multiline: true, maxLength: 500 })],
        submitText: '确认退回',
        value: value(BATCH_ACTIONS.returnSubmit),
      }),
    );
    elements.push(actions([button({ text: '取消', value: value(BATCH_ACTIONS.refresh) })]));
  } else {
    const buttons = [];
    if (!decides) {
      // nothing to decide on this copy: it follows the batch, with the export for reference
    } else if (b.status === 'submitted') {
      buttons.push(button({ text: '通过', type: 'primary', value: value(BATCH_ACTIONS.approve) }));
      buttons.push(button({ text: '退回', type: 'danger', value: value(BATCH_ACTIONS.returnForm) }));
    } else if (b.status === 'center_approved') {
      buttons.push(button({ text: '复审通过', type: 'primary', value: value(BATCH_ACTIONS.approve) }));
      buttons.push(button({ text: '复审退回', type: 'danger', value: value(BATCH_ACTIONS.returnForm) }));
    } else if (b.status === 'office_approved') {
      buttons.push(
        button({
          text: '发证',
          type: 'primary',
          value: value(BATCH_ACTIONS.issue),
          confirm: { title: '确认发证', text: `将为 ${b.studentNos.length} 名学生生成证书编号，生成后不可撤销。` },
        }),
      );
      if (blocked.length) buttons.push(button({ text: '登记缺材料例外', value: value(BATCH_ACTIONS.waiveForm) }));
    }
    if (b.status !== 'returned') buttons.push(button({ text: '导出', value: value(BATCH_ACTIONS.export) }));
    if (buttons.length) elements.push(actions(buttons));
  }
  const stageNote: Partial<Record<BatchStatus, string>> = {
    submitted: '审核由认定中心老师操作。',
    center_approved: '复审由领导小组办公室老师操作。',
    office_approved: '发证由认定中心老师操作。',
    returned: '已退回学院，学院修改后重新提交会收到新的审核卡片。',
  };
  if (stageNote[b.status]) elements.push(note(stageNote[b.status]!));

  return card({
    title: `认定批次 #${b.id} · ${b.college}`,
    subtitle: `${b.major} · ${LEVEL_LABEL[b.level]} · ${BATCH_STATUS_LABEL[b.status]}`,
    template: TEMPLATE[b.status],
    elements,
  });
}
