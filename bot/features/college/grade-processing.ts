import { createHash } from 'node:crypto';
import { differencesFromBatch, type BatchDifference } from '../../../domain/batch-results';
import { writeErrorWorkbook } from '../../../domain/forms/error-workbook.xlsx';
import { MATERIAL_LABEL, type CellRef, type InputProblem, type Scheme } from '../../../domain/model';
import type { ScoreRun } from '../../../domain/scoring-run';
import type { Grid } from '../../../domain/xlsx/grid';
import type { Upload } from '../../../db/store';
import { compactReport, gradeReportCard, type GradeReport } from '../../../cards/grade-report.card';
import { uploadRejectedCard } from '../../../cards/upload-rejected.card';
import type { CardJson } from '../../ports';
import type { ServiceSlice } from '../../services';
import { scoringContext, type ScoringContext } from '../../services/scoring-context';
import type { CollegeStaff } from './college-scope';
import { buildReport, gradeInputs, readAndScore, scoreStored, writeForms, type CohortInput } from './grade-upload.service';
import { missingOf } from '../../services/material-gate';

// The store-touching half of a grade upload, shared by the first upload, the scheme
// choice and 重新计算: score, replace the major's grades in one transaction, answer
// with the report card and the forms. A rejected workbook stores no grade.

/** What both a message and a card click can answer with. */
export interface Answer {
  reply(text: string): Promise<string>;
  replyCard(card: CardJson): Promise<string>;
  sendFile(bytes: Buffer, fileName: string): Promise<string>;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The upload row of a chat message, in UUID form: keyed by the message id, so a handler
 * resumed after a crash finds the row (and the stored file) its first run made.
 */
export function uploadIdFor(messageId: string): string {
  const h = createHash('sha256').update(`upload:${messageId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function storedPathFor(college: string, uploadId: string, fileName: string): string {
  const ext = /\.([A-Za-z0-9]{1,5})\s*$/.exec(fileName)?.[1]?.toLowerCase() ?? 'bin';
  return `uploads/grades/${college.replace(/[\\/.]/g, '_')}/${uploadId}.${ext}`;
}

type DatesServices = ServiceSlice<'campaigns' | 'cohortAdmissions', 'clock'>;

export function campaignDates(services: DatesServices): Promise<ScoringContext> {
  return scoringContext(services.store, services.clock.today());
}

/** Marks the upload rejected and answers with the first problems and, for a workbook, the marked-up copy. */
export async function rejectWorkbook(services: ServiceSlice<'uploads', 'log'>, out: Answer, upload: Upload, bytes: Buffer, problems: InputProblem[]): Promise<void> {
  await services.store.uploads.setStatus(upload.id, 'rejected', { problems: problems.slice(0, 50) });
  let marked: Buffer | null = null;
  try {
    marked = await writeErrorWorkbook(bytes, problems);
  } catch (err) {
    // the bytes could not be opened again as a workbook; the card still lists the problems
    services.log.warn({ err, uploadId: upload.id }, 'error workbook could not be written');
  }
  await out.replyCard({ ...uploadRejectedCard({ fileName: upload.fileName, problems, errorWorkbook: marked !== null }) });
  if (marked) await out.sendFile(marked, `错误标注-${upload.fileName.replace(/\.[A-Za-z0-9]+\s*$/, '')}.xlsx`);
}

export interface Processed {
  report: GradeReport;
  run: ScoreRun;
}

type ScoreServices = ServiceSlice<
  'campaigns' | 'cohortAdmissions' | 'students' | 'certificates' | 'grades' | 'schemes' | 'materials' | 'filingForms' | 'uploads' | 'batches' | 'transaction',
  'clock' | 'config' | 'hooks' | 'log'
>;

export async function scoreAndStore(
  services: ScoreServices,
  out: Answer,
  staff: CollegeStaff,
  upload: Upload,
  scheme: Scheme,
  grids: Grid[],
  bytes: Buffer,
): Promise<Processed | null> {
  const { store } = services;
  const dates = await campaignDates(services);
  const cohorts = await cohortInputFor(services, dates, scheme.code);
  const roster = await store.students.listByMajor(scheme.college, scheme.major);
  const scored = await readAndScore({
    grids,
    scheme,
    roster,
    applicationDate: dates.applicationDate,
    today: dates.today,
    cohorts,
    certificatesFor: (nos) => store.certificates.listForStudents(nos),
  });
  if (!scored.ok) {
    await rejectWorkbook(services, out, upload, bytes, scored.problems);
    return null;
  }
  const { workbook, run } = scored.value;

  // another college's scheme may share these courses: a student the roster places in a
  // different college is never scored or stored by this college's staff
  const foreign = await foreignStudents(services, staff, workbook.students);
  if (foreign.length > 0) {
    await rejectWorkbook(services, out, upload, bytes, foreign);
    return null;
  }

  const previous = await store.grades.listForScheme(scheme.code);
  const previousNos = [...new Set(previous.map((g) => g.studentNo))];
  const before = scoreStored(previous, {
    scheme,
    roster,
    certificates: await store.certificates.listForStudents(previousNos),
    applicationDate: dates.applicationDate,
    cohorts,
  });

  const onRoster = new Map(roster.map((s) => [s.studentNo, s]));
  const materials = new Map<string, string[]>();
  for (const s of run.students) {
    const student = onRoster.get(s.studentNo);
    if (s.evaluation.outcome !== 'passed' || !student) continue;
    // the level rule of this upload, not of the grades it replaces
    const missing = await missingOf(store, student, dates.applicationDate, s.evaluation.rule?.number ?? null);
    materials.set(s.studentNo, missing.map((k) => MATERIAL_LABEL[k]));
  }
  const report = buildReport({ uploadId: upload.id, fileName: upload.fileName, run, before, materials, batchDifferences: await againstBatches(services, scheme.code, run) });

  const newNos = run.students.map((s) => s.studentNo);
  const affected = [...new Set([...previousNos, ...newNos])];
  await store.transaction(async (tx) => {
    // the union, so students dropped from the corrected sheet lose their old grades too
    await tx.grades.replaceForScheme(scheme.code, affected, gradeInputs(workbook), upload.id);
    await tx.uploads.setStatus(upload.id, 'accepted', { schemeCode: scheme.code, report: compactReport(report) });
    await tx.audit.record({
      actorOpenId: staff.openId,
      actorName: staff.name,
      action: before ? 'grades.replace' : 'grades.upload',
      entity: 'scheme',
      entityId: scheme.code,
      detail: { uploadId: upload.id, fileName: upload.fileName, students: newNos.length, counts: report.counts, diff: report.diff && {
        changed: report.diff.changed.length,
        added: report.diff.added.length,
        removed: report.diff.removed.length,
      } },
      at: services.clock.now(),
    });
  });

  const forms = await writeForms(run, { school: services.config.schoolName, year: dates.year });
  await out.replyCard({ ...gradeReportCard(compactReport(report)) });
  for (const f of forms) await out.sendFile(f.bytes, f.fileName);

  const changed = report.diff
    ? [...report.diff.changed, ...report.diff.added, ...report.diff.removed].map((s) => s.studentNo)
    : newNos;
  if (changed.length > 0) await services.hooks.statusChanged(changed);
  return { report, run };
}

/** The cohort rule's inputs for a scheme: the campaign, the center's admissions, whether the scheme is approved. */
export async function cohortInputFor(services: ServiceSlice<'schemes'>, ctx: ScoringContext, schemeCode: string): Promise<CohortInput> {
  const stored = await services.store.schemes.get(schemeCode);
  return { campaign: ctx.campaign, admissions: ctx.admissions, schemeStatus: stored?.status === 'approved' ? 'approved' : 'draft' };
}

/** Students whose new result differs from what a batch still in the workflow was submitted with. */
async function againstBatches(services: ServiceSlice<'batches'>, schemeCode: string, run: ScoreRun): Promise<BatchDifference[]> {
  const { store } = services;
  const batches = (await store.batches.listByCollege(run.scheme.college)).filter((b) => b.schemeCode === schemeCode && b.status !== 'returned');
  const out: BatchDifference[] = [];
  for (const b of batches) {
    const frozen = await store.batches.results(b.id);
    if (frozen) out.push(...differencesFromBatch(b.id, frozen, run));
  }
  return out;
}

async function foreignStudents(
  services: ServiceSlice<'students'>,
  staff: CollegeStaff,
  students: ReadonlyArray<{ studentNo: string; name: string; source: CellRef }>,
): Promise<InputProblem[]> {
  const known = await services.store.students.listByNumbers(students.map((s) => s.studentNo));
  const collegeOf = new Map(known.map((s) => [s.studentNo, s.college]));
  return students
    .filter((s) => collegeOf.has(s.studentNo) && collegeOf.get(s.studentNo) !== staff.college)
    .map((s) => ({
      code: 'workbook.foreign_student',
      ...s.source,
      message: `学号 ${s.studentNo}（${s.name}）在学生名册中属于${collegeOf.get(s.studentNo)}，不能由${staff.college}上传成绩；请删去该行，或请该学院老师上传`,
    }));
}
