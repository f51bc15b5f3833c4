import { BATCH_SUBMIT_ACTIONS, BATCH_SUBMIT_VERSION, batchConfirmValue, batchSubmitCard, type BatchSubmitData } from '../../../cards/batch-submit.card';
import { GRADE_REPORT_ACTIONS, GRADE_REPORT_VERSION, reportSubmitValue } from '../../../cards/grade-report.card';
import { RESUBMIT } from '../../../domain/batch-stages';
import { BATCH_STATUS_LABEL, LEVEL_LABEL, type Batch, type Level } from '../../../domain/model';
import type { StoredScheme, Upload } from '../../../db/store';
import type { Actor, MessageContext } from '../../context';
import { defineFeature, refuse, type Feature } from '../../router';
import type { Services, ServiceSlice } from '../../services';
import { missingByStudent } from '../../services/material-gate';
import { BATCH_SUBMITTED_JOB, COLLEGE_COPY, collegeCopyCard, scheduleSubmitted } from '../center/batch-notify.service';
import { batchListCard } from '../../../cards/batch-list.card';
import { collegeStaffOf, NOT_YOUR_UPLOAD, ownGradeUpload, type CollegeStaff } from './college-scope';
import { freezeBatch, type FrozenBatch } from '../../../domain/batch-results';
import { campaignDates, cohortInputFor } from './grade-processing';
import { passedAt, scoreStored } from './grade-upload.service';

// 提交认定中心: the report's button shows what would be submitted; confirming creates
// the batch from the grades in the store (never from the card), once per upload and
// level. Resubmission after a return: when the grades did not change (the batch's upload
// is still the latest and gives the same list), “重新提交 批次 N” sends the same batch
// back to the center; otherwise the college uploads a corrected workbook, and its report
// submits a NEW batch (the returned one stays as history, named in the audit entry),
// because a correction can change who is in the batch and a batch's list is fixed.
// 批次 / 批次 N show the college's batches and one batch's card, kept up to date.

export const submissionKey = (uploadId: string, level: Level) => `grades:${uploadId}:${level}`;

const FIRST_SHOWN = 8;

interface Candidate {
  staff: CollegeStaff;
  upload: Upload;
  scheme: StoredScheme;
  studentNos: string[];
  /** the results frozen with the batch */
  results: FrozenBatch;
  data: BatchSubmitData;
}

/** Everything a click on 提交 needs, re-derived from the store for this actor; a string is the refusal. */
type CandidateServices = ServiceSlice<
  'uploads' | 'schemes' | 'grades' | 'campaigns' | 'cohortAdmissions' | 'students' | 'certificates' | 'batches' | 'materials' | 'filingForms',
  'clock'
>;

async function candidate(services: CandidateServices, ctx: { actor: Actor }, uploadId: string, level: Level): Promise<Candidate | string> {
  const { store } = services;
  const staff = collegeStaffOf(ctx.actor);
  const upload = staff ? await ownGradeUpload(services, staff, uploadId) : null;
  if (!staff || !upload) return NOT_YOUR_UPLOAD;
  const schemeCode = typeof upload.summary.schemeCode === 'string' ? upload.summary.schemeCode : null;
  const scheme = schemeCode ? await store.schemes.get(schemeCode) : undefined;
  if (!scheme || scheme.college !== staff.college || upload.status !== 'accepted') return '这份成绩表没有可提交的结果，请重新发送成绩表。';
  const grades = await store.grades.listForScheme(scheme.code);
  if (grades.length === 0 || grades.some((g) => g.uploadId !== upload.id)) return '本专业已有更新的成绩表，请在最新的报告上提交。';

  if (scheme.status !== 'approved') return `考核方案 ${scheme.code} 尚未经认定中心审核（方案未审核），审核通过后才能提交。`;
  const dates = await campaignDates(services);
  if (!dates.campaign) return '当前没有进行中的认定年度，请联系认定中心新建认定年度后再提交。';
  const roster = await store.students.listByMajor(scheme.college, scheme.major);
  const nos = [...new Set(grades.map((g) => g.studentNo))];
  const run = scoreStored(grades, {
    scheme,
    roster,
    certificates: await store.certificates.listForStudents(nos),
    applicationDate: dates.applicationDate,
    cohorts: await cohortInputFor(services, dates, scheme.code),
  });
  const passed = run ? passedAt(run, level) : [];
  if (!run || passed.length === 0) return `本专业没有认定为${LEVEL_LABEL[level]}的学生，无需提交。`;
  const unknown = passed.filter((s) => s.cohort.kind === 'unknown');
  if (unknown.length > 0) {
    const who = unknown.slice(0, 5).map((s) => `${s.studentNo} ${s.name}`).join('、');
    return `${who}${unknown.length > 5 ? ` 等 ${unknown.length} 人` : ''}不在学生名册中，无法核对是否属于本次认定对象；请先导入学生名册，再重新计算后提交。`;
  }
  const results = freezeBatch(run, passed.map((s) => s.studentNo), { schemeVersion: scheme.version, frozenAt: services.clock.now().toISOString() });

  const batches = (await store.batches.listByCollege(staff.college)).filter((b) => b.schemeCode === scheme.code && b.level === level);
  const returned = batches.filter((b) => b.status === 'returned').at(-1) ?? null;
  return {
    staff,
    upload,
    scheme,
    studentNos: passed.map((s) => s.studentNo),
    results,
    data: {
      uploadId: upload.id,
      college: scheme.college,
      major: scheme.major,
      occupation: scheme.occupation.name,
      level,
      count: passed.length,
      first: passed.slice(0, FIRST_SHOWN).map((s) => ({ studentNo: s.studentNo, name: s.name })),
      missing: (await missingByStudent(store, passed.map((s) => s.studentNo), dates.applicationDate)).filter((s) => s.missing.length > 0),
      replaces: returned?.id ?? null,
    },
  };
}

