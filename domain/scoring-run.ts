// One scoring run: a read grade workbook + a scheme + the certificates held (+ the
// roster when one has been imported) → every student's evaluation in export order.
// The forms and the command's report are both written from this, so they always agree.
import { applyCohort, cohortOf, type CohortStatus } from './campaign';
import { evaluate, ScoringMemo } from './eligibility';
import { collectScores, courseScores, DEFAULT_GRADE_TABLE, type GradeTable } from './grades';
import { ageOn, parseIdNumber } from './id-number';
import { sortForExport } from './ordering';
import type { Campaign, CellRef, Evaluation, HeldCertificate, InputProblem, IsoDate, Level, Outcome, Result, Scheme, StoredGrade, Student } from './model';
import type { GradeWorkbook } from './workbook/grade-workbook.reader';
import { schemeCourses } from './workbook/grade-sheet.layout';

export interface ScoredStudent {
  studentNo: string;
  name: string;
  /** from the roster when the student is on it, else from the sheet's ID column */
  idNumber: string | null;
  /** whole years on the application date, when the birth date is known */
  age: number | null;
  className: string | null;
  /** the roster entry, when there is one */
  rosterEntry: Student | null;
  certificates: HeldCertificate[];
  evaluation: Evaluation;
  /** one of the campaign's 认定对象? (an ineligible student's evaluation says so too) */
  cohort: CohortStatus;
  source: CellRef;
}

export interface ScoreRun {
  scheme: Scheme;
  applicationDate: IsoDate;
  /** the campaign whose cohorts and date were used; null when there is none */
  campaign: Pick<Campaign, 'year' | 'cohorts'> | null;
  /** scored with a scheme the center has not approved: a preview (方案未审核) */
  draftScheme: boolean;
  /** in export order: major, occupation, level, 学号 */
  students: ScoredStudent[];
  /** no roster was imported: identities come from the sheet alone */
  rosterUsed: boolean;
  /** in the sheet but not on the roster */
  notInRoster: Array<{ studentNo: string; name: string; source: CellRef }>;
  /** on the roster (this major) but absent from the sheet */
  missingFromSheet: Student[];
  warnings: InputProblem[];
}

export interface ScoreWorkbookInput {
  workbook: GradeWorkbook;
  scheme: Scheme;
  certificates: HeldCertificate[];
  /** the roster of the scheme's major; null when none has been imported */
  roster: Student[] | null;
  applicationDate: IsoDate;
  /** whose cohorts decide who is certifiable; none → everyone is */
  campaign?: Pick<Campaign, 'year' | 'cohorts'> | null;
  /** students the center admitted outside the cohorts, with the reason */
  admissions?: ReadonlyMap<string, { reason: string }>;
  /** 'draft' marks the run as a preview */
  schemeStatus?: 'draft' | 'approved';
  gradeTable?: GradeTable;
}

