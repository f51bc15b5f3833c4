import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AUDIENCE_FIELD,
  BROADCAST_ACTIONS,
  BROADCAST_VERSION,
  broadcastConfirmValue,
  broadcastFormCard,
  broadcastPreview,
  broadcastPreviewCard,
  broadcastPreviewValue,
  TEXT_FIELD,
  type AudienceOption,
  type BroadcastPreview,
} from '../../../cards/broadcast.card';
import type { JobRepository, Store } from '../../../db/store';
import type { IsoDate, Student } from '../../../domain/model';
import type { Clock } from '../../clock';
import type { LarkApi } from '../../ports';
import { defineJob, scheduleJob } from '../../jobs/runner';
import { scheduleTexts, sendTextJob } from '../../jobs/text-notice';
import { defineFeature, refuse, type Feature } from '../../router';
import type { Services } from '../../services';
import { applicationDateOr, missingOf } from '../../services/material-gate';

// 群发 (center staff): audience and text → preview with the count and the first names →
// confirm schedules one job per recipient under broadcast:<id>:<openId>; a progress job patches
// the card until every send is done. The confirm is a compare-and-set: the preview leaves an
// "unconfirmed" marker next to the draft, and only the confirm that takes it (one transaction
// with the scheduling and the audit entry) acts, so a double click or two instances act once.

export const BROADCAST_SEND = 'broadcast.send';
export const BROADCAST_PROGRESS = 'broadcast.progress';
const DRAFT = (id: string) => `broadcast:${id}`;
const UNCONFIRMED = (id: string) => `broadcast:${id}:unconfirmed`;
const FIRST_SHOWN = 8;
const PROGRESS_EVERY_MS = 2000;

const draftSchema = z.object({
  audience: z.string(),
  label: z.string(),
  text: z.string(),
  messageId: z.string().optional(),
  confirmed: z.boolean().optional(),
  /** how many the confirm scheduled (the audience may have changed since) */
  recipients: z.number().optional(),
});
type Draft = z.infer<typeof draftSchema>;

type Recipients = Array<Pick<Student, 'studentNo' | 'name'> & { openId: string }>;

/** What an audience is resolved from: the roster, exam candidates, and what each student still owes. */
type AudienceStore = Pick<Store, 'colleges' | 'students' | 'exams' | 'campaigns' | 'materials' | 'filingForms' | 'grades' | 'schemes' | 'certificates'>;

/** The bound students an audience names; null when the audience is not one the center can choose. */
export async function resolveAudience(store: AudienceStore, audience: string, today: IsoDate): Promise<{ label: string; students: Recipients } | null> {
  const [kind, ...rest] = audience.split(':');
  const arg = rest.join(':');
  const all = async () => (await Promise.all((await store.colleges.list()).map((c) => store.students.listByCollege(c)))).flat();
  let label: string;
  let students: Student[];
  if (kind === 'college' && arg) {
    label = arg;
    students = await store.students.listByCollege(arg);
  } else if (kind === 'major' && arg) {
    label = `${arg}专业`;
    students = (await all()).filter((s) => s.major === arg);
  } else if (kind === 'exam' && /^\d+$/.test(arg)) {
    const plan = await store.exams.getPlan(Number(arg));
    if (!plan) return null;
    label = `考试计划 #${plan.id} ${plan.certificate}（${plan.level}）考生`;
    students = await store.students.listByNumbers((await store.exams.listCandidates(plan.id)).map((c) => c.studentNo));
  } else if (kind === 'missing') {
    label = '材料未交齐的学生';
    students = [];
    const applicationDate = await applicationDateOr(store, today);
    for (const s of await all()) if (s.openId && (await missingOf(store, s, applicationDate)).length > 0) students.push(s);
  } else return null;
  const seen = new Set<string>();
  const bound = students.filter((s): s is Student & { openId: string } => typeof s.openId === 'string' && s.openId !== '' && !seen.has(s.openId) && Boolean(seen.add(s.openId))).sort((a, b) => a.studentNo.localeCompare(b.studentNo));
  return { label, students: bound };
}

async function audienceOptions(store: Pick<Store, 'colleges' | 'schemes' | 'exams'>): Promise<AudienceOption[]> {
  const colleges = await store.colleges.list();
  const majors = [...new Set((await store.schemes.list()).map((s) => s.major))];
  const plans = (await store.exams.listPlans()).filter((p) => p.status !== 'cancelled').slice(-20);
  return [
    { value: 'missing:all', text: '材料未交齐的学生' },
    ...colleges.map((c) => ({ value: `college:${c}`, text: `学院：${c}` })),
    ...majors.map((m) => ({ value: `major:${m}`, text: `专业：${m}` })),
    ...plans.map((p) => ({ value: `exam:${p.id}`, text: `考试：#${p.id} ${p.certificate}（${p.level}）` })),
  ];
}

async function progressOf(store: { jobs: Pick<JobRepository, 'list'> }, id: string, total: number) {
  const jobs = await store.jobs.list({ keyPrefix: `broadcast:${id}:`, limit: 100_000 });
  return { sent: jobs.filter((j) => j.status === 'done').length, failed: jobs.filter((j) => j.status === 'failed').length, total };
}

const progressPayload = z.object({ id: z.string().min(1), round: z.number().int().positive(), messageId: z.string().min(1), preview: broadcastPreview });

type ProgressDeps = { store: { jobs: Pick<JobRepository, 'list' | 'schedule'> }; lark: Pick<LarkApi, 'patchCard'>; clock: Clock };

