import { joinClauses } from '../../../domain/wording';
import { GRADE_REPORT_ACTIONS, GRADE_REPORT_VERSION, gradeReportCard, reportPageValue, reportRecalcValue, type GradeReport } from '../../../cards/grade-report.card';
import { SCHEME_SELECT_ACTIONS, schemeChooseValue, schemeSelectCard, type SchemeOption } from '../../../cards/scheme-select.card';
import type { Scheme } from '../../../domain/model';
import { detectScheme } from '../../../domain/workbook/scheme-detection';
import type { StoredScheme, Upload } from '../../../db/store';
import type { ActionContext } from '../../context';
import { defineFeature, refuse, type Feature, type Refusal } from '../../router';
import { waitingNotice } from '../../heavy-work';
import type { Services } from '../../services';
import { collegeStaffOf, GRADES_KIND, NOT_YOUR_UPLOAD, ownGradeUpload } from './college-scope';
import { rejectWorkbook, scoreAndStore, sha256, storedPathFor, uploadIdFor } from './grade-processing';
import { MAX_WORKBOOK_BYTES, openWorkbook } from './grade-upload.service';

// A teacher drops a grade workbook into chat (p2p, or a group with the bot @mentioned)
// and gets the report card and 附件4/5/6 back. Answer first: the acknowledgement goes
// out before the download; every file is kept and recorded, accepted or not.

const WORKBOOK_NAME = /\.(xlsx|xlsm|xls|csv)\s*$/i;

export const NOT_COLLEGE_STAFF =
  '成绩表由各二级学院的教学秘书或老师上传。你的账号没有学院权限，因此没有读取这个文件。如需开通，请联系职业技能等级认定中心。';

function optionOf(s: Scheme): SchemeOption {
  return { code: s.code, major: s.major, occupation: s.occupation.name, level: s.trainingObjective };
}

function reportOf(upload: Upload): GradeReport | null {
  const r = upload.summary.report;
  return r && typeof r === 'object' ? (r as GradeReport) : null;
}

