// The college journey's logic that is worth testing without a chat: the workbook
// pipeline (guard → grids → scheme → read → score → forms), the report the card
// shows, and what changed since the grades last stored. No store, no Lark here.
import type { BatchDifference } from '../../../domain/batch-results';
import { cohortsLabel } from '../../../domain/campaign';
import { plain } from '../../../domain/decimal';
import { schemeFileStem } from '../../../domain/materials/naming';
import { writeCompositeForm } from '../../../domain/forms/composite.xlsx';
import { writeSkillForm } from '../../../domain/forms/skill-scores.xlsx';
import { writeTheoryForm } from '../../../domain/forms/theory-scores.xlsx';
import { interpretGrade, isInputProblem } from '../../../domain/grades';
import {
  LEVEL_LABEL,
  type Campaign,
  type HeldCertificate,
  type IsoDate,
  type Level,
  type Result,
  type Scheme,
  type StoredGrade,
  type Student,
} from '../../../domain/model';
import { scoreWorkbook, type ScoredStudent, type ScoreRun } from '../../../domain/scoring-run';
import type { FormMeta } from '../../../domain/workbook/form-meta';
import { readGradeWorkbook, type GradeWorkbook } from '../../../domain/workbook/grade-workbook.reader';
import type { Grid } from '../../../domain/xlsx/grid';
import type { GradeInput } from '../../../db/store';
import type { GradeReport, ReportDiff, StudentLabel } from '../../../cards/grade-report.card';

export const MAX_WORKBOOK_BYTES = 20 * 1024 * 1024;

// every workbook comes in through the one guarded opener; its default size limit is MAX_WORKBOOK_BYTES
export { openWorkbook } from '../../../domain/xlsx/open-workbook';

export interface ScoreInput {
  grids: Grid[];
  scheme: Scheme;
  roster: Student[];
  certificates: HeldCertificate[];
  applicationDate: IsoDate;
  today: IsoDate;
  /** the campaign's cohorts and the center's admissions decide who is certifiable */
  cohorts?: CohortInput;
}

/** What the cohort rule needs from the campaign; absent → no campaign, everyone is certifiable. */
export interface CohortInput {
  campaign: Pick<Campaign, 'year' | 'cohorts'> | null;
  admissions: ReadonlyMap<string, { reason: string }>;
  schemeStatus: 'draft' | 'approved';
}

export interface Scored {
  workbook: GradeWorkbook;
  run: ScoreRun;
}

export async function readAndScore(
  input: Omit<ScoreInput, 'certificates'> & { certificatesFor: (studentNos: string[]) => Promise<HeldCertificate[]> | HeldCertificate[] },
): Promise<Result<Scored>> {
  const read = readGradeWorkbook(input.grids, input.scheme, { today: input.today });
  if (!read.ok) return read;
  const certificates = await input.certificatesFor(read.value.students.map((s) => s.studentNo));
  const scored = scoreWorkbook({
    workbook: read.value,
    scheme: input.scheme,
    certificates,
    roster: input.roster.length > 0 ? input.roster : null,
    applicationDate: input.applicationDate,
    ...cohortFields(input.cohorts),
  });
  if (!scored.ok) return scored;
  return { ok: true, value: { workbook: read.value, run: scored.value } };
}

/** The stored grades of a scheme, scored again as if they were a workbook: the "before" of a re-upload and the source of a batch. */
export function scoreStored(
  grades: StoredGrade[],
  input: { scheme: Scheme; roster: Student[]; certificates: HeldCertificate[]; applicationDate: IsoDate; cohorts?: CohortInput },
): ScoreRun | null {
  if (grades.length === 0) return null;
  const students = new Map<string, GradeWorkbook['students'][number]>();
  for (const g of grades) {
    if (!students.has(g.studentNo)) students.set(g.studentNo, { studentNo: g.studentNo, name: g.name, idNumber: null, className: null, source: g.source });
  }
  const scored = scoreWorkbook({
    workbook: { shape: 'wide', students: [...students.values()], grades, warnings: [] },
    scheme: input.scheme,
    certificates: input.certificates,
    roster: input.roster.length > 0 ? input.roster : null,
    applicationDate: input.applicationDate,
    ...cohortFields(input.cohorts),
  });
  return scored.ok ? scored.value : null;
}

function cohortFields(c: CohortInput | undefined) {
  return c ? { campaign: c.campaign, admissions: c.admissions, schemeStatus: c.schemeStatus } : {};
}

/** Every grade cell with the meaning given to it, ready for `grades.replaceForScheme`. */
export function gradeInputs(workbook: GradeWorkbook): GradeInput[] {
  return workbook.grades.map((g) => {
    const v = interpretGrade(g.raw);
    // collectScores has already rejected anything uninterpretable; keep the raw cell regardless
    if (isInputProblem(v)) return { ...g, score: null, flag: null };
    return { ...g, score: v.score === null ? null : plain(v.score), flag: v.flag };
  });
}

export interface FormFile {
  fileName: string;
  bytes: Buffer;
}

