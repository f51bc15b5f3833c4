import { campaignCard, CAMPAIGN_ACTIONS, CAMPAIGN_CARD_VERSION, campaignCreateValue, type CampaignFields } from '../../../cards/campaign.card';
import { CAMPAIGN_STATE_LABEL, cohortsLabel, graduationYearOf } from '../../../domain/campaign';
import type { ActionContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import type { Store } from '../../../db/store';
import type { Clock } from '../../clock';
import type { Services } from '../../services';
import { admitStudent, openCampaign } from '../../services/campaign.service';

// 新建认定年度 / 认定年度: the center opens the next graduation year from chat (the same
// validation as `cert campaign create`); 准予认定 <学号> <理由> admits a student outside
// the cohorts (延期毕业, 转专业 …) to the current year.

const center = ['center'] as const;

function actorOf(ctx: { actor: ActionContext['actor'] }) {
  const name = ctx.actor.roles.find((r) => r.role === 'center')?.name ?? null;
  return { openId: ctx.actor.openId, name };
}

async function existing(services: { store: Pick<Store, 'campaigns'> }): Promise<string[]> {
  return (await services.store.campaigns.list())
    .reverse()
    .map((c) => `${c.year} 届（${cohortsLabel(c)}）申报日期 ${c.applicationDate} · ${CAMPAIGN_STATE_LABEL[c.state]}`);
}

/** The form starts with the next year nobody has opened: this graduation year, or the one after the newest. */
async function defaults(services: { store: Pick<Store, 'campaigns'>; clock: Clock }): Promise<CampaignFields> {
  const newest = (await services.store.campaigns.list()).at(-1)?.year ?? 0;
  const year = Math.max(graduationYearOf(services.clock.today()), newest + 1);
  return { year: String(year), applicationDate: `${year}-05-31`, materialsDeadline: `${year}-05-15`, undergradCohort: String(year - 4), juniorCohort: String(year - 3) };
}

export function campaignFeature(services: Services): Feature {
  const { store, clock } = services;
  const formCard = async () => ({ ...campaignCard({ existing: await existing(services), values: await defaults(services) }) });
  return defineFeature({
    name: 'center.campaign',
    actions: [CAMPAIGN_ACTIONS.create],
    setup(r) {
      r.onText(/^\s*(新建认定年度|认定年度)\s*$/, async (ctx) => void (await ctx.replyCard(await formCard())), { roles: center });

      r.onAction(
        CAMPAIGN_ACTIONS.create,
        { value: campaignCreateValue, version: CAMPAIGN_CARD_VERSION, roles: center, fresh: formCard },
        async (ctx) => {
          const text = (k: string) => {
            const v = ctx.formValue[k];
            return typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
          };
          const values: CampaignFields = {
            year: text('year'),
            applicationDate: text('applicationDate'),
            materialsDeadline: text('materialsDeadline'),
            undergradCohort: text('undergradCohort'),
            juniorCohort: text('juniorCohort'),
          };
          const opened = await openCampaign(store, { ...values, year: values.year ?? '' }, actorOf(ctx), clock.now());
          if (!opened.ok) {
            const problems = opened.problems.map((p) => p.message);
            ctx.toast('error', problems[0] ?? '未能新建认定年度');
            await ctx.updateCard({ ...campaignCard({ existing: await existing(services), values, problems }) });
            return;
          }
          ctx.toast('success', `已新建 ${opened.campaign.year} 届认定年度`);
          await ctx.updateCard({ ...campaignCard({ existing: await existing(services), values, opened: opened.message }) });
        },
      );

      r.onText(
        /^\s*准予认定\s+\S+\s+\S/,
        async (ctx) => {
          const [, studentNo = '', reason = ''] = /^\s*准予认定\s+(\S+)\s+(.+)$/s.exec(ctx.text ?? '') ?? [];
          const admitted = await admitStudent(store, { studentNo, reason }, actorOf(ctx), clock.now());
          await ctx.reply(admitted.message);
        },
        { roles: center },
      );
    },
  });
}