/** A batch of this major and level still in the workflow, other than the one this key made. */
async function activeBatch(services: ServiceSlice<'batches'>, c: Candidate, key: string): Promise<Batch | null> {
  const all = await services.store.batches.listByCollege(c.staff.college);
  return all.find((b) => b.schemeCode === c.scheme.code && b.level === c.data.level && b.status !== 'returned' && b.submissionKey !== key) ?? null;
}

export function batchSubmitFeature(services: Services): Feature {
  const { store } = services;
  return defineFeature({
    name: 'college.batch-submit',
    schedules: [BATCH_SUBMITTED_JOB],
    actions: [GRADE_REPORT_ACTIONS.submit, BATCH_SUBMIT_ACTIONS.confirm],
    setup(r) {
      const college = ['college'] as const;
      const load = async (v: { uploadId: string; level: Level }, ctx: { actor: Actor }) => {
        const c = await candidate(services, ctx, v.uploadId, v.level);
        return typeof c === 'string' ? refuse(c) : c;
      };
      r.onAction(
        GRADE_REPORT_ACTIONS.submit,
        { value: reportSubmitValue, version: GRADE_REPORT_VERSION, roles: college, load },
        async (ctx) => {
          ctx.toast('info', '请在下方卡片确认提交名单。');
          await ctx.replyCard({ ...batchSubmitCard(ctx.record.data) });
        },
      );

      r.onAction(
        BATCH_SUBMIT_ACTIONS.confirm,
        {
          value: batchConfirmValue,
          roles: college,
          load,
          // an outdated confirmation shows what would be submitted now and acts on nothing
          version: BATCH_SUBMIT_VERSION,
          fresh: (ctx) => (ctx.record ? { ...batchSubmitCard(ctx.record.data) } : null),
        },
        async (ctx) => {
          const c = ctx.record;
          const key = submissionKey(c.upload.id, c.data.level);
          const other = await activeBatch(services, c, key);
          if (other) {
            ctx.toast('error', `本专业${LEVEL_LABEL[c.data.level]}已有批次 #${other.id}（${BATCH_STATUS_LABEL[other.status]}），不能重复提交。`);
            return;
          }
          const now = services.clock.now();
          // the batch, its audit, the college's copy and the job that sends the center its cards
          // commit together: a crash after the click loses none of them
          const { batch, created } = await store.transaction(async (tx) => {
            const made = await tx.batches.create({
              college: c.staff.college,
              schemeCode: c.scheme.code,
              major: c.scheme.major,
              occupation: c.scheme.occupation.name,
              level: c.data.level,
              studentNos: c.studentNos,
              createdBy: c.staff.openId,
              createdByName: c.staff.name,
              submissionKey: key,
              results: c.results,
              now,
            });
            if (!made.created) return made;
            await tx.audit.record({
              actorOpenId: c.staff.openId,
              actorName: c.staff.name,
              action: 'batch.submit',
              entity: 'batch',
              entityId: String(made.batch.id),
              detail: { schemeCode: c.scheme.code, level: c.data.level, students: made.batch.studentNos.length, uploadId: c.upload.id, resubmissionOf: c.data.replaces ?? null },
              at: now,
            });
            // this card, in the college's chat, follows the batch from now on
            await tx.batches.addReviewMessageId(made.batch.id, `${COLLEGE_COPY}${ctx.click.messageId}`);
            await scheduleSubmitted(tx, made.batch, now);
            return made;
          });
          if (!created) {
            if (batch.status === 'returned') {
              ctx.toast('warning', `批次 #${batch.id} 已被退回。请改正成绩表后重新发送，再从新的报告提交。`);
            } else {
              ctx.toast('info', `批次 #${batch.id} 已提交过，不会重复提交。`);
            }
            await ctx.updateCard(await collegeCopyCard(services, batch));
            return;
          }
          await ctx.ack({ toast: { type: 'success', text: `已提交认定中心（批次 #${batch.id}）` }, card: await collegeCopyCard(services, batch) });
        },
      );

      r.onText(COLLEGE_BATCH_COMMANDS.list, async (ctx) => {
        const staff = collegeStaffOf(ctx.actor)!;
        const all = [...(await store.batches.listByCollege(staff.college))].reverse();
        await ctx.replyCard({ ...batchListCard({ batches: all.slice(0, 30), total: all.length, audience: 'college' }) });
      }, { roles: ['college'] });

      r.onText(COLLEGE_BATCH_COMMANDS.one, async (ctx) => {
        const batch = await ownBatch(ctx);
        if (!batch) return;
        const messageId = await ctx.replyCard(await collegeCopyCard(services, batch));
        await store.batches.addReviewMessageId(batch.id, `${COLLEGE_COPY}${messageId}`);
      }, { roles: ['college'] });

      r.onText(COLLEGE_BATCH_COMMANDS.resubmit, async (ctx) => {
        const batch = await ownBatch(ctx);
        if (batch) await ctx.reply(await resubmit(services, ctx, batch));
      }, { roles: ['college'] });
    },
  });

  /** The batch a typed command names, provided it is the asker's college's; null after saying why not. */
  async function ownBatch(ctx: MessageContext): Promise<Batch | null> {
    const staff = collegeStaffOf(ctx.actor);
    const id = Number(ctx.match?.[1]);
    const batch = await store.batches.get(id);
    if (!staff || !batch || batch.college !== staff.college) {
      await ctx.reply(`本学院没有批次 #${id}。发送“批次”查看本学院的批次。`);
      return null;
    }
    return batch;
  }
}

