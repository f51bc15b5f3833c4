import type { Repositories } from '../../db/store';
import type { Campaign, IsoDate } from '../../domain/model';

// What every scoring needs from the current campaign (DESIGN: Years): its application
// date (today only when no campaign is open), its cohorts, and the center's admissions.
// The chat, the CLI, the exports and the student's status all start here.

export interface ScoringContext {
  today: IsoDate;
  applicationDate: IsoDate;
  /** the campaign year the forms name; the application date's year when there is none */
  year: number;
  campaign: Campaign | null;
  admissions: Map<string, { reason: string }>;
}

export async function scoringContext(
  store: Pick<Repositories, 'campaigns' | 'cohortAdmissions'>,
  today: IsoDate,
  opts: { applicationDate?: IsoDate | null } = {},
): Promise<ScoringContext> {
  const campaign = (await store.campaigns.current()) ?? null;
  const applicationDate = opts.applicationDate ?? campaign?.applicationDate ?? today;
  const admissions = new Map(campaign ? (await store.cohortAdmissions.listForYear(campaign.year)).map((a) => [a.studentNo, { reason: a.reason }]) : []);
  return { today, applicationDate, year: campaign?.year ?? Number(applicationDate.slice(0, 4)), campaign, admissions };
}
