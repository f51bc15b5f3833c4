import type { Logger } from 'pino';
import { progressCard } from '../../../cards/progress.card';
import { barChartSvg, renderPng } from '../../../domain/charts/bar-chart';
import { cjkOutlineText } from '../../services/chart-font';
import { addDays } from '../../../domain/calendar';
import { computeProgress, type CollegeCounts, type Progress } from '../../../domain/progress';
import { beijingDate, beijingInstant } from '../../../domain/time';
import { z } from 'zod';
import type { Store } from '../../../db/store';
import { defineFeature, type Feature } from '../../router';
import type { Clock } from '../../clock';
import type { LarkApi } from '../../ports';
import type { Services } from '../../services';
import { defineJob, scheduleJob } from '../../jobs/runner';
import { sendUuid } from '../../jobs/send-uuid';

// 进度: each college's certified / advanced / 1+X counts against its 附件1 targets, as a
// card with a bar chart. Center staff ask with “进度”; a weekly job sends it on Mondays.

export const PROGRESS_JOB_KIND = 'progress.weekly';

type ProgressStore = Pick<Store, 'batches' | 'issuedCertificates' | 'targets' | 'students' | 'certificates' | 'colleges'>;

export async function collectProgress(services: { store: ProgressStore & Pick<Store, 'campaigns'>; clock: Clock }): Promise<Progress> {
  const { store, clock } = services;
  const year = (await store.campaigns.current())?.year ?? Number(clock.today().slice(0, 4));
  return progressOf(store, year);
}

/** Each college's counts of the year against its 附件1 targets. */
export async function progressOf(store: ProgressStore, year: number): Promise<Progress> {
  const counts = new Map<string, CollegeCounts>();
  const at = (college: string) => {
    const c = counts.get(college) ?? { certified: 0, advanced: 0, xCertified: 0 };
    counts.set(college, c);
    return c;
  };
  for (const batch of await store.batches.listByStatus('issued')) {
    // a batch counts for the campaign it was submitted in, whenever its certificates were issued
    const campaignYear = (await store.batches.results(batch.id))?.campaign?.year ?? null;
    for (const cert of await store.issuedCertificates.listForBatch(batch.id)) {
      if ((campaignYear ?? Number(cert.issuedOn.slice(0, 4))) !== year) continue;
      const c = at(batch.college);
      c.certified++;
      if (cert.level === 'L3') c.advanced++;
    }
  }
  const targets = await store.targets.list(year);
  for (const t of targets) {
    const students = await store.students.listByCollege(t.college);
    const held = await store.certificates.listForStudents(students.map((s) => s.studentNo));
    at(t.college).xCertified = new Set(held.filter((h) => h.kind === 'x').map((h) => h.studentNo)).size;
  }
  return computeProgress(year, await store.colleges.list(), targets, counts);
}

/** Each college's shares as sorted horizontal bars, in Chinese, with the 100% target line. */
export async function progressChart(progress: Progress): Promise<Buffer> {
  return renderPng(
    barChartSvg(
      {
        title: `${progress.year} 年职业技能等级认定任务进度`,
        series: [
          { name: '认定完成率', colour: '#3370ff' },
          { name: '三级/高级完成率', colour: '#34c724' },
          { name: '1+X 证书完成率', colour: '#ff8800' },
        ],
        rows: progress.lines.map((l) => ({ label: l.college, values: [l.certifiedPct, l.advancedPct, l.xPct] })),
        goal: 100,
        goalLabel: '目标 100%',
      },
      cjkOutlineText,
    ),
  );
}

type ProgressCardDeps = Parameters<typeof collectProgress>[0] & { lark: Pick<LarkApi, 'uploadImage'>; log: Logger };

export async function buildProgressCard(services: ProgressCardDeps) {
  const progress = await collectProgress(services);
  let imageKey: string | null = null;
  try {
    imageKey = await services.lark.uploadImage(await progressChart(progress));
  } catch (err) {
    // the numbers matter more than the picture: send the card without it
    services.log.warn({ err }, 'progress chart could not be drawn or uploaded');
  }
  return { ...progressCard({ progress, imageKey, asOf: services.clock.today() }) };
}

/** The weekly report carries nothing: it reads the progress when it runs. */
const weeklyPayload = z.strictObject({});

/** Next Monday 09:00 Beijing strictly after `now`. */
export function nextWeeklyRun(now: Date): Date {
  for (let day = beijingDate(now); ; day = addDays(day, 1)) {
    const at = new Date(beijingInstant(day, '09:00'));
    if (new Date(`${day}T00:00:00Z`).getUTCDay() === 1 && at.getTime() > now.getTime()) return at;
  }
}

/** Puts the next weekly report on the calendar; idempotent on its key, so every start may call it. */
export async function ensureWeeklyProgress(services: { store: Pick<Store, 'jobs'>; clock: Clock }): Promise<void> {
  const runAt = nextWeeklyRun(services.clock.now());
  await scheduleJob(services.store.jobs, weeklyPayload, { key: `${PROGRESS_JOB_KIND}:${beijingDate(runAt)}`, kind: PROGRESS_JOB_KIND, runAt, payload: {} }, services.clock.now());
}

type WeeklyProgressDeps = ProgressCardDeps & { store: Pick<Store, 'roles' | 'jobs'>; lark: Pick<LarkApi, 'send'> };

const sendWeeklyProgress = defineJob(weeklyPayload, async (job, services: WeeklyProgressDeps) => {
  const card = await buildProgressCard(services);
  const recipients = new Set((await services.store.roles.listByRole('center')).map((r) => r.openId));
  for (const openId of recipients) await services.lark.send('open_id', openId, { kind: 'card', card }, { uuid: sendUuid(`${job.key}:${openId}`) });
  await ensureWeeklyProgress(services);
});


export function progressFeature(services: Services): Feature {
  return defineFeature({
    name: 'center.progress',
    jobs: { [PROGRESS_JOB_KIND]: sendWeeklyProgress },
    setup(r) {
      r.onText(
        /^\s*(进度|认定进度|任务进度)\s*$/,
        async (ctx) => {
          await ctx.replyCard(await buildProgressCard(services));
          // makes sure the weekly report is on the calendar (idempotent on its key)
          await ensureWeeklyProgress(services);
        },
        { roles: ['center'] },
      );
    },
  });
}