function sameName(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

export function scoreWorkbook(input: ScoreWorkbookInput): Result<ScoreRun> {
  const { workbook, scheme, applicationDate } = input;
  const collected = collectScores(workbook.grades, schemeCourses(scheme), input.gradeTable ?? DEFAULT_GRADE_TABLE);
  if (!collected.ok) return collected;

  const roster = input.roster ? new Map(input.roster.map((s) => [s.studentNo, s])) : null;
  const certsByStudent = new Map<string, HeldCertificate[]>();
  for (const c of input.certificates) {
    const list = certsByStudent.get(c.studentNo) ?? [];
    list.push(c);
    certsByStudent.set(c.studentNo, list);
  }

  const warnings: InputProblem[] = [...workbook.warnings];
  const notInRoster: ScoreRun['notInRoster'] = [];
  // one memo per run: what repeats across its students is worked out once, and forgotten with it
  const memo = new ScoringMemo();
  const scored: ScoredStudent[] = workbook.students.map((s) => {
    const rosterEntry = roster?.get(s.studentNo) ?? null;
    if (roster && !rosterEntry) notInRoster.push({ studentNo: s.studentNo, name: s.name, source: s.source });
    if (rosterEntry && !sameName(rosterEntry.name, s.name)) {
      warnings.push({
        code: 'roster.name_mismatch',
        ...s.source,
        message: `学号 ${s.studentNo} 在成绩表中姓名为“${s.name}”，学生名册中为“${rosterEntry.name}”`,
      });
    }
    if (rosterEntry && s.idNumber && rosterEntry.idNumber !== s.idNumber) {
      warnings.push({
        code: 'roster.id_mismatch',
        ...s.source,
        message: `学号 ${s.studentNo} 成绩表中的身份证号与学生名册不一致，以名册为准`,
      });
    }
    const idNumber = rosterEntry?.idNumber ?? s.idNumber;
    let birthDate = rosterEntry?.birthDate ?? null;
    if (!birthDate && s.idNumber) {
      const parsed = parseIdNumber(s.idNumber, { today: applicationDate });
      if (parsed.ok) birthDate = parsed.value.birthDate;
    }
    const certificates = certsByStudent.get(s.studentNo) ?? [];
    const cohort = cohortOf(rosterEntry, input.campaign ?? null, input.admissions?.get(s.studentNo) ?? null);
    const evaluation = applyCohort(
      evaluate({ studentNo: s.studentNo, name: rosterEntry?.name ?? s.name, scores: collected.value.get(s.studentNo) ?? [], certificates }, scheme, { applicationDate, memo }),
      cohort,
    );
    return {
      studentNo: s.studentNo,
      name: rosterEntry?.name ?? s.name,
      idNumber,
      age: birthDate ? ageOn(birthDate, applicationDate) : null,
      className: s.className ?? rosterEntry?.className ?? null,
      rosterEntry,
      certificates,
      evaluation,
      cohort,
      source: s.source,
    };
  });

  const inSheet = new Set(workbook.students.map((s) => s.studentNo));
  const missingFromSheet = (input.roster ?? [])
    .filter((s) => s.major === scheme.major && !inSheet.has(s.studentNo))
    .sort((a, b) => (a.studentNo < b.studentNo ? -1 : a.studentNo > b.studentNo ? 1 : 0));

  const keyed = scored.map((s) => ({ major: scheme.major, occupation: scheme.occupation.name, level: s.evaluation.level, studentNo: s.studentNo, s }));
  return {
    ok: true,
    value: {
      scheme,
      applicationDate,
      campaign: input.campaign ?? null,
      draftScheme: input.schemeStatus === 'draft',
      students: sortForExport(keyed).map((k) => k.s),
      rosterUsed: roster !== null,
      notInRoster,
      missingFromSheet,
      warnings,
    },
  };
}

/** The level a student is put forward for on 附件6: what they reached, else what the scheme aims at. */
export function declaredLevel(student: ScoredStudent, scheme: Scheme): Level {
  return student.evaluation.level ?? scheme.trainingObjective ?? 'L4';
}

export interface JsonStudent {
  studentNo: string;
  name: string;
  theory: string | null;
  skill: string | null;
  status: Outcome;
  level: Level | null;
  rule: string | null;
  reasons: string[];
  missing: string[];
  /** not on the roster: whether they belong to the campaign's cohorts cannot be told */
  cohortUnknown: boolean;
}

export interface JsonError {
  sheet: string | null;
  row: number | null;
  column: string | null;
  message: string;
}

export interface JsonReport {
  scheme: string;
  /** approved, or draft (a preview, 方案未审核) */
  schemeStatus: 'approved' | 'draft';
  /** the application date every age, holding period and 申报时间 used */
  applicationDate: IsoDate | null;
  /** the campaign whose date and cohorts were used */
  campaign: { year: number; undergradCohort: number; juniorCohort: number } | null;
  students: JsonStudent[];
  errors: JsonError[];
}

export function toJsonError(p: InputProblem): JsonError {
  return { sheet: p.sheet ?? null, row: p.row ?? null, column: p.column ?? null, message: p.message };
}

/** The `cert score --json` object; exactly these keys, in this order. */
export function toJsonReport(run: ScoreRun): JsonReport {
  return {
    scheme: run.scheme.code,
    schemeStatus: run.draftScheme ? 'draft' : 'approved',
    applicationDate: run.applicationDate,
    campaign: run.campaign ? { year: run.campaign.year, undergradCohort: run.campaign.cohorts.undergrad, juniorCohort: run.campaign.cohorts.junior } : null,
    students: run.students.map(({ studentNo, name, evaluation: e, cohort }) => ({
      studentNo,
      name,
      theory: e.theory.composite,
      skill: e.skill.composite,
      status: e.outcome,
      level: e.level,
      rule: e.rule?.text ?? null,
      reasons: e.reasons,
      missing: [...new Set([...e.theory.missing, ...e.skill.missing])],
      cohortUnknown: cohort.kind === 'unknown',
    })),
    errors: [],
  };
}

/** The report of a rejected workbook: no students, every problem with its cell. */
export function rejectedJsonReport(
  schemeCode: string,
  problems: InputProblem[],
  context: Pick<JsonReport, 'applicationDate' | 'campaign'> & { schemeStatus?: JsonReport['schemeStatus'] } = { applicationDate: null, campaign: null },
): JsonReport {
  const { applicationDate, campaign, schemeStatus = 'approved' } = context;
  return { scheme: schemeCode, schemeStatus, applicationDate, campaign, students: [], errors: problems.map(toJsonError) };
}

/**
 * One student's stored grades evaluated per scheme they have grades in (of `schemes`, in
 * that order), on the best score per course: what the student's status shows and what
 * decides which level rule applies to them.
 */
export function evaluateStored(
  student: Pick<Student, 'studentNo' | 'name'>,
  schemes: readonly Scheme[],
  grades: readonly StoredGrade[],
  certificates: readonly HeldCertificate[],
  applicationDate: IsoDate,
): Array<{ scheme: Scheme; evaluation: Evaluation }> {
  const memo = new ScoringMemo();
  return schemes
    .filter((s) => grades.some((g) => g.schemeCode === s.code))
    .map((scheme) => ({
      scheme,
      evaluation: evaluate(
        { studentNo: student.studentNo, name: student.name, scores: courseScores(grades.filter((g) => g.schemeCode === scheme.code)), certificates: [...certificates] },
        scheme,
        { applicationDate, memo },
      ),
    }));
}
