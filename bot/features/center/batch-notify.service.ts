import { batchReviewCard, type ReviewAudience } from '../../../cards/batch-review.card';
import { batchSubmitCard } from '../../../cards/batch-submit.card';
import { formatBeijing } from '../../../domain/time';
import { missingByStudent } from '../../services/material-gate';
import { writeCompositeForm } from '../../../domain/forms/composite.xlsx';
import { safeFileName } from '../../../domain/materials/naming';
import { LEVEL_LABEL, type Batch, type Role } from '../../../domain/model';
import { z } from 'zod';
import type { Repositories, Store } from '../../../db/store';
import type { Config } from '../../config';
import { defineJob, scheduleJob } from '../../jobs/runner';
import { sendUuid } from '../../jobs/send-uuid';
import type { LarkApi } from '../../ports';
import type { Services } from '../../services';
import { applicationDateOf, loadReview } from './batch-review.service';

// Sending and updating the review cards of a batch, and telling the college. Every copy's
// message id is remembered on the batch, so a decision updates all of them in place.

async function recipientsOf(services: { store: Pick<Store, 'roles'> }, role: Role): Promise<string[]> {
  return [...new Set((await services.store.roles.listByRole(role)).map((r) => r.openId))];
}

/** The college group's copy of a batch (the submit card it was confirmed on): `college:om_…`. */
export const COLLEGE_COPY = 'college:';

const FIRST_SHOWN = 8;

/** The college's card of a batch as it stands now: status, the return reason, the certificates issued. */
export async function collegeCopyCard(services: Pick<Services, 'store' | 'clock'>, batch: Batch): Promise<Record<string, unknown>> {
  const { store } = services;
  const students = new Map((await store.students.listByNumbers(batch.studentNos)).map((s) => [s.studentNo, s.name]));
  const returnedAt = batch.status === 'returned' ? [...(await store.batches.log(batch.id))].reverse().find((e) => e.action.endsWith('return')) : undefined;
  const certs = batch.status === 'issued' ? await store.issuedCertificates.listForBatch(batch.id) : [];
  return {
    ...batchSubmitCard({
      uploadId: '',
      college: batch.college,
      major: batch.major,
      occupation: batch.occupation,
      level: batch.level,
      count: batch.studentNos.length,
      first: batch.studentNos.slice(0, FIRST_SHOWN).map((no) => ({ studentNo: no, name: students.get(no) ?? '' })),
      missing: batch.status === 'issued' ? [] : (await missingByStudent(store, batch.studentNos, await applicationDateOf(services))).filter((s) => s.missing.length > 0),
      submitted: {
        batchId: batch.id,
        status: batch.status,
        reason: returnedAt?.reason ?? null,
        returnedBy: returnedAt ? (returnedAt.action.startsWith('office') ? '领导小组办公室' : '认定中心') : null,
        certified: certs.length ? { count: certs.length, first: certs[0]!.number, last: certs.at(-1)!.number } : null,
        updatedAt: formatBeijing(services.clock.now().toISOString()),
      },
    }),
  };
}

/**
 * A remembered copy: `office:om_…` for an office reviewer's copy, a bare message id for a
 * center staff member's (as every copy was before copies carried their audience).
 */
export function parseCopy(entry: string): { audience: ReviewAudience; messageId: string } {
  return entry.startsWith('office:') ? { audience: 'office', messageId: entry.slice('office:'.length) } : { audience: 'center', messageId: entry };
}

export type RefreshDeps = Pick<Services, 'store' | 'clock' | 'log'> & { lark: Pick<LarkApi, 'patchCard'> };

/** Updates every remembered copy except `skip` (the one the callback answers itself), the college group's included. */
export async function refreshCopies(services: RefreshDeps, batchId: number, skip?: string): Promise<void> {
  const bundle = await loadReview(services, batchId);
  if (!bundle) return;
  const cards = { center: { ...batchReviewCard({ ...bundle.data, audience: 'center' }) }, office: { ...batchReviewCard({ ...bundle.data, audience: 'office' }) } };
  for (const entry of bundle.data.batch.reviewMessageIds) {
    const college = entry.startsWith(COLLEGE_COPY);
    const { audience, messageId: id } = college ? { audience: 'center' as const, messageId: entry.slice(COLLEGE_COPY.length) } : parseCopy(entry);
    if (id === skip) continue;
    const card = college ? await collegeCopyCard(services, bundle.data.batch) : cards[audience];
    try {
      await services.lark.patchCard(id, card);
    } catch (err) {
      // one copy past Feishu's 14-day update window must not hold back the others
      services.log.warn({ err, batchId, messageId: id }, 'review card copy could not be updated');
    }
  }
}