export function gradeUploadFeature(services: Services): Feature {
  const { store } = services;

  /** The clicker's own college's upload named by the card, or the refusal. */
  async function ownUpload(v: { uploadId: string }, ctx: ActionContext<unknown, unknown>): Promise<Upload | Refusal> {
    const staff = collegeStaffOf(ctx.actor);
    return (staff ? await ownGradeUpload(services, staff, v.uploadId) : null) ?? refuse(NOT_YOUR_UPLOAD);
  }

  /** The current report card of the upload an outdated card names, if it is the clicker's. */
  async function freshReport(ctx: ActionContext<{ uploadId?: unknown }, Upload | undefined>) {
    const uploadId = ctx.value.uploadId;
    const upload = ctx.record ?? (typeof uploadId === 'string' ? await ownUpload({ uploadId }, ctx) : null);
    const report = upload && !('refused' in upload) ? reportOf(upload) : null;
    return report ? { ...gradeReportCard(report) } : null;
  }

  /** Continues a stored upload with a known scheme (after a choice, or for 重新计算). */
  async function continueStored(ctx: ActionContext<unknown, unknown>, upload: Upload, scheme: StoredScheme): Promise<void> {
    const staff = collegeStaffOf(ctx.actor)!;
    const bytes = await services.files.get(upload.storedPath);
    const opened = await services.heavy.run(() => openWorkbook(bytes, upload.fileName), (place) => ctx.reply(waitingNotice(place, '成绩表')));
    if (!opened.ok) {
      await rejectWorkbook(services, ctx, upload, bytes, opened.problems);
      return;
    }
    await services.heavy.run(() => scoreAndStore(services, ctx, staff, upload, scheme, opened.value, bytes));
  }

  return defineFeature({
    name: 'college.grade-upload',
    needs: ['statusChanged'],
    actions: [SCHEME_SELECT_ACTIONS.choose, GRADE_REPORT_ACTIONS.page, GRADE_REPORT_ACTIONS.recalc],
    setup(r) {
      r.onFile(
        async (ctx) => {
          const staff = collegeStaffOf(ctx.actor);
          const fileName = ctx.message.fileName?.trim() || '成绩表';
          if (!staff) {
            await ctx.reply('你的学院账号没有绑定学院，无法上传成绩表。请联系认定中心核对账号。');
            return;
          }
          // scope before any byte is read: only the staff member's own college's schemes count
          const schemes = await store.schemes.listByCollege(staff.college);
          if (schemes.length === 0) {
            await ctx.reply(`${staff.college}还没有考核方案，暂时无法计算成绩。请先由认定中心导入本学院的考核方案，再发送成绩表。`);
            return;
          }
          // after a crash this handler runs again: the notice carries the same send uuid (one
          // message), and the upload row and stored file, keyed by the message id, are found again
          await ctx.reply(`收到《${fileName}》，正在计算…`);
          const id = uploadIdFor(ctx.message.messageId);
          const earlier = await store.uploads.get(id);
          if (earlier?.status === 'accepted' && reportOf(earlier)) {
            // scored and stored before the crash: only the answer may be missing
            await ctx.replyCard({ ...gradeReportCard(reportOf(earlier)!) });
            return;
          }
          let upload: Upload;
          let bytes: Buffer;
          if (earlier) {
            upload = earlier;
            bytes = await services.files.get(earlier.storedPath);
          } else {
            const downloaded = await ctx.download(MAX_WORKBOOK_BYTES);
            if (!downloaded.ok) {
              await ctx.reply(downloaded.problems.map((p) => p.message).join('\n'));
              return;
            }
            bytes = downloaded.value;
            const storedPath = await services.files.put(storedPathFor(staff.college, id, fileName), bytes);
            upload = await store.uploads.create({
              id,
              kind: GRADES_KIND,
              fileName,
              sha256: sha256(bytes),
              size: bytes.length,
              storedPath,
              uploadedBy: staff.openId,
              college: staff.college,
              now: services.clock.now(),
            });
          }

          // parsing and scoring wait their turn in the instance's queue (the place is said once)
          const opened = await services.heavy.run(() => openWorkbook(bytes, fileName), (place) => ctx.reply(waitingNotice(place, '成绩表')));
          if (!opened.ok) {
            await store.uploads.setStatus(upload.id, 'rejected', { problems: opened.problems });
            await ctx.reply(`《${fileName}》无法作为成绩表读取：${joinClauses(opened.problems.map((p) => p.message))}`);
            return;
          }
          const found = detectScheme(opened.value, schemes);
          if (found.kind === 'none') {
            const known = schemes.map((s) => `${s.major}（${s.code}）`).join('、');
            const message = `成绩表中的课程与${staff.college}的考核方案都对不上（本学院方案：${known}）。请检查课程名称是否与方案一致。`;
            await store.uploads.setStatus(upload.id, 'rejected', { problems: [{ code: 'scheme.none', message }] });
            await ctx.reply(message);
            return;
          }
          if (found.kind === 'ambiguous') {
            const candidates = found.candidates.map((s) => s.code);
            await store.uploads.setStatus(upload.id, 'received', { awaitingScheme: candidates });
            await ctx.replyCard({ ...schemeSelectCard({ uploadId: upload.id, fileName, candidates: found.candidates.map(optionOf) }) });
            return;
          }
          await services.heavy.run(() => scoreAndStore(services, ctx, staff, upload, found.scheme, opened.value, bytes));
        },
        { roles: ['college'] },
      );

      // anyone else sending a workbook: a polite no, and the file is never fetched
      r.onFile(
        (name, ctx) => WORKBOOK_NAME.test(name) && !ctx.has('college'),
        async (ctx) => {
          await ctx.reply(NOT_COLLEGE_STAFF);
        },
      );

      const college = ['college'] as const;
      r.onAction(
        SCHEME_SELECT_ACTIONS.choose,
        { value: schemeChooseValue, roles: college, load: ownUpload },
        async (ctx) => {
          const upload = ctx.record;
          const staff = collegeStaffOf(ctx.actor)!;
          const awaiting = Array.isArray(upload.summary.awaitingScheme) ? (upload.summary.awaitingScheme as string[]) : [];
          const scheme = await store.schemes.get(ctx.value.schemeCode);
          if (!scheme || scheme.college !== staff.college || !awaiting.includes(scheme.code)) {
            ctx.toast('error', '这个方案不属于你所在的学院，或不在可选范围内。');
            return;
          }
          if (upload.status !== 'received') {
            ctx.toast('info', '这份成绩表已经处理过了。');
            return;
          }
          await store.uploads.setStatus(upload.id, 'processing', { awaitingScheme: [], schemeCode: scheme.code });
          const candidates = await Promise.all(awaiting.map((c) => store.schemes.get(c)));
          await ctx.ack({
            toast: { type: 'success', text: '收到，正在计算…' },
            card: {
              ...schemeSelectCard({
                uploadId: upload.id,
                fileName: upload.fileName,
                candidates: candidates.filter((s): s is StoredScheme => !!s).map(optionOf),
                chosen: scheme.code,
              }),
            },
          });
          await continueStored(ctx, upload, scheme);
        },
      );

      // an outdated report card (old v or a malformed value) is answered with a fresh one
      const onReport = { version: GRADE_REPORT_VERSION, roles: college, load: ownUpload, fresh: freshReport };

      r.onAction(GRADE_REPORT_ACTIONS.page, { ...onReport, value: reportPageValue }, async (ctx) => {
        const report = reportOf(ctx.record);
        if (!report) {
          ctx.toast('error', NOT_YOUR_UPLOAD);
          return;
        }
        await ctx.updateCard({ ...gradeReportCard(report, ctx.value.page) });
      });

      r.onAction(GRADE_REPORT_ACTIONS.recalc, { ...onReport, value: reportRecalcValue }, async (ctx) => {
        const upload = ctx.record;
        const staff = collegeStaffOf(ctx.actor)!;
        const schemeCode = typeof upload.summary.schemeCode === 'string' ? upload.summary.schemeCode : null;
        const scheme = schemeCode ? await store.schemes.get(schemeCode) : undefined;
        if (!scheme || scheme.college !== staff.college || upload.status !== 'accepted') {
          ctx.toast('error', '这份成绩表没有可重新计算的结果，请重新发送成绩表。');
          return;
        }
        const latest = await store.grades.listForScheme(scheme.code);
        if (latest.some((g) => g.uploadId !== upload.id)) {
          ctx.toast('warning', '本专业已有更新的成绩表，请在最新的报告上操作。');
          return;
        }
        await ctx.ack({ toast: { type: 'success', text: '收到，正在按最新的名册、证书和材料重新计算…' } });
        await continueStored(ctx, upload, scheme);
      });
    },
  });
}
