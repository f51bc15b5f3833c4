// A batch's results are frozen when it is submitted (DESIGN: Years): per student the
// composites and course lines, level, deciding rule, reasons, certificates used and
// cohort, with the scheme version and application date they were computed under.
// Every export of the batch prints these; nothing re-scores a submitted batch.
import { LEVEL_LABEL, type IsoDate, type IsoInstant, type Scheme } from './model';
import type { ScoredStudent, ScoreRun } from './scoring-run';

export interface FrozenBatch {
  applicationDate: IsoDate;
  /** the campaign the batch belongs to; null when none was open */
  campaign: ScoreRun['campaign'];
  /** the scheme exactly as it was used, and its version */
  scheme: Scheme;
  schemeVersion: number;
  /** in batch (export) order */
  students: ScoredStudent[];
  frozenAt: IsoInstant;
}

/** Freezes the given students of a scoring run, in the order given. */
export function freezeBatch(run: ScoreRun, studentNos: string[], meta: { schemeVersion: number; frozenAt: IsoInstant }): FrozenBatch {
  const byNo = new Map(run.students.map((s) => [s.studentNo, s]));
  const students = studentNos.map((no) => {
    const s = byNo.get(no);
    if (!s) throw new Error(`student ${no} is not in the scoring run`);
    return s;
  });
  return { applicationDate: run.applicationDate, campaign: run.campaign, scheme: run.scheme, schemeVersion: meta.schemeVersion, students, frozenAt: meta.frozenAt };
}

/** The frozen results as a scoring run, so every form writer prints them unchanged. */
export function frozenRun(frozen: FrozenBatch): ScoreRun {
  return {
    scheme: frozen.scheme,
    applicationDate: frozen.applicationDate,
    campaign: frozen.campaign,
    draftScheme: false,
    students: frozen.students,
    rosterUsed: true,
    notInRoster: [],
    missingFromSheet: [],
    warnings: [],
  };
}

/** 三级/高级 理论 72.50 技能 80.00 — what a reviewer compares. */
export function resultLabel(s: Pick<ScoredStudent, 'evaluation'>): string {
  const e = s.evaluation;
  const outcome = e.outcome === 'passed' && e.level ? LEVEL_LABEL[e.level] : { passed: '合格', failed: '不合格', incomplete: '待补', ineligible: '非认定对象' }[e.outcome];
  return `${outcome} 理论 ${e.theory.composite ?? '—'} 技能 ${e.skill.composite ?? '—'}`;
}

export interface BatchDifference {
  batchId: number;
  studentNo: string;
  name: string;
  submitted: string;
  now: string;
}

/** Students whose result today differs from what their batch was submitted with (absent from the run: not compared). */
export function differencesFromBatch(batchId: number, frozen: FrozenBatch, run: ScoreRun): BatchDifference[] {
  const now = new Map(run.students.map((s) => [s.studentNo, s]));
  const out: BatchDifference[] = [];
  for (const was of frozen.students) {
    const is = now.get(was.studentNo);
    if (!is) continue;
    const [a, b] = [resultLabel(was), resultLabel(is)];
    if (a !== b) out.push({ batchId, studentNo: was.studentNo, name: was.name, submitted: a, now: b });
  }
  return out;
}
