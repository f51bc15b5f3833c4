import { z } from 'zod';
import { card, form, input, markdown, md, note, type Card } from './kit';

// 新建认定年度: the center opens the next graduation year from chat, with the same fields
// and the same validation as `cert campaign create`. The form carries no authority; the
// handler checks the clicker is center staff and validates every field again.

export const CAMPAIGN_CARD_VERSION = 1;
export const CAMPAIGN_ACTIONS = { create: 'center.campaign.create' } as const;
export const campaignCreateValue = z.object({ action: z.literal(CAMPAIGN_ACTIONS.create), v: z.number() });

export const CAMPAIGN_FIELDS = {
  year: 'year',
  applicationDate: 'applicationDate',
  materialsDeadline: 'materialsDeadline',
  undergradCohort: 'undergradCohort',
  juniorCohort: 'juniorCohort',
} as const;
export type CampaignFields = Partial<Record<keyof typeof CAMPAIGN_FIELDS, string>>;

export interface CampaignCardData {
  /** every campaign on record, newest first: 2027 届（2023级本科、2024级专科）… 当前 */
  existing: string[];
  /** what the form starts with (the next graduation year's defaults, or what was typed) */
  values: CampaignFields;
  problems?: string[];
  /** once opened: the confirmation replaces the form */
  opened?: string;
}

export function campaignCard(d: CampaignCardData): Card {
  const list = d.existing.length ? d.existing.map((l) => `- ${md(l)}`).join('\n') : '还没有认定年度。';
  if (d.opened) {
    return card({ title: '认定年度已新建', template: 'green', elements: [markdown(md(d.opened)), markdown(`**全部认定年度**\n${list}`)] });
  }
  const v = d.values;
  return card({
    title: '新建认定年度',
    template: d.problems?.length ? 'red' : 'blue',
    elements: [
      markdown(`**全部认定年度**\n${list}`),
      ...(d.problems?.length ? [markdown(d.problems.map((p) => `<font color='red'>${md(p)}</font>`).join('\n'))] : []),
      form({
        name: 'campaign',
        submitText: '新建并设为当前年度',
        value: { action: CAMPAIGN_ACTIONS.create, v: CAMPAIGN_CARD_VERSION },
        elements: [
          input({ name: CAMPAIGN_FIELDS.year, label: '毕业年度', placeholder: '如 2027', value: v.year, required: true, maxLength: 4 }),
          input({ name: CAMPAIGN_FIELDS.applicationDate, label: '申报日期', placeholder: 'YYYY-MM-DD，留空为 5 月 31 日', value: v.applicationDate, maxLength: 10 }),
          input({ name: CAMPAIGN_FIELDS.materialsDeadline, label: '材料截止日期', placeholder: 'YYYY-MM-DD，留空为 5 月 15 日', value: v.materialsDeadline, maxLength: 10 }),
          input({ name: CAMPAIGN_FIELDS.undergradCohort, label: '本科入学年级', placeholder: '留空为毕业年度减 4', value: v.undergradCohort, maxLength: 4 }),
          input({ name: CAMPAIGN_FIELDS.juniorCohort, label: '专科入学年级', placeholder: '留空为毕业年度减 3', value: v.juniorCohort, maxLength: 4 }),
        ],
      }),
      note('新建的年度立即成为当前年度：成绩计算、提交批次、进度和提醒都按它的申报日期与认定对象。上一年度保留，可继续办理已提交的批次。'),
    ],
  });
}
