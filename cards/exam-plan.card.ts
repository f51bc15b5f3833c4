import { z } from 'zod';
import { quotaRequestButton } from './exam-quota.card';
import { assignStaffButton } from './exam-staff.card';
import { actions, button, card, datePicker, facts, form, input, markdown, md, note, select, type Card, type Element } from './kit';

// 考试计划: the form a college fills (with checkPlan's findings on it when something is
// wrong), the receipt once it is filed, and the center's card with the staffing it needs,
// the fee sheet and the reminders. Values name only what to act on; who may act is decided
// by the handler from the operator.

export const EXAM_PLAN_VERSION = 1;
export const EXAM_PLAN_ACTIONS = {
  submit: 'exam.plan.submit',
  feeSheet: 'exam.plan.feeSheet',
  schedule: 'exam.plan.schedule',
} as const;

export const planSubmitValue = z.object({ action: z.literal(EXAM_PLAN_ACTIONS.submit), v: z.number(), draftId: z.string().min(1).max(64) });
export const planActValue = z.object({
  action: z.enum([EXAM_PLAN_ACTIONS.feeSheet, EXAM_PLAN_ACTIONS.schedule]),
  v: z.number(),
  planId: z.number().int().positive(),
});

export const PLAN_FIELDS = [
  'certificate',
  'level',
  'owner',
  'classes',
  'headcount',
  'theoryDate',
  'theoryTime',
  'practicalDate',
  'practicalTime',
  'place',
  'rooms',
  'roomNeeds',
  'pilotQuota',
  'assessorOrg',
  'agreementStart',
  'agreementEnd',
] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

export interface PlanFormData {
  draftId: string;
  college: string;
  values?: Partial<Record<PlanField, string>>;
  findings?: Array<{ severity: 'error' | 'warning'; message: string }>;
}

export function examPlanFormCard(d: PlanFormData): Card {
  const v = d.values ?? {};
  const findings = d.findings ?? [];
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const field = (name: PlanField, label: string, placeholder?: string, required = false) => input({ name, label, placeholder, value: v[name], required });
  return card({
    title: `1+X 考试计划（${d.college}）`,
    template: errors.length ? 'red' : 'blue',
    elements: [
      markdown('请于每月1日前提交下月考试计划。理论与实操为不同场次；考生名单按班级从学籍名单生成，非首次参加同一证书考核的考生自费。'),
      ...(errors.length ? [markdown(`**计划未保存，请修改：**\n${errors.map((f) => `- ${md(f.message)}`).join('\n')}`)] : []),
      ...(warnings.length ? [markdown(`**提示：**\n${warnings.map((f) => `- ${md(f.message)}`).join('\n')}`)] : []),
      form({
        name: 'exam_plan',
        submitText: '检查并提交',
        value: { action: EXAM_PLAN_ACTIONS.submit, v: EXAM_PLAN_VERSION, draftId: d.draftId },
        elements: [
          field('certificate', '证书名称', '例如 Web前端开发', true),
          select({ name: 'level', placeholder: '等级', options: ['初级', '中级', '高级'].map((x) => ({ text: x, value: x })), initial: v.level, required: true }),
          field('owner', '负责人', '姓名', true),
          field('classes', '班级', '多个班级用顿号分隔', true),
          field('headcount', '人数', '留空则按班级名单计算'),
          datePicker({ name: 'theoryDate', placeholder: '理论考试日期', initial: v.theoryDate }),
          field('theoryTime', '理论开始时间', '09:00'),
          datePicker({ name: 'practicalDate', placeholder: '实操考试日期', initial: v.practicalDate }),
          field('practicalTime', '实操开始时间', '14:00'),
          field('place', '考试地点', '例如 实训楼A301', true),
          field('rooms', '考场数', '实际使用的考场数', true),
          field('roomNeeds', '考场要求', '例如 机房需安装考试客户端'),
          field('pilotQuota', '试点名额', '平台批准的试点人数'),
          field('assessorOrg', '培训评价组织', '已登记过可留空'),
          field('agreementStart', '协议起始', 'YYYY-MM-DD'),
          field('agreementEnd', '协议截止', 'YYYY-MM-DD'),
        ],
      }),
    ],
  });
}

export interface PlanSummary {
  planId: number;
  college: string;
  certificate: string;
  level: string;
  owner: string;
  classes: string[];
  headcount: number;
  sessions: Array<{ id: number; label: string; when: string; place: string; status: string }>;
  roomNeeds: string;
  candidates: number;
  selfPaying: number;
  warnings: string[];
  /** the assigned team, one line each (主考 张三（T001，理论、实操）) */
  staff?: string[];
  /** the pilot quota and its 调增申请, when the plan names a quota */
  quota?: { pilotQuota: number; request: { headcount: number; status: 'pending' | 'forwarded' | 'approved' | 'rejected'; filedOn: string } | null; over: boolean };
  /** what holds back the exam notices (quota not settled) */
  blocking?: string[];
}

