import type { Repositories } from '../../db/store';
import { CAMPAIGN_STATE_LABEL, cohortsLabel, newCampaign, type CampaignInput } from '../../domain/campaign';
import type { Campaign, InputProblem } from '../../domain/model';

// Opening, closing and admitting to campaigns (认定年度): the one place the CLI and the
// center's 新建认定年度 card go through, so both validate, record and audit alike.

export interface CampaignActor {
  openId: string;
  name: string | null;
}

type CampaignStore = Pick<Repositories, 'campaigns' | 'cohortAdmissions' | 'students' | 'audit'>;

export type OpenOutcome = { ok: true; campaign: Campaign; previous: number | null; message: string } | { ok: false; problems: InputProblem[] };

/** 2027 届（2023级本科、2024级专科），申报日期 2027-05-31，材料截止 2027-05-15 */
export function describeCampaign(c: Campaign): string {
  return `${c.year} 届（${cohortsLabel(c)}），申报日期 ${c.applicationDate}${c.materialsDeadline ? `，材料截止 ${c.materialsDeadline}` : ''}`;
}

export async function openCampaign(store: CampaignStore, input: CampaignInput, actor: CampaignActor, now?: Date): Promise<OpenOutcome> {
  const made = newCampaign(input);
  if (!made.ok) return made;
  const campaign = made.value;
  const opened = await store.campaigns.open(campaign);
  if (!opened.created) {
    const existing = await store.campaigns.get(campaign.year);
    return {
      ok: false,
      problems: [{ code: 'campaign.exists', message: `${campaign.year} 届认定年度已存在（${existing ? CAMPAIGN_STATE_LABEL[existing.state] : ''}），未作修改` }],
    };
  }
  await store.audit.record({
    actorOpenId: actor.openId,
    actorName: actor.name,
    action: 'campaign.open',
    entity: 'campaign',
    entityId: String(campaign.year),
    detail: { ...campaign, previous: opened.previous },
    at: now,
  });
  const message = `已新建并启用 ${describeCampaign(campaign)}${opened.previous ? `；${opened.previous} 届不再是当前年度（未关闭，可继续办理其批次）` : ''}`;
  return { ok: true, campaign, previous: opened.previous, message };
}

export async function closeCampaign(store: CampaignStore, year: number, actor: CampaignActor, now?: Date): Promise<{ ok: boolean; message: string }> {
  const outcome = await store.campaigns.close(year);
  switch (outcome) {
    case 'not_found':
      return { ok: false, message: `没有 ${year} 届认定年度` };
    case 'is_current':
      return { ok: false, message: `${year} 届是当前认定年度，请先新建下一年度再关闭它` };
    case 'already_closed':
      return { ok: true, message: `${year} 届认定年度已关闭` };
    case 'closed':
      await store.audit.record({ actorOpenId: actor.openId, actorName: actor.name, action: 'campaign.close', entity: 'campaign', entityId: String(year), detail: {}, at: now });
      return { ok: true, message: `已关闭 ${year} 届认定年度` };
  }
}

/** The center admits a student outside the current campaign's cohorts (延期毕业, 转专业 …), with the reason. */
export async function admitStudent(
  store: CampaignStore,
  input: { studentNo: string; reason: string },
  actor: CampaignActor,
  now?: Date,
): Promise<{ ok: boolean; message: string }> {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, message: '请写明准予认定的理由，例如 延期毕业、转专业' };
  if (reason.length > 200) return { ok: false, message: '理由请不超过 200 字' };
  const campaign = await store.campaigns.current();
  if (!campaign) return { ok: false, message: '当前没有认定年度，请先新建认定年度' };
  const student = await store.students.get(input.studentNo);
  if (!student) return { ok: false, message: `学生名册中没有学号 ${input.studentNo}，请先导入学生名册` };
  const changed = await store.cohortAdmissions.admit({ year: campaign.year, studentNo: student.studentNo, reason, actorOpenId: actor.openId, actorName: actor.name, now });
  if (changed) {
    await store.audit.record({
      actorOpenId: actor.openId,
      actorName: actor.name,
      action: 'campaign.admit',
      entity: 'student',
      entityId: student.studentNo,
      detail: { year: campaign.year, reason, entryYear: student.entryYear, programme: student.programme },
      at: now,
    });
  }
  return { ok: true, message: `已准予 ${student.studentNo} ${student.name}（${student.entryYear}级）参加 ${campaign.year} 届认定，理由：${reason}` };
}
