import type { Repositories, Store } from '../../../db/store';
import type { ExamDuty, StoredExamPlan as StoredPlan, StoredExamSession as StoredSession, ExamStaffMember } from '../../../domain/model/exam-plan';
import { STAFF_ROLE_LABEL, type StaffAssignment, type StaffRole } from '../../../domain/exam/staffing';
import { examFeePayer } from '../../../domain/exam/fees';
import { checkPlan, hasErrors, type AssessorAgreement, type ExamCandidate, type ExamPlan, type PlanFinding } from '../../../domain/exam/plan-rules';
import type { IsoDate, Part } from '../../../domain/model';
import type { PlanInput } from '../../../domain/exam/plan-input';
import { beijingDate, beijingInstant } from '../../../domain/time';
import { planAudit, type PlanFollowUp } from './plan-audit';

// One way into store.exams for the chat form and the command line: a plan is drafted
// (candidates from the roster, attempts from past sittings, checkPlan findings) and only a
// draft without errors is saved, sessions and candidates with it, in one transaction.

const SESSION_HOURS = 2;

export interface PlannedCandidate extends ExamCandidate {
  className: string;
  selfPaying: boolean;
}

export interface PlanDraft {
  input: PlanInput;
  plan: ExamPlan;
  candidates: PlannedCandidate[];
  agreement: AssessorAgreement | null;
  findings: PlanFinding[];
}

type Repos = Pick<Repositories, 'students' | 'exams' | 'examSittings'>;

/**
 * How many times each student already sat this certificate at this level: the recorded
 * sittings (results imported from the platform) where they took the exam, passed or failed.
 * A sitting they missed (缺考) is not an attempt; being listed on a plan is not either.
 */
export async function priorSittings(store: Pick<Repositories, 'examSittings'>, certificate: string, level: string, studentNos: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const s of await store.examSittings.listFor(certificate, level, studentNos)) {
    if (s.outcome !== 'absent') counts.set(s.studentNo, (counts.get(s.studentNo) ?? 0) + 1);
  }
  return counts;
}

/** The agreement an earlier plan of this certificate recorded (agreements are per certificate and organisation). */
export async function knownAgreement(store: Pick<Repositories, 'exams'>, certificate: string): Promise<AssessorAgreement | null> {
  const plans = (await store.exams.listPlans()).filter((p) => p.certificate === certificate).reverse();
  return plans.find((p) => p.data.agreement)?.data.agreement ?? null;
}

export async function draftPlan(store: Repos, input: PlanInput, today: IsoDate): Promise<PlanDraft> {
  const classes = input.classes.map((c) => c.trim()).filter(Boolean);
  const roster = (await store.students.listByCollege(input.college)).filter((s) => classes.includes(s.className ?? ''));
  const prior = await priorSittings(store, input.certificate, input.level, roster.map((s) => s.studentNo));
  const candidates: PlannedCandidate[] = roster
    .map((s) => {
      const attempt = (prior.get(s.studentNo) ?? 0) + 1;
      return { studentNo: s.studentNo, name: s.name, idNumber: s.idNumber, className: s.className ?? '', attempt, selfPaying: examFeePayer({ attempt }) === 'self' };
    })
    .sort((a, b) => a.studentNo.localeCompare(b.studentNo));
  const plan: ExamPlan = {
    certificate: input.certificate.trim(),
    level: input.level,
    owner: input.owner.trim(),
    college: input.college,
    classes,
    headcount: input.headcount ?? candidates.length,
    theoryDate: input.theory?.date ?? null,
    practicalDate: input.practical?.date ?? null,
    place: input.place.trim(),
    physicalRooms: input.physicalRooms,
    roomNeeds: input.roomNeeds.trim(),
    candidates,
  };
  const agreement = input.agreement ?? (await knownAgreement(store, plan.certificate));
  const findings = checkPlan(plan, { today, pilotQuota: input.pilotQuota ?? Number.MAX_SAFE_INTEGER, agreement });
  for (const t of [input.theory, input.practical]) {
    if (t && !/^([01]\d|2[0-3]):[0-5]\d$/.test(t.time)) findings.unshift({ code: 'plan.badTime', severity: 'error', message: `考试时间“${t.time}”应为 时:分，例如 09:00。` });
  }
  const empty = classes.filter((c) => !roster.some((s) => s.className === c));
  if (empty.length > 0) findings.push({ code: 'plan.unknownClass', severity: 'warning', message: `学籍名单中没有以下班级的学生：${empty.join('、')}。` });
  return { input: { ...input, classes }, plan, candidates, agreement, findings };
}

