import { ISSUE_STAGE } from '../../../domain/batch-stages';
import { cohortOf } from '../../../domain/campaign';
import { certificateSequenceName, checkPattern, formatCertificateNumber } from '../../../domain/certificate-number';
import { z } from 'zod';
import { BATCH_STATUS_LABEL, type Batch, type IssuedCertificate } from '../../../domain/model';
import type { Actor, Store } from '../../../db/store';
import { defineJob, scheduleJob } from '../../jobs/runner';
import { sendUuid } from '../../jobs/send-uuid';
import type { Config } from '../../config';
import type { LarkApi } from '../../ports';
import type { Services } from '../../services';
import { describeBatch, notifyCollege, refreshCopies, type RefreshDeps } from './batch-notify.service';
import { applicationDateOf } from './batch-review.service';
import { issueGateOf } from '../../services/material-gate';
import { blockedMessage, type StudentMissing } from '../../../domain/materials/issue-gate';

// 发证: the batch moves to issued and every student gets a number, all in one transaction,
// so a batch is never half issued. Serials come from a database sequence per number prefix,
// which hands each value out once even to two instances issuing at the same moment.
// What follows (the students' notices, every copy of the cards, the college's note) is a job
// stored in that same transaction: it exists exactly when the batch was issued, so a crash
// after the commit loses nothing, and its sends carry uuids from the job key (Feishu delivers
// one message per uuid within an hour), so a re-run posts nothing twice.

export const BATCH_ISSUED_JOB = 'batch.issued';

const issuedPayload = z.object({ batchId: z.number().int().positive(), skip: z.string().nullable() });

export type IssueOutcome =
  | { ok: true; batch: Batch; certificates: IssuedCertificate[] }
  | { ok: false; message: string; current: Batch | null; blocked?: StudentMissing[] };

/** Students of the batch the campaign's cohort rule does not admit (the batch's own campaign, else the current one). */
async function outsideCohorts(services: { store: Pick<Store, 'batches' | 'campaigns' | 'cohortAdmissions' | 'students'> }, batch: Batch): Promise<string[]> {
  const { store } = services;
  const frozen = await store.batches.results(batch.id);
  const campaign = frozen?.campaign ?? (await store.campaigns.current()) ?? null;
  if (!campaign) return [];
  const admissions = new Map((await store.cohortAdmissions.listForYear(campaign.year)).map((a) => [a.studentNo, a]));
  const roster = new Map((await store.students.listByNumbers(batch.studentNos)).map((s) => [s.studentNo, s]));
  return batch.studentNos.flatMap((no) => {
    const cohort = cohortOf(roster.get(no) ?? null, campaign, admissions.get(no) ?? null);
    return cohort.kind === 'ineligible' || cohort.kind === 'unknown' ? [`${no} ${roster.get(no)?.name ?? ''}（${cohort.reason}）`] : [];
  });
}

export type IssueDeps = Pick<Services, 'store' | 'clock' | 'log'> & { config: Pick<Config, 'certNumberPattern'> };