const QUOTA_STATUS = { pending: '待教务处审核', forwarded: '教务处已审核，待省推进办批准', approved: '已批准', rejected: '已驳回' } as const;

function staffAndQuota(d: PlanSummary): Element[] {
  const out: Element[] = [];
  if (d.staff?.length) out.push(markdown(`**已安排考务人员：**\n${d.staff.map((x) => `- ${md(x)}`).join('\n')}`));
  const q = d.quota;
  if (q && (q.over || q.request)) {
    const r = q.request;
    out.push(markdown(`**试点名额** ${q.pilotQuota} 人${r ? `；调增申请 ${r.headcount} 人（${md(r.filedOn)}提交，${QUOTA_STATUS[r.status]}）` : '；尚未提交调增申请'}`));
  }
  if (d.blocking?.length) out.push(markdown(`**暂不能安排考试通知：**\n${d.blocking.map((w) => `- ${md(w)}`).join('\n')}`));
  return out;
}

function summaryFacts(d: PlanSummary) {
  return facts([
    ['证书', `${md(d.certificate)}（${md(d.level)}）`],
    ['学院', md(d.college)],
    ['负责人', md(d.owner)],
    ['班级', md(d.classes.join('、'))],
    ['人数', `${d.headcount} 人（名单 ${d.candidates} 人，其中非首次考核自费 ${d.selfPaying} 人）`],
    ...d.sessions.map((s): [string, string] => [s.label, `${s.when} ${md(s.place)}${s.status ? `（${s.status}）` : ''}`]),
    ...(d.roomNeeds ? [['考场要求', md(d.roomNeeds)] as [string, string]] : []),
  ]);
}

/** The college's receipt. */
export function examPlanFiledCard(d: PlanSummary): Card {
  return card({
    title: `考试计划已提交（#${d.planId}）`,
    template: 'green',
    elements: [
      summaryFacts(d),
      ...(d.warnings.length ? [markdown(`**提示：**\n${d.warnings.map((w) => `- ${md(w)}`).join('\n')}`)] : []),
      ...staffAndQuota(d),
      actions([
        assignStaffButton(d.planId, Boolean(d.staff?.length)),
        ...(d.quota?.over && (!d.quota.request || d.quota.request.status === 'rejected') ? [quotaRequestButton(d.planId)] : []),
      ]),
      note('计划已送认定中心；考试通知和考前提醒由认定中心安排后自动发送给考生。学院可安排监考和考务人员，主考与巡考/督导由认定中心安排。'),
    ],
  });
}

export interface StaffingView {
  rooms: number;
  chiefExaminer: number;
  inspector: number;
  invigilatorsPerSession: number;
  examStaff: { min: number; max: number };
}

/** The center's card: what the plan needs and what can be done with it. */
export function examPlanCenterCard(d: PlanSummary & { staffing: StaffingView; scheduled?: boolean; unassigned?: string[] }): Card {
  const s = d.staffing;
  const unassigned = d.unassigned ?? [];
  return card({
    title: `考试计划 #${d.planId}：${d.certificate}（${d.level}）`,
    template: d.scheduled ? 'green' : 'blue',
    elements: [
      summaryFacts(d),
      markdown(
        `**考务人员配置**（计 ${s.rooms} 个考场）：主考 ${s.chiefExaminer} 名；巡考/督导 ${s.inspector} 名（教务处安排）；每场监考 ${s.invigilatorsPerSession} 名；考务人员 ${s.examStaff.min}-${s.examStaff.max} 名。`,
      ),
      ...(d.warnings.length ? [markdown(`**需关注：**\n${d.warnings.map((w) => `- ${md(w)}`).join('\n')}`)] : []),
      ...(unassigned.length ? [markdown(`<font color='orange'>尚未安排：${unassigned.join('、')}</font>`)] : []),
      ...staffAndQuota(d),
      actions([
        assignStaffButton(d.planId, Boolean(d.staff?.length)),
        button({ text: '发送考务费用结算表', value: { action: EXAM_PLAN_ACTIONS.feeSheet, v: EXAM_PLAN_VERSION, planId: d.planId } }),
        button({
          text: d.scheduled ? '重新安排考试提醒' : '安排考试通知与提醒',
          type: 'primary',
          value: { action: EXAM_PLAN_ACTIONS.schedule, v: EXAM_PLAN_VERSION, planId: d.planId },
          // sending with posts empty is allowed, but never by accident: the click asks first, naming them
          ...(unassigned.length
            ? { confirm: { title: `${unassigned.join('、')}尚未安排`, text: `${unassigned.join('、')}尚未安排，考务人员不会收到考试通知。仍要向考生发送考试通知吗？` } }
            : {}),
        }),
      ]),
      note(d.scheduled ? '已安排：考生已收到考试通知，考前一天9:00与考前2小时自动提醒。' : '安排后考生立即收到考试通知，考前一天9:00与考前2小时自动提醒。'),
    ],
  });
}