export type SaveOutcome = { ok: true; plan: StoredPlan; sessions: StoredSession[]; created: boolean } | { ok: false; message: string };

/**
 * Saves a draft without errors. `key` makes a repeated submission (a double click, a re-run
 * import) return the plan it already made instead of filing a second one; `then` commits with
 * a plan newly filed.
 */
export async function savePlan(store: Pick<Store, 'transaction'>, draft: PlanDraft, by: { openId: string; name?: string | null }, now: Date, key: string, then?: PlanFollowUp): Promise<SaveOutcome> {
  if (hasErrors(draft.findings)) return { ok: false, message: draft.findings.filter((f) => f.severity === 'error').map((f) => f.message).join('\n') };
  return store.transaction(async (tx) => {
    const existing = (await tx.exams.listPlans({ college: draft.plan.college })).find((p) => p.data.key === key);
    if (existing) return { ok: true, plan: existing, sessions: await tx.exams.listSessions(existing.id), created: false };
    const { input, plan } = draft;
    const stored = await tx.exams.createPlan(
      {
        college: plan.college,
        certificate: plan.certificate,
        level: plan.level,
        owner: plan.owner,
        headcount: plan.headcount,
        status: 'filed',
        data: {
          key,
          classes: plan.classes,
          theory: input.theory,
          practical: input.practical,
          place: plan.place,
          physicalRooms: plan.physicalRooms,
          roomNeeds: plan.roomNeeds,
          pilotQuota: input.pilotQuota,
          agreement: draft.agreement,
          warnings: draft.findings.map((f) => f.message),
          filedBy: by.openId,
        },
      },
      now,
    );
    await tx.exams.setCandidates(stored.id, draft.candidates.map((c) => ({ studentNo: c.studentNo, attempt: c.attempt })));
    const sessions: StoredSession[] = [];
    for (const [kind, at] of [['theory', input.theory], ['practical', input.practical]] as const) {
      if (!at) continue;
      const startsAt = beijingInstant(at.date, at.time);
      const endsAt = new Date(Date.parse(startsAt) + SESSION_HOURS * 3_600_000).toISOString();
      sessions.push(await tx.exams.addSession({ planId: stored.id, kind, startsAt, endsAt, place: plan.place, rooms: plan.physicalRooms }));
    }
    await planAudit(tx.audit, by, 'exam.plan.create', stored.id, { certificate: plan.certificate, level: plan.level, headcount: plan.headcount, candidates: draft.candidates.length, sessions: sessions.map((s) => s.id), warnings: draft.findings.length }, now);
    await then?.(tx, stored);
    return { ok: true, plan: stored, sessions, created: true };
  });
}

/** The domain view of a stored plan (for staffing and the fee sheet). */
export function planOfStored(plan: StoredPlan, sessions: readonly StoredSession[]): Pick<ExamPlan, 'headcount' | 'theoryDate' | 'practicalDate'> {
  const dateOf = (kind: 'theory' | 'practical') => {
    const s = sessions.find((x) => x.kind === kind && x.status !== 'cancelled');
    return s ? beijingDate(s.startsAt) : null;
  };
  return { headcount: plan.headcount, theoryDate: dateOf('theory'), practicalDate: dateOf('practical') };
}

// ---- stored staff -------------------------------------------------------------------------

const ROLE_OF_DUTY: Record<ExamDuty, StaffRole> = { chief: 'chiefExaminer', inspector: 'inspector', invigilator: 'invigilator', staff: 'examStaff' };

const partOf = (s: StoredSession): Part => (s.kind === 'theory' ? 'theory' : 'skill');

/** Stored staff count sessions; the settlement wants which ones, so the plan's first n are taken. */
export function assignmentsOf(staff: readonly ExamStaffMember[], sessions: readonly StoredSession[]): StaffAssignment[] {
  const parts = sessions.filter((s) => s.status !== 'cancelled').map(partOf);
  return staff.map((m) => ({
    name: m.name,
    staffNo: m.staffNo ?? '',
    role: ROLE_OF_DUTY[m.duty],
    duty: m.work ?? STAFF_ROLE_LABEL[ROLE_OF_DUTY[m.duty]],
    sessions: parts.slice(0, m.sessions),
  }));
}

