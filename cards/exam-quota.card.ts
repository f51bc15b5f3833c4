import { z } from 'zod';
import { actions, button, card, form, input, markdown, md, type Card, type Element } from './kit';

// 调增申请: a college asks for more than the approved pilot quota (at least 2 weeks before
// the exam); 教务处 agrees (报省推进办) or rejects it, and records the province's approval
// with its date and document. Values name the plan only.

export const EXAM_QUOTA_VERSION = 1;
export const EXAM_QUOTA_ACTIONS = {
  open: 'exam.quota.open',
  file: 'exam.quota.file',
  approve: 'exam.quota.approve',
  reject: 'exam.quota.reject',
} as const;

export const quotaValue = z.object({
  action: z.enum([EXAM_QUOTA_ACTIONS.open, EXAM_QUOTA_ACTIONS.file, EXAM_QUOTA_ACTIONS.approve, EXAM_QUOTA_ACTIONS.reject]),
  v: z.number(),
  planId: z.number().int().positive(),
});

export interface QuotaFormData {
  planId: number;
  title: string;
  headcount: number;
  pilotQuota: number;
  /** 2024年5月4日 */
  deadline: string;
  problem?: string;
  /** what was typed in 申请人数, kept when it is refused */
  typed?: string;
}

export function quotaRequestFormCard(d: QuotaFormData): Card {
  return card({
    title: `调增申请：${d.title}`,
    template: d.problem ? 'red' : 'orange',
    elements: [
      markdown(`计划人数 ${d.headcount} 人，平台批准的试点名额 ${d.pilotQuota} 人。调增申请须于${md(d.deadline)}前（考试前2周）报教务处。`),
      ...(d.problem ? [markdown(`**未提交：**${md(d.problem)}`)] : []),
      form({
        name: 'exam_quota',
        submitText: '提交调增申请',
        value: { action: EXAM_QUOTA_ACTIONS.file, v: EXAM_QUOTA_VERSION, planId: d.planId },
        elements: [input({ name: 'headcount', label: '申请人数', value: d.typed ?? String(d.headcount), required: true })],
      }),
    ],
  });
}

export function quotaRequestButton(planId: number): Element {
  return button({ text: '申请调增名额', type: 'primary', value: { action: EXAM_QUOTA_ACTIONS.open, v: EXAM_QUOTA_VERSION, planId } });
}

export interface QuotaDecisionData {
  planId: number;
  title: string;
  college: string;
  headcount: number;
  pilotQuota: number;
  filedOn: string;
  status: 'pending' | 'forwarded' | 'approved' | 'rejected';
  /** 省推进办的批准日期和文号, once recorded */
  province?: { on: string; document: string } | null;
}

const DECISION_STATUS = { pending: '待教务处审核', forwarded: '教务处已审核同意，已报省推进办', approved: '省推进办已批准', rejected: '未获批准' } as const;

/** 教务处's card for one request: approve (报省推进办) or reject while pending; afterwards where it stands. */
export function quotaDecisionCard(d: QuotaDecisionData): Card {
  return card({
    title: `调增申请：${d.title}`,
    template: d.status === 'pending' ? 'orange' : d.status === 'rejected' ? 'red' : d.status === 'approved' ? 'green' : 'wathet',
    elements: [
      markdown(`${md(d.college)}申请将考试人数由试点名额 ${d.pilotQuota} 人调增至 **${d.headcount}** 人（${md(d.filedOn)}提交）。\n状态：**${DECISION_STATUS[d.status]}**${d.province ? `（${md(d.province.on)}，${md(d.province.document)}）` : ''}`),
      ...(d.status === 'pending' ? [quotaDecisionButtons(d.planId)] : []),
      ...(d.status === 'forwarded' ? [markdown(`省推进办批准后，请发送：省级批准 ${d.planId} 批准日期 文号（驳回则发送：省级驳回 ${d.planId} 日期 文号）。`)] : []),
    ],
  });
}

/** 教务处's approve / reject pair for a pending request. */
export function quotaDecisionButtons(planId: number): Element {
  return actions([
    button({ text: '同意，报省推进办', type: 'primary', value: { action: EXAM_QUOTA_ACTIONS.approve, v: EXAM_QUOTA_VERSION, planId } }),
    button({ text: '驳回调增', type: 'danger', value: { action: EXAM_QUOTA_ACTIONS.reject, v: EXAM_QUOTA_VERSION, planId } }),
  ]);
}
