import { BATCH_SUBMIT_ACTIONS, batchConfirmValue, batchSubmitCard, type BatchSubmitData } from '../../../cards/batch-submit.card';
import { GRADE_REPORT_ACTIONS, reportSubmitValue } from '../../../cards/grade-report.card';
import { BATCH_STATUS_LABEL, LEVEL_LABEL, type Batch, type Level } from '../../../domain/model';
import type { StoredScheme, Upload } from '../../../db/store';
import type { ActionContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import type { Services } from '../../services';
import { missingByStudent } from '../../services/material-gate';
import { hooks } from '../../workflow/hooks';
import { collegeStaffOf, NOT_YOUR_UPLOAD, ownGradeUpload, type CollegeStaff } from './college-scope';
import { campaignDates } from './grade-processing';
import { passedAt, scoreStored } from './grade-upload.service';

// 提交认定中心: the report's button shows what would be submitted; confirming creates
// the batch from the grades in the store (never from the card), once per upload and
// level. Resubmission after a return: the college uploads a corrected workbook, and its
// report submits a NEW batch (the returned one stays as history, named in the audit
// entry), because a correction can change who is in the batch and a batch's list is fixed.

export const submissionKey = (uploadId: string, level: Level) => `grades:${uploadId}:${level}`;

const FIRST_SHOWN = 8;

interface Candidate {
  staff: CollegeStaff;
  upload: Upload;
  scheme: StoredScheme;
  studentNos: string[];
  data: BatchSubmitData;
}

/** Everything a click on 提交 needs, re-derived from the store for this actor; a string is the refusal. */
async function candidate(services: Services, ctx: ActionContext, uploadId: string, level: Level): Promise<Candidate | string> {
  const { store } = services;
  const staff = collegeStaffOf(ctx.actor);
  const upload = staff ? await ownGradeUpload(services, staff, uploadId) : null;
  if (!staff || !upload) return NOT_YOUR_UPLOAD;
  const schemeCode = typeof upload.summary.schemeCode === 'string' ? upload.summary.schemeCode : null;
  const scheme = schemeCode ? await store.schemes.get(schemeCode) : undefined;
  if (!scheme || scheme.college !== staff.college || upload.status !== 'accepted') return '这份成绩表没有可提交的结果，请重新发送成绩表。';
  const grades = await store.grades.listForScheme(scheme.code);
  if (grades.length === 0 || grades.some((g) => g.uploadId !== upload.id)) return '本专业已有更新的成绩表，请在最新的报告上提交。';

  const dates = await campaignDates(services);
  const roster = await store.students.listByMajor(scheme.college, scheme.major);
  const nos = [...new Set(grades.map((g) => g.studentNo))];
  const run = scoreStored(grades, { scheme, roster, certificates: await store.certificates.listForStudents(nos), applicationDate: dates.applicationDate });
  const passed = run ? passedAt(run, level) : [];
  if (passed.length === 0) return `本专业没有认定为${LEVEL_LABEL[level]}的学生，无需提交。`;

  const batches = (await store.batches.listByCollege(staff.college)).filter((b) => b.schemeCode === scheme.code && b.level === level);
  const returned = batches.filter((b) => b.status === 'returned').at(-1) ?? null;
  return {
    staff,
    upload,
    scheme,
    studentNos: passed.map((s) => s.studentNo),
    data: {
      uploadId: upload.id,
      college: scheme.college,
      major: scheme.major,
      occupation: scheme.occupation.name,
      level,
      count: passed.length,
      first: passed.slice(0, FIRST_SHOWN).map((s) => ({ studentNo: s.studentNo, name: s.name })),
      missing: (await missingByStudent(store, passed.map((s) => s.studentNo))).filter((s) => s.missing.length > 0),
      replaces: returned?.id ?? null,
    },
  };
}

/** A batch of this major and level still in the workflow, other than the one this key made. */
async function activeBatch(services: Services, c: Candidate, key: string): Promise<Batch | null> {
  const all = await services.store.batches.listByCollege(c.staff.college);
  return all.find((b) => b.schemeCode === c.scheme.code && b.level === c.data.level && b.status !== 'returned' && b.submissionKey !== key) ?? null;
}

export function batchSubmitFeature(services: Services): Feature {
  const { store } = services;
  return defineFeature({
    name: 'college.batch-submit',
    actions: [GRADE_REPORT_ACTIONS.submit, BATCH_SUBMIT_ACTIONS.confirm],
    setup(r) {
      r.onAction(
        GRADE_REPORT_ACTIONS.submit,
        async (ctx) => {
          const parsed = reportSubmitValue.safeParse(ctx.value);
          if (!parsed.success || parsed.data.v !== 1) {
            ctx.toast('warning', '这张报告卡片已过期，请点击“重新计算”或重新发送成绩表。');
            return;
          }
          const c = await candidate(services, ctx, parsed.data.uploadId, parsed.data.level);
          if (typeof c === 'string') {
            ctx.toast('error', c);
            return;
          }
          ctx.toast('info', '请在下方卡片确认提交名单。');
          await ctx.replyCard({ ...batchSubmitCard(c.data) });
        },
        { roles: ['college'] },
      );

      r.onAction(
        BATCH_SUBMIT_ACTIONS.confirm,
        async (ctx) => {
          const parsed = batchConfirmValue.safeParse(ctx.value);
          if (!parsed.success) {
            ctx.toast('error', '这个按钮已失效，请在成绩报告上重新点击“提交认定中心”。');
            return;
          }
          const c = await candidate(services, ctx, parsed.data.uploadId, parsed.data.level);
          if (typeof c === 'string') {
            ctx.toast('error', c);
            return;
          }
          if (parsed.data.v !== 1) {
            // an outdated confirmation: show what would be submitted now, act on nothing
            ctx.toast('warning', '名单可能已变化，请核对后再确认。');
            await ctx.updateCard({ ...batchSubmitCard(c.data) });
            return;
          }
          const key = submissionKey(c.upload.id, c.data.level);
          const other = await activeBatch(services, c, key);
          if (other) {
            ctx.toast('error', `本专业${LEVEL_LABEL[c.data.level]}已有批次 #${other.id}（${BATCH_STATUS_LABEL[other.status]}），不能重复提交。`);
            return;
          }
          const { batch, created } = await store.batches.create({
            college: c.staff.college,
            schemeCode: c.scheme.code,
            major: c.scheme.major,
            occupation: c.scheme.occupation.name,
            level: c.data.level,
            studentNos: c.studentNos,
            createdBy: c.staff.openId,
            createdByName: c.staff.name,
            submissionKey: key,
            now: services.clock.now(),
          });
          if (!created) {
            if (batch.status === 'returned') {
              ctx.toast('warning', `批次 #${batch.id} 已被退回。请改正成绩表后重新发送，再从新的报告提交。`);
            } else {
              ctx.toast('info', `批次 #${batch.id} 已提交过，不会重复提交。`);
            }
            await ctx.updateCard({ ...batchSubmitCard({ ...c.data, count: batch.studentNos.length, submitted: { batchId: batch.id, status: batch.status } }) });
            return;
          }
          await store.audit.record({
            actorOpenId: c.staff.openId,
            actorName: c.staff.name,
            action: 'batch.submit',
            entity: 'batch',
            entityId: String(batch.id),
            detail: { schemeCode: c.scheme.code, level: c.data.level, students: batch.studentNos.length, uploadId: c.upload.id, resubmissionOf: c.data.replaces ?? null },
            at: services.clock.now(),
          });
          ctx.toast('success', `已提交认定中心（批次 #${batch.id}）`);
          await ctx.updateCard({ ...batchSubmitCard({ ...c.data, submitted: { batchId: batch.id, status: batch.status } }) });
          await hooks.batchSubmitted(services, batch.id);
          await hooks.statusChanged(services, batch.studentNos);
        },
        { roles: ['college'] },
      );
    },
  });
}