/** Issues the batch at `version`; `skip` is the card copy the caller updates itself (the clicked one). */
export async function issueBatch(services: IssueDeps, batch: Batch, version: number, actor: Actor, skip: string | null = null): Promise<IssueOutcome> {
  const { store, clock, config } = services;
  const pattern = checkPattern(config.certNumberPattern);
  if (!pattern.ok) return { ok: false, message: pattern.problems.map((p) => p.message).join('；'), current: null };
  const colleges = await store.colleges.list();
  const collegeOrder = colleges.indexOf(batch.college) + 1;
  if (collegeOrder === 0) return { ok: false, message: `学院“${batch.college}”不在附件1 学院名单中，无法生成证书编号，请先导入任务目标。`, current: null };
  // no certificate for a student missing a required material, unless the center recorded why
  const gate = await issueGateOf(store, batch, await applicationDateOf(services));
  if (gate.blocked.length) return { ok: false, message: blockedMessage(gate.blocked), current: null, blocked: gate.blocked };
  const outside = await outsideCohorts(services, batch);
  if (outside.length > 0) {
    return { ok: false, message: `以下学生不属于本次认定对象，不能发证：${outside.join('；')}。请退回该批次，或由认定中心登记准予认定的理由后再发证。`, current: null };
  }
  const issuedOn = clock.today();
  const parts = { year: Number(issuedOn.slice(0, 4)), collegeOrder, level: batch.level };
  const sequence = certificateSequenceName(pattern.value, parts);

  const result = await store.transaction(async (tx) => {
    const moved = await tx.batches.transition(batch.id, { from: [ISSUE_STAGE.from], to: ISSUE_STAGE.approveTo, actor, action: ISSUE_STAGE.approveAction, version, now: clock.now() });
    if (!moved.ok) return moved;
    const certificates: IssuedCertificate[] = [];
    for (const studentNo of moved.batch.studentNos) {
      const seq = await tx.sequences.next(sequence);
      certificates.push({ batchId: batch.id, studentNo, number: formatCertificateNumber(pattern.value, parts, seq), level: batch.level, issuedOn });
    }
    await tx.issuedCertificates.record(certificates);
    await tx.audit.record({
      actorOpenId: actor.openId,
      actorName: actor.name,
      action: 'batch.issue',
      entity: 'batch',
      entityId: String(batch.id),
      detail: {
        count: certificates.length,
        first: certificates[0]?.number ?? null,
        last: certificates.at(-1)?.number ?? null,
        waived: gate.waived.map((w) => ({ studentNo: w.studentNo, missing: w.missing, reason: w.waiver.reason })),
      },
      at: clock.now(),
    });
    await scheduleJob(tx.jobs, issuedPayload, { key: `${BATCH_ISSUED_JOB}:${batch.id}`, kind: BATCH_ISSUED_JOB, runAt: clock.now(), payload: { batchId: batch.id, skip } }, clock.now());
    return { ok: true as const, batch: moved.batch, certificates };
  });
  if (!result.ok) return { ok: false, message: `该批次已被他人处理，当前状态：${BATCH_STATUS_LABEL[result.current.status]}。`, current: result.current };

  services.log.info({ batch: describeBatch(result.batch), count: result.certificates.length }, 'certificates issued');
  return result;
}

/** The job that tells everyone of an issued batch: its students, every copy of its cards, the college. */
export const sendIssuedNotices = defineJob(issuedPayload, async ({ key, payload: p }, services: RefreshDeps & { lark: Pick<LarkApi, 'send'>; hooks: Pick<Services['hooks'], 'statusChanged'> }) => {
  const { store } = services;
  const batch = await store.batches.get(p.batchId);
  if (!batch) throw new Error(`batch ${p.batchId} no longer exists`);
  const certificates = await store.issuedCertificates.listForBatch(batch.id);
  const issued = new Map(certificates.map((c) => [c.studentNo, c]));
  // students hear about it in chat when they have bound their account
  for (const s of await store.students.listByNumbers(batch.studentNos)) {
    const cert = issued.get(s.studentNo);
    if (!s.openId || !cert) continue;
    const text = `【证书已发放】${s.name}同学，你的职业技能等级证书（${batch.occupation}）已发放，证书编号：${cert.number}，发证日期：${cert.issuedOn}。`;
    await services.lark.send('open_id', s.openId, { kind: 'text', text }, { uuid: sendUuid(`${key}:student:${s.studentNo}`) });
  }
  await refreshCopies(services, batch.id, p.skip ?? undefined);
  const numbers = certificates.map((c) => c.number);
  const range = numbers.length > 1 ? `${numbers[0]} 至 ${numbers.at(-1)}` : (numbers[0] ?? '');
  await notifyCollege(services, batch, `【已发证】${describeBatch(batch)}已发证 ${numbers.length} 本，证书编号 ${range}。`, `${key}:college`);
  await services.hooks.statusChanged(batch.studentNos);
});
