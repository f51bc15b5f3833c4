import { CAMPAIGN_STATE_LABEL, defaultCohorts, type CampaignState } from '../../domain/campaign';
import type { Campaign } from '../../domain/model';
import { CampaignEntity, type CampaignRow } from '../entities';
import { keysOf, readEnum, readJson, toJson, type UpsertOutcome } from '../mapping';
import { COHORTS } from '../schemas';
import type { Db } from '../runner';
import type { CampaignCloseOutcome, CampaignRepository, StoredCampaign } from '../ports/reference';

// Campaigns (认定年度): exactly one is current; past ones stay open for their batches until closed.

const campaignFromRow = (r: CampaignRow): Campaign => ({
  year: Number(r.year),
  cohorts: readJson('campaigns.cohorts', r.cohorts, COHORTS, defaultCohorts(Number(r.year))),
  applicationDate: r.application_date,
  materialsDeadline: r.materials_deadline ?? null,
  scoresDeadline: r.scores_deadline ?? null,
});

const storedFromRow = (r: CampaignRow): StoredCampaign => ({ ...campaignFromRow(r), state: readEnum('campaigns.state', r.state, keysOf(CAMPAIGN_STATE_LABEL)) });

const campaignContent = (campaign: Campaign) => ({
  year: campaign.year,
  cohorts: toJson({ undergrad: campaign.cohorts.undergrad, junior: campaign.cohorts.junior }),
  application_date: campaign.applicationDate,
  materials_deadline: campaign.materialsDeadline,
  scores_deadline: campaign.scoresDeadline,
});

export function campaignRepository(db: Db): CampaignRepository {
  return {
    /** Saves a campaign's dates and cohorts; it becomes current only when no campaign is. */
    upsert: (campaign: Campaign): Promise<UpsertOutcome> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(CampaignEntity);
        const row = campaignContent(campaign);
        const existing = await repo.findOneBy({ year: campaign.year });
        if (!existing) {
          const current = await repo.findOneBy({ state: 'current' });
          await repo.insert({ ...row, state: current ? 'open' : 'current' });
          return 'created';
        }
        const same =
          existing.cohorts === row.cohorts &&
          existing.application_date === row.application_date &&
          (existing.materials_deadline ?? null) === row.materials_deadline &&
          (existing.scores_deadline ?? null) === row.scores_deadline;
        if (same) return 'unchanged';
        await repo.update({ year: campaign.year }, row);
        return 'updated';
      }),
    /**
     * Opens a new campaign and makes it the current one (the previous current stays open
     * for its unfinished batches). A year already on record is not touched.
     */
    open: (campaign: Campaign): Promise<{ created: boolean; previous: number | null }> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(CampaignEntity);
        if (await repo.findOneBy({ year: campaign.year })) return { created: false, previous: null };
        // locking read: two centers opening years at once still leave exactly one current
        const qb = repo.createQueryBuilder('c').where('c.state = :s', { s: 'current' });
        // SQLite's write transaction already excludes every other writer
        if (db.dialect === 'mysql') qb.setLock('pessimistic_write');
        const current = await qb.getMany();
        await repo.update({ state: 'current' }, { state: 'open' });
        await repo.insert({ ...campaignContent(campaign), state: 'current' });
        return { created: true, previous: current[0] ? Number(current[0].year) : null };
      }),
    /** Closes a past campaign; the current one stays until the next year is opened. */
    close: (year: number): Promise<CampaignCloseOutcome> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(CampaignEntity);
        const row = await repo.findOneBy({ year });
        if (!row) return 'not_found';
        if (row.state === 'current') return 'is_current';
        if (row.state === 'closed') return 'already_closed';
        await repo.update({ year }, { state: 'closed' });
        return 'closed';
      }),
    get: (year: number): Promise<StoredCampaign | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(CampaignEntity).findOneBy({ year });
        return row ? storedFromRow(row) : undefined;
      }),
    /** The one current campaign. */
    current: (): Promise<Campaign | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(CampaignEntity).findOneBy({ state: 'current' });
        return row ? campaignFromRow(row) : undefined;
      }),
    list: (): Promise<StoredCampaign[]> =>
      db.run(async (em) =>
        (await em.getRepository(CampaignEntity).find({ order: { year: 'ASC' } })).map(storedFromRow),
      ),
  };
}
