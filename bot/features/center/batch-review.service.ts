import { type BatchReviewData, type FormDraft } from '../../../cards/batch-review.card';
import { batchExceptions } from '../../../domain/batch-exceptions';
import type { Store } from '../../../db/store';
import { writeCertificateList, type CertificateListRow } from '../../../domain/forms/certificate-list.xlsx';
import { frozenRun } from '../../../domain/batch-results';
import { cohortRemark } from '../../../domain/campaign';
import { writeCompositeForm } from '../../../domain/forms/composite.xlsx';
import { writeFilingForms } from '../../../domain/forms/filing-form.xlsx';
import { filingEntries, filingNote } from './filing-export';
import { exportTitle, writeRoster, type ExportMeta, type RosterRow } from '../../../domain/forms/roster.xlsx';
import { writeSkillForm } from '../../../domain/forms/skill-scores.xlsx';
import { writeTheoryForm } from '../../../domain/forms/theory-scores.xlsx';
import { writeSummary } from '../../../domain/forms/summary.xlsx';
import { issueGate, latestWaivers } from '../../../domain/materials/issue-gate';
import { handedInOf, levelRulesOf, missingByStudent, waiverRemarks } from '../../services/material-gate';
import type { HandedIn } from '../../../domain/materials/requirements';
import { safeFileName } from '../../../domain/materials/naming';
import {
  LEVEL_LABEL,
  type Batch,
  type IsoDate,
  type Level,
  type Material,
  type RawGrade,
  type Student,
} from '../../../domain/model';
import { scoreWorkbook, type ScoreRun } from '../../../domain/scoring-run';
import type { GradeWorkbook } from '../../../domain/workbook/grade-workbook.reader';
import { writeMaterialsZip } from '../../services/materials-zip';
import type { Clock } from '../../clock';
import type { Services } from '../../services';

// What the review card and the exports of a batch are made of, gathered from the store.
// The rules that flag a student are the pure `batchExceptions` (domain/batch-exceptions.ts);
// the rest is loading.


/** The grade book of the batch rebuilt from the stored grades, scored like the college's upload was. */
export async function scoreBatch(store: Pick<Store, 'schemes' | 'grades' | 'students' | 'certificates'>, batch: Batch, applicationDate: IsoDate): Promise<{ run: ScoreRun | null; note: string | null }> {
  const scheme = await store.schemes.get(batch.schemeCode);
  if (!scheme) return { run: null, note: `未找到考核方案 ${batch.schemeCode}，无法生成附件6` };
  const wanted = new Set(batch.studentNos);
  const grades = (await store.grades.listForScheme(batch.schemeCode)).filter((g) => wanted.has(g.studentNo));
  if (grades.length === 0) return { run: null, note: '该批次没有已保存的成绩，无法生成附件6' };
  const seen = new Map<string, RawGrade>();
  for (const g of grades) if (!seen.has(g.studentNo)) seen.set(g.studentNo, g);
  const workbook: GradeWorkbook = {
    shape: 'long',
    students: [...seen.values()].map((g) => ({ studentNo: g.studentNo, name: g.name, idNumber: null, className: null, source: g.source })),
    grades: grades.map((g) => ({ studentNo: g.studentNo, name: g.name, course: g.course, raw: g.raw, sitting: g.sitting, source: g.source })),
    warnings: [],
  };
  const roster = await store.students.listByMajor(batch.college, batch.major);
  const certificates = await store.certificates.listForStudents(batch.studentNos);
  const scored = scoreWorkbook({ workbook, scheme, certificates, roster, applicationDate });
  if (!scored.ok) return { run: null, note: `成绩无法重新计算：${scored.problems[0]?.message ?? ''}` };
  return { run: scored.value, note: null };
}

/**
 * What a batch's forms print: the results frozen at submission. Only a batch from before
 * results were kept is scored again from the stored grades (with the given date).
 */
export async function batchRun(store: Pick<Store, 'batches' | 'schemes' | 'grades' | 'students' | 'certificates'>, batch: Batch, legacyDate: IsoDate): Promise<{ run: ScoreRun | null; note: string | null; frozen: boolean }> {
  const frozen = await store.batches.results(batch.id);
  if (frozen) {
    const note = `成绩与等级为提交时的结果：申报日期 ${frozen.applicationDate}，方案 ${frozen.scheme.code} 第 ${frozen.schemeVersion} 版${frozen.campaign ? `，${frozen.campaign.year} 届` : ''}`;
    return { run: frozenRun(frozen), note, frozen: true };
  }
  return { ...(await scoreBatch(store, batch, legacyDate)), frozen: false };
}

