import { planReminders, type ExamSessionInfo, type Recipient, type ReminderJob } from '../../../domain/reminders';
import type { JobQueue } from '../../jobs/runner';

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

/** The key prefix shared by every job of one session version (keys are exam:<id>:v<version>:…). */
export function versionPrefix(sessionId: string, version: number): string {
  return `exam:${sessionId}:v${version}:`;
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

export async function storeJobs(deps: Pick<ScheduleDeps, 'jobs' | 'now'>, jobs: readonly ReminderJob[], extra: Record<string, unknown> = {}): Promise<void> {
  for (const j of jobs) {
    await deps.jobs.schedule({ key: j.key, kind: j.kind, runAt: j.runAt, payload: { ...extra, ...j.payload, recipient: j.recipient } }, deps.now);
  }
}
