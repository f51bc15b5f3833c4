import { z } from 'zod';
import { applyCohort, cohortOf } from '../../../domain/campaign';
import { MATERIAL_STATE_LABEL, statusCard, supersededStatusCard, type MaterialState, type StatusCardData } from '../../../cards/status.card';
import type { evaluate } from '../../../domain/eligibility';
import { compareIsoDate } from '../../../domain/calendar';
import type { FilingFormRecord } from '../../../domain/filing-form';
import { beijingDate, formatBeijing } from '../../../domain/time';
import {
  BATCH_STATUS_LABEL,
  LEVEL_LABEL,
  MATERIAL_LABEL,
  type Campaign,
  type Evaluation,
  type Material,
  type MaterialKind,
  type Scheme,
  type StoredGrade,
  type Student,
} from '../../../domain/model';
import type { ServiceSlice } from '../../services';
import { schemesOf as schemesOfStudent } from '../../services/material-gate';
import { levelRuleOf, requirementStates } from '../../../domain/materials/requirements';
import { evaluateStored } from '../../../domain/scoring-run';

export const STATUS_CARD_STATE = 'status_card';
const statusCardState = z.object({ messageId: z.string() });

export function outcomeText(e: Evaluation): string {
  if (e.outcome === 'passed' && e.level) return `合格（${LEVEL_LABEL[e.level]}）`;
  if (e.outcome === 'incomplete') return '待补（缺少成绩）';
  if (e.outcome === 'ineligible') return '不属于本年度认定对象';
  return '不合格';
}

function materialState(m: Material | undefined): { state: MaterialState; detail: string | null } {
  if (!m) return { state: 'missing', detail: null };
  if (m.status === 'rejected') return { state: 'rejected', detail: m.reason ?? '请重新提交' };
  const warning = typeof m.meta.warning === 'string' ? m.meta.warning : null;
  return { state: m.status === 'accepted' ? 'accepted' : 'received', detail: warning };
}

export interface StatusInputs {
  student: Student;
  schemes: Scheme[];
  campaign: Campaign | undefined;
  materials: Partial<Record<MaterialKind, Material | undefined>>;
  filingForm: FilingFormRecord | undefined;
  grades: StoredGrade[];
  certificates: Parameters<typeof evaluate>[0]['certificates'];
  batch: { id: number; status: keyof typeof BATCH_STATUS_LABEL; reason: string | null } | null;
  exams: Array<{ title: string; startsAt: string; place: string; status: string }>;
  now: Date;
  /** the center's admission of this student to the campaign, if any */
  admission?: { reason: string } | null;
}

/** Everything the status card shows, from plain inputs (no I/O). */
export function statusView(i: StatusInputs): StatusCardData {
  const applicationDate = i.campaign?.applicationDate ?? beijingDate(i.now);
  const gradesKnown = i.grades.length > 0;
  // the cohort rule: a student outside the campaign's cohorts reaches no level (unless admitted)
  const cohort = cohortOf(i.student, i.campaign ?? null, i.admission ?? null);
  const scored = gradesKnown
    ? evaluateStored(i.student, i.schemes, i.grades, i.certificates, applicationDate).map((x) => ({ ...x, evaluation: applyCohort(x.evaluation, cohort) }))
    : [];

  const basis = { programme: i.student.programme, levelRule: levelRuleOf(scored.map((s) => s.evaluation)) };
  const handedIn = { latest: i.materials, filingFormVersion: i.filingForm?.version ?? null };
  const materials = requirementStates(basis, handedIn).map((r) => {
    if (r.state !== 'missing' && r.via === 'online') return { label: MATERIAL_LABEL[r.kind], state: 'received' as const, detail: `第 ${r.version} 版` };
    return { label: MATERIAL_LABEL[r.kind], ...materialState(i.materials[r.kind]) };
  });
  const todo = materials
    .filter((m) => m.state === 'missing' || m.state === 'rejected')
    .map((m) => (m.state === 'missing' ? `提交${m.label}` : `重新提交${m.label}：${m.detail}`));

  const evaluations = scored.map(({ scheme: s, evaluation: e }) => ({
    occupation: s.occupation.name,
    theory: e.theory.composite,
    skill: e.skill.composite,
    passTheory: s.passTheory,
    passSkill: s.passSkill,
    outcome: outcomeText(e),
    rule: e.rule ? `规则${e.rule.number}：${e.rule.text}` : null,
    reasons: e.reasons,
  }));
  for (const e of evaluations) if (e.outcome.startsWith('待补')) todo.push(`${e.occupation}：有课程成绩未录入，请联系学院`);

  return {
    name: i.student.name,
    studentNo: i.student.studentNo,
    major: i.student.major,
    materials,
    evaluations,
    gradesKnown,
    batch: i.batch ? { id: i.batch.id, stage: BATCH_STATUS_LABEL[i.batch.status], note: i.batch.status === 'returned' ? i.batch.reason : null } : null,
    exams: i.exams.map((e) => ({
      title: e.title,
      when: formatBeijing(e.startsAt),
      place: e.place,
      state: e.status === 'cancelled' ? '已取消' : e.status === 'moved' ? '时间已调整' : '',
    })),
    todo,
    updatedAt: formatBeijing(i.now.toISOString()),
  };
}