export const COLLEGE_BATCH_COMMANDS = {
  list: /^\s*批次\s*$/,
  one: /^\s*批次\s*#?\s*(\d+)\s*$/,
  resubmit: /^\s*重新提交\s*(?:批次)?\s*#?\s*(\d+)\s*$/,
} as const;

/**
 * Sends a returned batch back to the center unchanged, when its grades did not change:
 * its upload is still the major's latest and gives exactly the same list. The answer to
 * say either way.
 */
async function resubmit(services: CandidateServices & ServiceSlice<'transaction'>, ctx: MessageContext, batch: Batch): Promise<string> {
  const { store, clock } = services;
  if (batch.status !== 'returned') return `批次 #${batch.id} 当前状态：${BATCH_STATUS_LABEL[batch.status]}，只有被退回的批次可以重新提交。`;
  const uploadId = batch.submissionKey?.match(/^grades:(.+):L[34]$/)?.[1];
  const c = uploadId ? await candidate(services, ctx, uploadId, batch.level) : '这个批次不是从成绩表提交的，请重新上传成绩表后提交。';
  if (typeof c === 'string') return `批次 #${batch.id} 不能原样重新提交：${c}成绩有改动时，请从最新成绩表的报告上提交（作为新批次）。`;
  if (c.studentNos.join(',') !== batch.studentNos.join(',')) {
    return `批次 #${batch.id} 不能原样重新提交：按当前成绩，认定名单已变化（${c.studentNos.length} 人，原批次 ${batch.studentNos.length} 人）。请从最新成绩表的报告上提交（作为新批次）。`;
  }
  const other = await activeBatch(services, c, batch.submissionKey ?? '');
  if (other) return `本专业${LEVEL_LABEL[batch.level]}已有批次 #${other.id}（${BATCH_STATUS_LABEL[other.status]}），不能重复提交。`;
  const actor = { openId: c.staff.openId, name: c.staff.name };
  const now = clock.now();
  // the batch keeps what it is resubmitted with (the same list, today's frozen results); its
  // audit and the job that sends the center new cards (and updates every copy) commit with it
  const moved = await store.transaction(async (tx) => {
    const t = await tx.batches.transition(batch.id, { from: [RESUBMIT.from], to: RESUBMIT.to, actor, action: RESUBMIT.action, version: batch.version, now });
    if (!t.ok) return t;
    await tx.batches.saveResults(batch.id, c.results, now);
    await tx.audit.record({ actorOpenId: actor.openId, actorName: actor.name, action: 'batch.resubmit', entity: 'batch', entityId: String(batch.id), detail: { students: batch.studentNos.length }, at: now });
    await scheduleSubmitted(tx, t.batch, now);
    return t;
  });
  if (!moved.ok) return `批次 #${batch.id} 已被他人处理，当前状态：${BATCH_STATUS_LABEL[moved.current.status]}。`;
  return `已重新提交认定中心（批次 #${batch.id}，${batch.studentNos.length} 人，名单未变）。`;
}
