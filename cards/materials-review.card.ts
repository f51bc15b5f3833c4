import { z } from 'zod';
import type { MaterialStatus } from '../domain/model';
import { actions, button, card, form, hr, image, input, markdown, md, note, type Card, type Element } from './kit';

// College staff review the materials their students sent: one card per query (the
// college, a class or one student), paged by student. Each button names a material
// and the page the card showed; the handler re-checks that the clicker's college owns
// it and that it is still the newest version awaiting review before acting.

export const MATERIALS_REVIEW_CARD_VERSION = 1;

export const MATERIALS_REVIEW_ACTIONS = {
  accept: 'materials.accept',
  /** shows the 退回 reason form under one material */
  rejectForm: 'materials.rejectForm',
  reject: 'materials.reject',
  acceptAll: 'materials.acceptAll',
  page: 'materials.page',
} as const;

export const MATERIALS_REVIEW_ACTION_IDS = Object.values(MATERIALS_REVIEW_ACTIONS);

export const materialsReviewValue = z.object({
  action: z.enum(MATERIALS_REVIEW_ACTION_IDS as [string, ...string[]]),
  v: z.number().int(),
  /** what the staff member asked for (学号, name, class or major; '' for the whole college) */
  q: z.string().max(60).default(''),
  page: z.coerce.number().int().min(0).max(10_000).default(0),
  studentNo: z.string().max(32).optional(),
  materialId: z.coerce.number().int().positive().optional(),
  /** 全部通过: exactly the materials the card showed, so an unseen re-upload is never passed */
  materialIds: z.array(z.coerce.number().int().positive()).max(20).optional(),
});
export type MaterialsReviewValue = z.infer<typeof materialsReviewValue>;

/**
 * What one card holds: a material with its scan, state and buttons is about ten of the 200
 * elements Feishu allows in a card (sim/card-validator.ts counts them), so a page holds at most
 * ten materials, of at most eight students; test/unit/cards/worst-case.test.ts checks the fullest page.
 */
export const REVIEW_PAGE = { students: 8, materials: 10 } as const;

export const REJECT_REASON_FIELD = 'reason';
export const REJECT_REASON_MAX = 200;

export const REVIEW_STATE_LABEL: Record<MaterialStatus, string> = {
  received: '待审核',
  accepted: '已通过',
  rejected: '已退回',
};

export interface ReviewMaterialView {
  id: number;
  label: string;
  version: number;
  fileName: string;
  /** Beijing time, e.g. 2024-03-01 10:05 */
  receivedAt: string;
  status: MaterialStatus;
  reason: string | null;
  warnings: string[];
  imageKey: string | null;
}

export interface ReviewStudentView {
  studentNo: string;
  name: string;
  className: string | null;
  materials: ReviewMaterialView[];
}

export interface MaterialsReviewData {
  college: string;
  q: string;
  /** what the list covers, e.g. 财经学院全部学生 / 电子商务2001班 */
  scope: string;
  page: number;
  pages: number;
  totalStudents: number;
  students: ReviewStudentView[];
  /** the material whose 退回 form is open */
  rejecting?: number | null;
  /** the reason typed on that form, kept when it is refused */
  rejectDraft?: string;
  /** the outcome of the last click, shown at the top */
  notice?: string | null;
}

export function materialsReviewCard(d: MaterialsReviewData): Card {
  const base = { v: MATERIALS_REVIEW_CARD_VERSION, q: d.q, page: d.page };
  const elements: Element[] = [];
  if (d.notice) elements.push(markdown(md(d.notice)));
  elements.push(
    markdown(
      d.totalStudents === 0
        ? `**${md(d.scope)}**：没有待审核的材料。`
        : `**${md(d.scope)}**：${d.totalStudents} 名学生有待审核的材料（第 ${d.page + 1}/${d.pages} 页）`,
    ),
  );

  for (const s of d.students) {
    elements.push(hr());
    elements.push(markdown(`**${md(s.name)}**（${md(s.studentNo)}${s.className ? `，${md(s.className)}` : ''}）`));
    const pending = s.materials.filter((m) => m.status === 'received');
    for (const m of s.materials) {
      const state = m.status === 'rejected' ? `${REVIEW_STATE_LABEL.rejected}：${md(m.reason ?? '')}` : REVIEW_STATE_LABEL[m.status];
      const lines = [`**${m.label}** 第 ${m.version} 版 · ${md(m.fileName)} · ${m.receivedAt} 收到 · ${state}`];
      for (const w of m.warnings) lines.push(`<font color='orange'>⚠️ ${md(w)}</font>`);
      elements.push(markdown(lines.join('\n')));
      if (m.imageKey) elements.push(image(m.imageKey, `${s.name} ${m.label}`));
      if (m.status !== 'received') continue;
      const value = { ...base, studentNo: s.studentNo, materialId: m.id };
      if (d.rejecting === m.id) {
        elements.push(
          form({
            name: `reject_${m.id}`,
            elements: [
              input({ name: REJECT_REASON_FIELD, label: '退回原因', placeholder: '请写明问题和修改要求，学生会收到这段话', value: d.rejectDraft, required: true, multiline: true, maxLength: REJECT_REASON_MAX }),
            ],
            submitText: '确认退回',
            value: { action: MATERIALS_REVIEW_ACTIONS.reject, ...value },
          }),
        );
        elements.push(actions([button({ text: '取消', value: { action: MATERIALS_REVIEW_ACTIONS.page, ...base } })]));
      } else {
        elements.push(
          actions([
            button({ text: '通过', type: 'primary', value: { action: MATERIALS_REVIEW_ACTIONS.accept, ...value } }),
            button({ text: '退回', type: 'danger', value: { action: MATERIALS_REVIEW_ACTIONS.rejectForm, ...value } }),
          ]),
        );
      }
    }
    if (pending.length > 1) {
      elements.push(
        actions([
          button({
            text: '全部通过',
            type: 'primary_filled',
            value: { action: MATERIALS_REVIEW_ACTIONS.acceptAll, ...base, studentNo: s.studentNo, materialIds: pending.map((m) => m.id) },
            confirm: { title: '全部通过', text: `通过${s.name}的 ${pending.length} 份待审核材料？` },
          }),
        ]),
      );
    }
  }

  const paging: Element[] = [];
  if (d.page > 0) paging.push(button({ text: '上一页', value: { action: MATERIALS_REVIEW_ACTIONS.page, ...base, page: d.page - 1 } }));
  if (d.page + 1 < d.pages) paging.push(button({ text: '下一页', value: { action: MATERIALS_REVIEW_ACTIONS.page, ...base, page: d.page + 1 } }));
  paging.push(button({ text: '刷新', value: { action: MATERIALS_REVIEW_ACTIONS.page, ...base } }));
  elements.push(hr());
  elements.push(actions(paging));
  elements.push(note('“谁评价、谁负责”：请逐份核对后再通过，退回时写明原因，学生会收到通知。'));

  return card({ title: '材料审核', subtitle: d.college, template: d.totalStudents === 0 ? 'green' : 'blue', elements });
}