export async function applicationDateOf(services: { store: Pick<Store, 'campaigns'>; clock: Clock }): Promise<IsoDate> {
  return (await services.store.campaigns.current())?.applicationDate ?? services.clock.today();
}

async function loadStudents(store: Pick<Store, 'students'>, batch: Batch): Promise<Map<string, Student>> {
  return new Map((await store.students.listByNumbers(batch.studentNos)).map((s) => [s.studentNo, s]));
}

export interface ReviewOptions {
  /** show the 退回 form */
  returning?: boolean;
  /** show the 缺材料例外 form */
  waiving?: boolean;
  /** what was typed on the open form, kept when it is refused */
  draft?: FormDraft;
}

export interface ReviewBundle {
  data: BatchReviewData;
  run: ScoreRun | null;
}

export async function loadReview(services: Pick<Services, 'store' | 'clock'>, batchId: number, opts: ReviewOptions = {}): Promise<ReviewBundle | undefined> {
  const { store } = services;
  const batch = await store.batches.get(batchId);
  if (!batch) return undefined;
  const applicationDate = await applicationDateOf(services);
  const roster = await loadStudents(store, batch);
  const handedIn = new Map<string, HandedIn<Material>>();
  for (const no of batch.studentNos) handedIn.set(no, await handedInOf(store, no));
  const levelRules = await levelRulesOf(store, roster.values(), applicationDate);
  const { run, note } = await batchRun(store, batch, applicationDate);
  const waivers = latestWaivers(await store.materialWaivers.listForBatch(batch.id));
  const exceptions = batchExceptions({ studentNos: batch.studentNos, roster, handedIn, levelRules, checkDate: applicationDate, run, waivers });
  // the same rule and inputs as the 发证 gate (issueGateOf), so the card never disagrees with it
  const blocked = issueGate(await missingByStudent(store, batch.studentNos, applicationDate, levelRules), waivers).blocked;
  const events = await store.batches.log(batchId);
  const issuedCount = batch.status === 'issued' ? (await store.issuedCertificates.listForBatch(batchId)).length : 0;
  return { data: { batch, events, exceptions, blocked, issuedCount, compositeNote: note, returning: opts.returning ?? false, waiving: opts.waiving ?? false, draft: opts.draft }, run };
}

// ---- exports ---------------------------------------------------------------------