type StatusServices = ServiceSlice<
  'schemes' | 'campaigns' | 'materials' | 'filingForms' | 'grades' | 'certificates' | 'batches' | 'exams' | 'cohortAdmissions',
  'clock'
>;
/** What keeping a status card live takes beyond loading it. */
type LiveServices = ServiceSlice<'chatState', 'clock' | 'lark' | 'log'>;
export type RefreshServices = StatusServices & ServiceSlice<'students' | 'chatState', 'lark' | 'log'>;

/** The student's schemes: those of their college and major (approved first). */
export async function schemesOf(services: ServiceSlice<'schemes'>, student: Student): Promise<Scheme[]> {
  return schemesOfStudent(services.store, student);
}

/** Exams the student is a candidate of, soonest first. */
export async function examsOf(services: ServiceSlice<'exams'>, student: Student) {
  const { exams } = services.store;
  const out: Array<{ title: string; startsAt: string; place: string; status: string }> = [];
  for (const plan of await exams.listPlans({ college: student.college })) {
    const candidates = await exams.listCandidates(plan.id);
    if (!candidates.some((c) => c.studentNo === student.studentNo)) continue;
    for (const s of await exams.listSessions(plan.id)) {
      out.push({ title: `${plan.certificate}（${plan.level}）${s.kind === 'theory' ? '理论考试' : '实操考试'}`, startsAt: s.startsAt, place: s.place, status: s.status });
    }
  }
  return out.sort((a, b) => (a.startsAt < b.startsAt ? -1 : 1));
}

/** The date an ID card must still be valid on: the next exam, or the application date. */
export async function validOnDate(services: ServiceSlice<'exams' | 'campaigns', 'clock'>, student: Student): Promise<string> {
  const today = services.clock.today();
  const exams = (await examsOf(services, student)).filter((e) => e.status !== 'cancelled');
  const upcoming = exams.map((e) => beijingDate(e.startsAt)).filter((d) => compareIsoDate(d, today) >= 0);
  if (upcoming.length > 0) return upcoming[0]!;
  const campaign = await services.store.campaigns.current();
  return campaign?.applicationDate ?? today;
}

export async function loadStatus(services: StatusServices, student: Student): Promise<StatusCardData> {
  const { store } = services;
  const [schemes, campaign, materials, filingForm, grades, certificates, batches, exams] = await Promise.all([
    schemesOf(services, student),
    store.campaigns.current(),
    store.materials.latest(student.studentNo),
    store.filingForms.latest(student.studentNo),
    store.grades.listForStudent(student.studentNo),
    store.certificates.listForStudent(student.studentNo),
    store.batches.listByCollege(student.college),
    examsOf(services, student),
  ]);
  const batch = [...batches].reverse().find((b) => b.studentNos.includes(student.studentNo));
  const admission = campaign ? ((await store.cohortAdmissions.listForYear(campaign.year)).find((a) => a.studentNo === student.studentNo) ?? null) : null;
  let reason: string | null = null;
  if (batch?.status === 'returned') reason = [...(await store.batches.log(batch.id))].reverse().find((e) => e.reason)?.reason ?? null;
  return statusView({
    student,
    schemes,
    campaign,
    materials,
    filingForm,
    grades,
    certificates,
    batch: batch ? { id: batch.id, status: batch.status, reason } : null,
    exams,
    now: services.clock.now(),
    admission,
  });
}

/** Sends a fresh status card and makes it the one later changes patch. */
export async function sendStatusCard(services: StatusServices & LiveServices, student: Student, send: (card: Record<string, unknown>) => Promise<string>): Promise<string> {
  const card = statusCard(await loadStatus(services, student));
  const messageId = await send({ ...card });
  await makeLive(services, student, messageId);
  return messageId;
}

/**
 * Makes `messageId` the student's one live status card; the one live before it is
 * patched to say it no longer updates and where the live one is.
 */
export async function makeLive(services: LiveServices, student: Student, messageId: string): Promise<void> {
  if (!student.openId) return;
  const { chatState } = services.store;
  const before = await chatState.get(student.openId, STATUS_CARD_STATE, statusCardState);
  await chatState.set(student.openId, STATUS_CARD_STATE, { messageId }, services.clock.now());
  if (!before?.messageId || before.messageId === messageId) return;
  const since = formatBeijing(services.clock.now().toISOString());
  try {
    await services.lark.patchCard(before.messageId, { ...supersededStatusCard({ name: student.name, studentNo: student.studentNo, major: student.major, since }) });
  } catch (err) {
    services.log.warn({ err, studentNo: student.studentNo }, 'older status card could not be marked superseded');
  }
}

/** The statusChanged hook: patches each student's status card, if they have one. */
export async function refreshStatusCards(services: RefreshServices, studentNos: string[]): Promise<void> {
  for (const student of await services.store.students.listByNumbers(studentNos)) {
    if (!student.openId) continue;
    const state = await services.store.chatState.get(student.openId, STATUS_CARD_STATE, statusCardState);
    if (!state?.messageId) continue;
    try {
      await services.lark.patchCard(state.messageId, { ...statusCard(await loadStatus(services, student)) });
    } catch (err) {
      // a card older than 14 days can no longer be patched; the next 进度 sends a new one
      services.log.warn({ err, studentNo: student.studentNo }, 'status card could not be updated');
    }
  }
}