export async function writeForms(run: ScoreRun, meta: FormMeta): Promise<FormFile[]> {
  const name = schemeFileStem(run.scheme);
  const [theory, skill, composite] = await Promise.all([writeTheoryForm(run, meta), writeSkillForm(run, meta), writeCompositeForm(run, meta)]);
  return [
    { fileName: `附件4-理论成绩表-${name}.xlsx`, bytes: theory },
    { fileName: `附件5-技能成绩表-${name}.xlsx`, bytes: skill },
    { fileName: `附件6-综合认定表-${name}.xlsx`, bytes: composite },
  ];
}

// ---- the report ---------------------------------------------------------------------------

export function outcomeLabel(s: Pick<ScoredStudent, 'evaluation'>): StudentLabel {
  const e = s.evaluation;
  if (e.outcome === 'passed' && e.level) return LEVEL_LABEL[e.level] as StudentLabel;
  if (e.outcome === 'ineligible') return '非认定对象';
  return e.outcome === 'failed' ? '不合格' : '待补';
}

/** Failing reasons grouped into what a teacher acts on: which part failed, which course is missing or flagged. */
export function reasonCategories(s: ScoredStudent): string[] {
  const e = s.evaluation;
  const out: string[] = [];
  if (e.outcome === 'passed') return out;
  if (e.theory.passed === false) out.push('理论综合成绩不合格');
  if (e.skill.passed === false) out.push('技能综合成绩不合格');
  for (const course of new Set([...e.theory.missing, ...e.skill.missing])) out.push(`缺少「${course}」成绩`);
  const flagged = new Set<string>();
  for (const l of [...e.theory.lines, ...e.skill.lines]) {
    if (l.flag && l.flag !== '缓考' && !flagged.has(l.course)) {
      flagged.add(l.course);
      out.push(`「${l.course}」${l.flag}`);
    }
  }
  return out;
}

export function diffRuns(before: ScoreRun | null, after: ScoreRun): ReportDiff | null {
  if (!before) return null;
  const old = new Map(before.students.map((s) => [s.studentNo, s]));
  const fresh = new Set(after.students.map((s) => s.studentNo));
  const diff: ReportDiff = { changed: [], added: [], removed: [] };
  for (const s of after.students) {
    const was = old.get(s.studentNo);
    if (!was) diff.added.push({ studentNo: s.studentNo, name: s.name, to: outcomeLabel(s) });
    else if (outcomeLabel(was) !== outcomeLabel(s)) diff.changed.push({ studentNo: s.studentNo, name: s.name, from: outcomeLabel(was), to: outcomeLabel(s) });
  }
  for (const s of before.students) {
    if (!fresh.has(s.studentNo)) diff.removed.push({ studentNo: s.studentNo, name: s.name, from: outcomeLabel(s) });
  }
  return diff;
}

export function buildReport(input: {
  uploadId: string;
  fileName: string;
  run: ScoreRun;
  before: ScoreRun | null;
  materials: Map<string, string[]>;
  batchDifferences?: BatchDifference[];
}): GradeReport {
  const { run } = input;
  const counts = { L3: 0, L4: 0, failed: 0, incomplete: 0, ineligible: 0 };
  const reasonCounts = new Map<string, number>();
  const problems: GradeReport['problems'] = [];
  const missing: GradeReport['missingMaterials'] = [];
  for (const s of run.students) {
    const e = s.evaluation;
    if (e.outcome === 'passed' && e.level) {
      counts[e.level]++;
      const owed = input.materials.get(s.studentNo);
      if (owed && owed.length > 0) missing.push({ studentNo: s.studentNo, name: s.name, missing: owed });
      continue;
    }
    counts[e.outcome === 'failed' ? 'failed' : e.outcome === 'ineligible' ? 'ineligible' : 'incomplete']++;
    for (const r of reasonCategories(s)) reasonCounts.set(r, (reasonCounts.get(r) ?? 0) + 1);
    problems.push({ studentNo: s.studentNo, name: s.name, label: outcomeLabel(s), reason: e.reasons.join('；') || '—' });
  }
  const topReasons = [...reasonCounts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1))
    .slice(0, 5);
  return {
    uploadId: input.uploadId,
    fileName: input.fileName,
    schemeCode: run.scheme.code,
    college: run.scheme.college,
    major: run.scheme.major,
    occupation: run.scheme.occupation.name,
    applicationDate: run.applicationDate,
    total: run.students.length,
    counts,
    topReasons,
    problems,
    notInRoster: run.notInRoster.map((s) => ({ studentNo: s.studentNo, name: s.name })),
    missingFromSheet: run.missingFromSheet.map((s) => ({ studentNo: s.studentNo, name: s.name })),
    missingMaterials: missing,
    diff: diffRuns(input.before, run),
    warnings: run.warnings.slice(0, 5).map((w) => w.message),
    campaign: run.campaign ? `${run.campaign.year} 届（${cohortsLabel(run.campaign)}）` : null,
    draftScheme: run.draftScheme,
    batchDifferences: input.batchDifferences ?? [],
  };
}

/** The students put forward at a level, in export order (scoreWorkbook already sorted them). */
export function passedAt(run: ScoreRun, level: Level): ScoredStudent[] {
  return run.students.filter((s) => s.evaluation.outcome === 'passed' && s.evaluation.level === level);
}