/** Sends the review card (and 附件6) to everyone holding `role` (or just `only`), remembering each message id. */
export async function sendReviewCards(services: RefreshDeps & { lark: Pick<LarkApi, 'uploadFile' | 'send'>; config: Pick<Config, 'schoolName'> }, batchId: number, role: 'center' | 'office', opts: { skip?: string; only?: string } = {}): Promise<number> {
  const bundle = await loadReview(services, batchId);
  if (!bundle) {
    services.log.warn({ batchId }, 'review requested for a batch that does not exist');
    return 0;
  }
  const { batch } = bundle.data;
  await refreshCopies(services, batchId, opts.skip);
  const recipients = (await recipientsOf(services, role)).filter((r) => !opts.only || r === opts.only);
  if (recipients.length === 0) {
    services.log.error({ batchId, role }, 'nobody holds the role that reviews this batch');
    return 0;
  }
  const card = { ...batchReviewCard({ ...bundle.data, audience: role }) };
  let fileKey: string | null = null;
  if (bundle.run) {
    const bytes = await writeCompositeForm(bundle.run, { school: services.config.schoolName });
    fileKey = await services.lark.uploadFile(bytes, safeFileName(`批次${batch.id}-${batch.college}-${batch.major}-附件6综合认定表.xlsx`));
  }
  for (const openId of recipients) {
    const key = `review:${batch.id}:${batch.version}:${role}:${openId}`;
    const messageId = await services.lark.send('open_id', openId, { kind: 'card', card }, { uuid: sendUuid(key) });
    await services.store.batches.addReviewMessageId(batch.id, role === 'office' ? `office:${messageId}` : messageId);
    if (fileKey) await services.lark.send('open_id', openId, { kind: 'file', fileKey }, { uuid: sendUuid(`${key}:file`) });
  }
  return recipients.length;
}

export function describeBatch(b: Batch): string {
  return `批次 #${b.id}（${b.college} ${b.major}，${b.occupation}，${LEVEL_LABEL[b.level]}，${b.studentNos.length} 人）`;
}

/** The submitting staff member and the college's staff. */
export async function notifyCollege(services: { store: Pick<Store, 'roles'>; lark: Pick<LarkApi, 'send'> }, batch: Batch, text: string, key: string): Promise<void> {
  const staff = (await services.store.roles.listByCollege(batch.college)).filter((r) => r.role === 'college').map((r) => r.openId);
  for (const openId of new Set([batch.createdBy, ...staff])) {
    await services.lark.send('open_id', openId, { kind: 'text', text }, { uuid: sendUuid(`${key}:${openId}`) });
  }
}

// What follows a 审核/复审 decision is a job stored with it (outbox style): it tells the
// college and sends the office its review cards (after 审核) or updates every copy. Its sends
// carry uuids from the job key (the college's) or the batch's version (the review cards'), so
// a re-run after a crash posts nothing twice.

export const BATCH_DECIDED_JOB = 'batch.decided';

const decidedPayload = z.object({
  batchId: z.number().int().positive(),
  /** what the college is told */
  text: z.string().min(1),
  /** 审核通过: the office gets its review cards */
  toOffice: z.boolean(),
  /** the copy the click answered itself */
  skip: z.string().nullable(),
});

/** Stores, in the decision's transaction `tx`, the job that tells everyone of the decided `batch`. */
export async function scheduleDecided(tx: Pick<Repositories, 'jobs'>, batch: Batch, what: Omit<z.infer<typeof decidedPayload>, 'batchId'>, now: Date): Promise<void> {
  await scheduleJob(tx.jobs, decidedPayload, { key: `${BATCH_DECIDED_JOB}:${batch.id}:${batch.version}`, kind: BATCH_DECIDED_JOB, runAt: now, payload: { batchId: batch.id, ...what } }, now);
}

/** The job that tells the college of a decision and brings the batch's cards up to date. */
export const sendDecidedNotices = defineJob(decidedPayload, async ({ key, payload: p }, services: Parameters<typeof sendReviewCards>[0]) => {
  const batch = await services.store.batches.get(p.batchId);
  if (!batch) throw new Error(`batch ${p.batchId} no longer exists`);
  await notifyCollege(services, batch, p.text, `${key}:college`);
  if (p.toOffice) await sendReviewCards(services, batch.id, 'office', { skip: p.skip ?? undefined });
  else await refreshCopies(services, batch.id, p.skip ?? undefined);
});

// A submitted (or resubmitted) batch reaches the center the same way: the college's commit
// stores this job with the batch, and the job sends every center staff member the review card
// (uuids from the batch's version) and brings the students' status cards up to date.

export const BATCH_SUBMITTED_JOB = 'batch.submitted';

const submittedPayload = z.object({ batchId: z.number().int().positive(), version: z.number().int().positive() });

/** Stores, in the submission's transaction `tx`, the job that sends the center the review cards of `batch`. */
export async function scheduleSubmitted(tx: Pick<Repositories, 'jobs'>, batch: Batch, now: Date): Promise<void> {
  await scheduleJob(tx.jobs, submittedPayload, { key: `${BATCH_SUBMITTED_JOB}:${batch.id}:${batch.version}`, kind: BATCH_SUBMITTED_JOB, runAt: now, payload: { batchId: batch.id, version: batch.version } }, now);
}

/** The job that sends the center the review cards of a submitted batch and updates its students' cards. */
export const sendSubmittedCards = defineJob(submittedPayload, async ({ payload: p }, services: Parameters<typeof sendReviewCards>[0] & { hooks: Pick<Services['hooks'], 'statusChanged'> }) => {
  const batch = await services.store.batches.get(p.batchId);
  if (!batch) throw new Error(`batch ${p.batchId} no longer exists`);
  // a batch decided meanwhile (from a copy sent before a crash) needs no new card, only fresh copies
  if (batch.version === p.version) await sendReviewCards(services, batch.id, 'center');
  else await refreshCopies(services, batch.id);
  await services.hooks.statusChanged(batch.studentNos);
});
