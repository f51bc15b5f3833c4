import type { Store } from '../../../db/store';
import type { StoredExamPlan as StoredPlan, StoredExamSession as StoredSession } from '../../../domain/model/exam-plan';
import { SESSION_LABEL } from '../../../domain/exam/plan-rules';
import { planReminders, type ExamSessionInfo, type Recipient, type ReminderJob } from '../../../domain/reminders';
import { examReminderPayload } from '../../jobs/reminders.job';
import { scheduleJob, type JobQueue } from '../../jobs/runner';
import { staffOpenIds } from './exam-staff-details';

// Turns a planned session change into stored jobs: the stale reminders are cancelled first,
// then the new ones are scheduled under keys that are unique per session, version, kind and
// recipient, so planning twice (a double click, two instances) stores each job once.

export interface ScheduleDeps {
  jobs: JobQueue & { cancel(keyPrefix: string, now?: Date): Promise<number> };
  now: Date;
  reminders: { dayBeforeAt: string; hoursBefore: number };
}

export interface ScheduleOutcome {
  scheduled: number;
  cancelled: number;
}

function versionsIn(cancelKeys: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const key of cancelKeys) {
    const m = /^(exam:[^:]+:v\d+:)/.exec(key);
    if (m) prefixes.add(m[1]!);
  }
  return [...prefixes];
}

export async function scheduleSession(
  deps: ScheduleDeps,
  session: ExamSessionInfo,
  audience: readonly Recipient[],
  previous: ExamSessionInfo | null,
): Promise<ScheduleOutcome> {
  const plan = planReminders(session, audience, {
    now: deps.now.toISOString(),
    dayBeforeAt: deps.reminders.dayBeforeAt,
    hoursBefore: deps.reminders.hoursBefore,
    previous,
  });
  let cancelled = 0;
  // a whole version goes at once: exact keys would be LIKE prefixes of longer open_ids
  for (const prefix of versionsIn(plan.cancelKeys)) cancelled += await deps.jobs.cancel(prefix, deps.now);
  await storeJobs(deps, plan.jobs, { title: session.title, place: session.place });
  return { scheduled: plan.jobs.length, cancelled };
}

/** Stores the planned reminders; `session` is what their cards show beside the text. */
export async function storeJobs(deps: Pick<ScheduleDeps, 'jobs' | 'now'>, jobs: readonly ReminderJob[], session: { title?: string; place?: string } = {}): Promise<void> {
  for (const j of jobs) {
    const { text, startsAt, reason } = j.payload;
    await scheduleJob(deps.jobs, examReminderPayload, { key: j.key, kind: j.kind, runAt: j.runAt, payload: { ...session, recipient: j.recipient, text, startsAt, reason } }, deps.now);
  }
}

// ---- sessions as stored ---------------------------------------------------------------

export interface SessionDeps {
  store: Pick<Store, 'jobs' | 'exams' | 'students' | 'audit'>;
  clock: { now(): Date };
  config: { reminders: { dayBeforeAt: string; hoursBefore: number } };
}

export interface Operator {
  openId: string;
  name?: string | null;
}

/** What the reminders say about a stored session: 证书（等级）理论知识考试, its place and time. */
export function sessionInfo(plan: StoredPlan, session: StoredSession): ExamSessionInfo {
  return {
    id: String(session.id),
    version: session.version,
    startsAt: session.startsAt,
    status: session.status === 'cancelled' ? 'cancelled' : 'scheduled',
    title: `${plan.certificate}（${plan.level}）${SESSION_LABEL[session.kind === 'theory' ? 'theory' : 'skill']}`,
    place: session.place,
  };
}

/** Candidates bound to Feishu, then the assigned staff with a Feishu user (and any plan.data.staffOpenIds). */
export async function audienceOf(deps: SessionDeps, plan: StoredPlan): Promise<Recipient[]> {
  const candidates = await deps.store.exams.listCandidates(plan.id);
  const students = await deps.store.students.listByNumbers(candidates.map((c) => c.studentNo));
  return [...students.map((s) => s.openId).filter((id): id is string => Boolean(id)), ...(plan.data.staffOpenIds ?? []), ...staffOpenIds(plan)].map((openId) => ({ openId }));
}

export type SessionChange = { kind: 'schedule' } | { kind: 'move'; startsAt: Date; endsAt?: Date; place?: string } | { kind: 'cancel' };

export type SessionOutcome =
  | { ok: true; session: StoredSession; scheduled: number; cancelled: number }
  | { ok: false; message: string };

/**
 * Schedules a session's reminders, moves it (a correction now, the old reminders cancelled,
 * new ones planned) or cancels it (a correction now, nothing left). Recorded in the audit log.
 */
export async function changeSession(deps: SessionDeps, sessionId: number, change: SessionChange, by: Operator): Promise<SessionOutcome> {
  const before = await deps.store.exams.getSession(sessionId);
  if (!before) return { ok: false, message: `没有编号为 ${sessionId} 的考试场次。` };
  const plan = await deps.store.exams.getPlan(before.planId);
  if (!plan) return { ok: false, message: `场次 ${sessionId} 所属的考试计划不存在。` };
  if (before.status === 'cancelled') return { ok: false, message: '该场次已取消，不能再调整。' };

  let after = before;
  let previous: ExamSessionInfo | null = null;
  if (change.kind !== 'schedule') {
    const duration = Date.parse(before.endsAt) - Date.parse(before.startsAt);
    const update =
      change.kind === 'cancel'
        ? { status: 'cancelled' as const }
        : {
            status: 'moved' as const,
            startsAt: change.startsAt.toISOString(),
            endsAt: (change.endsAt ?? new Date(change.startsAt.getTime() + duration)).toISOString(),
            ...(change.place ? { place: change.place } : {}),
          };
    const updated = await deps.store.exams.updateSession(sessionId, update, { expectedVersion: before.version });
    if (!updated) return { ok: false, message: '该场次刚被他人修改，请刷新后重试。' };
    after = updated;
    previous = sessionInfo(plan, before);
  }
  const now = deps.clock.now();
  const outcome = await scheduleSession({ jobs: deps.store.jobs, now, reminders: deps.config.reminders }, sessionInfo(plan, after), await audienceOf(deps, plan), previous);
  await deps.store.audit.record({
    actorOpenId: by.openId,
    actorName: by.name ?? null,
    action: `exam.session.${change.kind}`,
    entity: 'exam_session',
    entityId: String(sessionId),
    detail: { planId: plan.id, version: after.version, startsAt: after.startsAt, previousStartsAt: previous?.startsAt ?? null, ...outcome },
    at: now,
  });
  return { ok: true, session: after, ...outcome };
}