export const EXPORT_KINDS = ['roster', 'summary', 'filing', 'materials', 'certificates', 'composite', 'theory', 'skill'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportFile {
  fileName: string;
  bytes: Buffer;
}

/** note: what the chat and the command line should say beside the file */
export type ExportOutcome = { ok: true; file: ExportFile; note?: string | null } | { ok: false; message: string };

export interface ExportContext {
  store: Pick<Store, 'batches' | 'certificates' | 'filingForms' | 'grades' | 'issuedCertificates' | 'materials' | 'materialWaivers' | 'schemes' | 'students'>;
  files: Services['files'];
  schoolName: string;
  today: IsoDate;
  applicationDate: IsoDate;
}

/** 备注 also says when the center admitted a student outside the cohorts (延期毕业 …), from the frozen results. */
function withCohortRemarks(remarks: Map<string, string>, run: ScoreRun | null): Map<string, string> {
  for (const s of run?.students ?? []) {
    const cohort = cohortRemark(s.cohort);
    if (cohort) remarks.set(s.studentNo, [cohort, remarks.get(s.studentNo)].filter(Boolean).join('；'));
  }
  return remarks;
}

function rosterRows(batch: Batch, students: Map<string, Student>, remarks: ReadonlyMap<string, string> = new Map()): RosterRow[] {
  return batch.studentNos.flatMap((no) => {
    const s = students.get(no);
    if (!s) return [];
    return [
      {
        studentNo: s.studentNo,
        name: s.name,
        gender: s.gender,
        idNumber: s.idNumber,
        college: s.college,
        major: s.major,
        className: s.className,
        programme: s.programme,
        occupation: batch.occupation,
        level: batch.level,
        phone: s.phone,
        remark: remarks.get(no) ?? null,
        entryYear: s.entryYear,
      },
    ];
  });
}

function baseName(batch: Batch, form: string, ext: string): string {
  return safeFileName(`批次${batch.id}-${batch.college}-${batch.major}-${form}.${ext}`);
}

export async function exportBatch(ctx: ExportContext, batch: Batch, kind: ExportKind): Promise<ExportOutcome> {
  const students = await loadStudents(ctx.store, batch);
  const scored = await batchRun(ctx.store, batch, ctx.applicationDate);
  const year = scored.run?.campaign?.year ?? Number((scored.run?.applicationDate ?? ctx.applicationDate).slice(0, 4));
  const meta: ExportMeta = { school: ctx.schoolName, year, college: batch.college };
  switch (kind) {
    case 'roster': {
      const remarks = withCohortRemarks(await waiverRemarks(ctx.store, batch), scored.run);
      return { ok: true, file: { fileName: baseName(batch, '附件7花名册', 'xlsx'), bytes: await writeRoster(rosterRows(batch, students, remarks), meta) } };
    }
    case 'summary':
      return { ok: true, file: { fileName: baseName(batch, '附件8申报职业汇总表', 'xlsx'), bytes: await writeSummary(rosterRows(batch, students), meta) } };
    case 'composite':
    case 'theory':
    case 'skill': {
      const { run, note } = scored;
      if (!run) return { ok: false, message: note ?? '无法生成成绩表' };
      const formMeta = { school: ctx.schoolName, year };
      if (kind === 'theory') return { ok: true, file: { fileName: baseName(batch, '附件4理论成绩表', 'xlsx'), bytes: await writeTheoryForm(run, formMeta) } };
      if (kind === 'skill') return { ok: true, file: { fileName: baseName(batch, '附件5技能成绩表', 'xlsx'), bytes: await writeSkillForm(run, formMeta) } };
      return { ok: true, file: { fileName: baseName(batch, '附件6综合认定表', 'xlsx'), bytes: await writeCompositeForm(run, formMeta) } };
    }
    case 'filing': {
      const { run } = scored;
      const filing = await filingEntries(ctx, batch, students, run);
      if (filing.entries.length === 0) return { ok: false, message: filingNote(filing) ?? '该批次没有可生成附件3的学生' };
      const bytes = await writeFilingForms(filing.entries, { college: batch.college, school: ctx.schoolName });
      return { ok: true, file: { fileName: baseName(batch, '附件3审核备案表', 'xlsx'), bytes }, note: filingNote(filing) };
    }
    case 'materials': {
      const entries = [];
      const levelRules = await levelRulesOf(ctx.store, students.values(), ctx.applicationDate);
      for (const no of batch.studentNos) {
        const s = students.get(no);
        if (!s) continue;
        const handedIn = await handedInOf(ctx.store, no);
        entries.push({ student: s, materials: handedIn.latest, onlineFormVersion: handedIn.filingFormVersion, basis: { programme: s.programme, levelRule: levelRules.get(no) ?? null } });
      }
      const title = exportTitle('职业技能等级认定材料清单', { ...meta, college: `${batch.college} ${batch.major} ${batch.occupation} ${LEVEL_LABEL[batch.level]}` });
      return { ok: true, file: { fileName: baseName(batch, '材料', 'zip'), bytes: await writeMaterialsZip(entries, ctx.files, title) } };
    }
    case 'certificates': {
      const issued = await ctx.store.issuedCertificates.listForBatch(batch.id);
      const remarks = await waiverRemarks(ctx.store, batch);
      if (issued.length === 0) return { ok: false, message: '该批次尚未发证，没有证书信息可导出' };
      const rows: CertificateListRow[] = issued.flatMap((c) => {
        const s = students.get(c.studentNo);
        if (!s) return [];
        return [{ studentNo: c.studentNo, major: s.major, occupation: batch.occupation, level: c.level as Level, name: s.name, gender: s.gender, idNumber: s.idNumber, number: c.number, issuedOn: c.issuedOn, issuer: ctx.schoolName, remark: remarks.get(c.studentNo) ?? null }];
      });
      return { ok: true, file: { fileName: baseName(batch, '证书信息', 'xlsx'), bytes: await writeCertificateList(rows) } };
    }
  }
}
