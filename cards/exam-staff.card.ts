import { z } from 'zod';
import { actions, button, card, form, input, markdown, md, note, select, type Card, type Element } from './kit';

// 安排考务人员: one row per post the plan needs (主考, 巡考/督导, 监考 2 per counted room and
// session, 考务人员 1–2), each with 姓名, 工号, a Feishu user and, where the post spans the
// exam, its sessions. Rows the clicker may not set are shown, not editable. Values name only
// the plan; who may set which post is decided by the handler from the operator.

export const EXAM_STAFF_VERSION = 1;
export const EXAM_STAFF_ACTIONS = {
  open: 'exam.staff.open',
  save: 'exam.staff.save',
  back: 'exam.staff.back',
} as const;

export const staffValue = z.object({
  action: z.enum([EXAM_STAFF_ACTIONS.open, EXAM_STAFF_ACTIONS.save, EXAM_STAFF_ACTIONS.back]),
  v: z.number(),
  planId: z.number().int().positive(),
});

export type SlotPost = 'chiefExaminer' | 'inspector' | 'invigilator' | 'examStaff';
export type SlotParts = 'all' | 'theory' | 'skill';

export interface StaffSlot {
  /** form field prefix, e.g. inv_theory_2 */
  id: string;
  label: string;
  post: SlotPost;
  /** set for 监考 rows: the session the row is for */
  fixedPart?: 'theory' | 'skill';
  /** shown but not editable by this clicker */
  locked?: boolean;
  required?: boolean;
  values?: { name?: string; staffNo?: string; openId?: string; parts?: SlotParts };
}

export interface StaffFormData {
  planId: number;
  title: string;
  /** e.g. 计 2 个考场；理论、实操两场 */
  summary: string;
  slots: StaffSlot[];
  /** sessions the plan has, for the 场次 choice */
  parts: Array<'theory' | 'skill'>;
  knownStaff: Array<{ openId: string; name: string }>;
  /** the center may name someone outside the list by open_id; college staff pick from the list only */
  openIdField?: boolean;
  findings?: Array<{ severity: 'error' | 'warning'; message: string }>;
  lockedNote?: string;
}

export const fieldName = (slotId: string, field: 'who' | 'parts') => `${slotId}__${field}`;

const PART_TEXT: Record<SlotParts, string> = { all: '全部场次', theory: '理论', skill: '实操' };

/**
 * A row's one text field: "姓名 工号", and an open_id (ou_…) only when the name alone does not
 * find the person among the known staff. One field per row and no option list of people keeps
 * a 10-room plan's form inside Feishu's 200 elements and 30 KB (a picker listing 80 people on
 * every row would be 380 KB); the handler finds the Feishu user by name (exam-staff.service.ts).
 */
export function whoText(v: { name?: string; staffNo?: string; openId?: string }, known: ReadonlyArray<{ openId: string; name: string }>, withOpenId = true): string {
  const byName = known.filter((k) => k.name === v.name);
  const implied = byName.length === 1 && byName[0]!.openId === v.openId;
  return [v.name, v.staffNo, withOpenId && v.openId && !implied ? v.openId : undefined].filter((x) => x).join(' ');
}

function slotElements(d: StaffFormData, s: StaffSlot): Element[] {
  const v = s.values ?? {};
  if (s.locked) {
    const who = v.name ? `${md(v.name)}（${md(v.staffNo ?? '')}）` : '尚未安排';
    return [markdown(`**${md(s.label)}**：${who}`)];
  }
  const out: Element[] = [input({ name: fieldName(s.id, 'who'), label: `${s.label}${s.required ? '' : '（可选）'}`, value: whoText(v, d.knownStaff, d.openIdField), maxLength: 100 })];
  if (!s.fixedPart && d.parts.length > 1) {
    out.push(select({ name: fieldName(s.id, 'parts'), placeholder: '场次', options: (['all', ...d.parts] as SlotParts[]).map((p) => ({ text: PART_TEXT[p], value: p })), initial: v.parts ?? 'all' }));
  }
  return out;
}

export function examStaffFormCard(d: StaffFormData): Card {
  const findings = d.findings ?? [];
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  return card({
    title: `安排考务人员：${d.title}`,
    template: errors.length ? 'red' : 'blue',
    elements: [
      markdown(
        `${md(d.summary)}。每次考试主考1名、巡考/督导1名（教务处安排）、每考场监考2名、考务人员1-2名；同一人在两场监考时两行填写相同工号。\n每行填写“姓名 工号”，如：王老师 T2019001。姓名与本学院或认定中心的飞书账号一致时自动关联，考试通知会发给本人${d.openIdField ? '；重名或不在名单中时，在后面加上飞书 open_id（ou_…）' : ''}。`,
      ),
      ...(errors.length ? [markdown(`**未保存，请修改：**\n${errors.map((f) => `- ${md(f.message)}`).join('\n')}`)] : []),
      ...(warnings.length ? [markdown(`**提示：**\n${warnings.map((f) => `- ${md(f.message)}`).join('\n')}`)] : []),
      form({
        name: 'exam_staff',
        submitText: '检查并保存',
        value: { action: EXAM_STAFF_ACTIONS.save, v: EXAM_STAFF_VERSION, planId: d.planId },
        elements: d.slots.flatMap((s) => slotElements(d, s)),
      }),
      actions([button({ text: '返回计划', value: { action: EXAM_STAFF_ACTIONS.back, v: EXAM_STAFF_VERSION, planId: d.planId } })]),
      ...(d.lockedNote ? [note(d.lockedNote)] : []),
    ],
  });
}

/** The button the plan cards carry. */
export function assignStaffButton(planId: number, assigned: boolean): Element {
  return button({ text: assigned ? '调整考务人员' : '安排考务人员', value: { action: EXAM_STAFF_ACTIONS.open, v: EXAM_STAFF_VERSION, planId } });
}