/** Patches the confirmed card with the counts; plans the next round until every send is settled. */
const reportProgress = defineJob(progressPayload, async ({ payload: p }, services: ProgressDeps) => {
  const { store } = services;
  const progress = await progressOf(store, p.id, p.preview.count);
  await services.lark.patchCard(p.messageId, { ...broadcastPreviewCard({ ...p.preview, progress }) });
  if (progress.sent + progress.failed >= progress.total) return;
  const round = p.round + 1;
  const runAt = new Date(services.clock.now().getTime() + PROGRESS_EVERY_MS);
  await scheduleJob(store.jobs, progressPayload, { key: `${BROADCAST_PROGRESS}:${p.id}:${round}`, kind: BROADCAST_PROGRESS, runAt, payload: { ...p, round } }, services.clock.now());
});


export function broadcastFeature(services: Services): Feature {
  const { store } = services;
  return defineFeature({
    name: 'center.broadcast',
    actions: [BROADCAST_ACTIONS.preview, BROADCAST_ACTIONS.confirm],
    jobs: { [BROADCAST_SEND]: sendTextJob, [BROADCAST_PROGRESS]: reportProgress },
    setup(r) {
      r.onText(/^\s*群发(通知)?\s*$/, async (ctx) => void (await ctx.replyCard({ ...broadcastFormCard(await audienceOptions(store)) })), { roles: ['center'] });

      const center = ['center'] as const;
      const freshForm = async () => ({ ...broadcastFormCard(await audienceOptions(store)) });

      r.onAction(BROADCAST_ACTIONS.preview, { value: broadcastPreviewValue, version: BROADCAST_VERSION, roles: center, fresh: freshForm }, async (ctx) => {
        const audience = String(ctx.formValue[AUDIENCE_FIELD] ?? '');
        const text = String(ctx.formValue[TEXT_FIELD] ?? '').trim();
        const resolved = await resolveAudience(store, audience, services.clock.today());
        if (!resolved || text === '') {
          ctx.toast('error', text === '' ? '请填写通知内容。' : '请选择发送对象。');
          await ctx.updateCard({ ...broadcastFormCard(await audienceOptions(store), text === '' ? '请填写通知内容。' : '请选择发送对象。', { audience, text }) });
          return;
        }
        if (resolved.students.length === 0) {
          ctx.toast('warning', `${resolved.label}中没有已绑定飞书的学生，无需发送。`);
          return;
        }
        const id = randomUUID();
        const now = services.clock.now();
        await store.transaction(async (tx) => {
          await tx.chatState.set(ctx.actor.openId, DRAFT(id), { audience, label: resolved.label, text } satisfies Draft, now);
          await tx.chatState.set(ctx.actor.openId, UNCONFIRMED(id), true, now);
        });
        await ctx.updateCard({
          ...broadcastPreviewCard({ broadcastId: id, audience: resolved.label, text, count: resolved.students.length, first: resolved.students.slice(0, FIRST_SHOWN).map((s) => s.name) }),
        });
      });

      r.onAction(
        BROADCAST_ACTIONS.confirm,
        {
          value: broadcastConfirmValue,
          version: BROADCAST_VERSION,
          roles: center,
          // the draft is looked up under the clicker: someone else's broadcast id finds nothing
          load: async (v, ctx) => (await store.chatState.get(ctx.actor.openId, DRAFT(v.broadcastId), draftSchema)) ?? refuse('找不到这条群发草稿，请重新发送“群发”。'),
          fresh: freshForm,
        },
        async (ctx) => {
          const draft = ctx.record;
          const id = ctx.value.broadcastId;
          const resolved = await resolveAudience(store, draft.audience, services.clock.today());
          if (!resolved) return ctx.stale(await freshForm());
          const now = services.clock.now();
          const preview: BroadcastPreview = { broadcastId: id, audience: draft.label, text: draft.text, count: resolved.students.length, first: resolved.students.slice(0, FIRST_SHOWN).map((s) => s.name) };
          const won = await store.transaction(async (tx) => {
            if (!(await tx.chatState.take(ctx.actor.openId, UNCONFIRMED(id), z.boolean()))) return false;
            await scheduleTexts(tx, BROADCAST_SEND, `broadcast:${id}`, resolved.students.map((s) => s.openId), draft.text, now);
            await scheduleJob(
              tx.jobs,
              progressPayload,
              { key: `${BROADCAST_PROGRESS}:${id}:1`, kind: BROADCAST_PROGRESS, runAt: new Date(now.getTime() + PROGRESS_EVERY_MS), payload: { id, round: 1, messageId: ctx.click.messageId, preview } },
              now,
            );
            await tx.chatState.set(ctx.actor.openId, DRAFT(id), { ...draft, confirmed: true, recipients: resolved.students.length } satisfies Draft, now);
            await tx.audit.record({
              actorOpenId: ctx.actor.openId,
              actorName: ctx.actor.roles.find((x) => x.role === 'center')?.name ?? null,
              action: 'broadcast.confirm',
              entity: 'broadcast',
              entityId: id,
              detail: { audience: draft.audience, recipients: resolved.students.length, text: draft.text.slice(0, 200) },
              at: now,
            });
            return true;
          });
          if (won) {
            ctx.toast('success', `正在发送给 ${resolved.students.length} 人…`);
            await ctx.updateCard({ ...broadcastPreviewCard({ ...preview, progress: await progressOf(store, id, preview.count) }) });
            return;
          }
          // the other confirm took the marker first: show what it started, change nothing
          const current = await store.chatState.get(ctx.actor.openId, DRAFT(id), draftSchema);
          if (!current?.confirmed) return ctx.stale(await freshForm());
          const count = current.recipients ?? preview.count;
          ctx.toast('info', `已在发送（${count} 人），不会重复发送。`);
          await ctx.updateCard({ ...broadcastPreviewCard({ ...preview, count, progress: await progressOf(store, id, count) }) });
        },
      );
    },
  });
}
