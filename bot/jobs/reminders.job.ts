import { examReminderCard, type ExamReminderKind } from '../../cards/exam-reminder.card';
import type { Job } from '../../db/records';
import type { LarkApi } from '../ports';
import type { JobHandler } from './runner';
import { sendUuid } from './send-uuid';
import { MATERIALS_DUE_SOON, sendMaterialsReminder, type MaterialsReminderDeps } from './planning.job';

// Senders for the reminder jobs planned by domain/reminders.ts. Each send carries a uuid
// derived from the job key: Feishu delivers one message per uuid, so a job re-run after a
// crash between "sent" and "done" does not reach the person twice.

export { sendUuid };

interface ReminderPayload {
  recipient: string;
  text: string;
  title?: string;
  place?: string;
  startsAt?: string;
  reason?: 'moved' | 'changed' | 'cancelled';
}

type SendDeps = { lark: Pick<LarkApi, 'send'> };

function payloadOf(job: Job): ReminderPayload {
  const p = job.payload as Partial<ReminderPayload>;
  if (typeof p.recipient !== 'string' || p.recipient === '' || typeof p.text !== 'string') {
    throw new Error(`job ${job.key} has no recipient or text`);
  }
  return p as ReminderPayload;
}

export async function sendExamReminder(job: Job, services: SendDeps): Promise<void> {
  const p = payloadOf(job);
  const card = examReminderCard({ kind: job.kind as ExamReminderKind, text: p.text, title: p.title, place: p.place, startsAt: p.startsAt, reason: p.reason });
  await services.lark.send('open_id', p.recipient, { kind: 'card', card: { ...card } }, { uuid: sendUuid(job.key) });
}

/** Plain text jobs: the monthly plan reminder to colleges, a 1+X result to its student. */
export async function sendTextJob(job: Job, services: SendDeps): Promise<void> {
  const p = payloadOf(job);
  await services.lark.send('open_id', p.recipient, { kind: 'text', text: p.text }, { uuid: sendUuid(job.key) });
}

export const EXAM_REMINDER_KINDS = ['exam.notice', 'exam.dayBefore', 'exam.hoursBefore', 'exam.correction'] as const;
export const TEXT_JOB_KINDS = ['exam.planDue', 'exam.result'] as const;

/** The reminder senders by kind, run by the exam plan feature (the one that plans reminders). */
export const REMINDER_JOBS: Readonly<Record<string, JobHandler<MaterialsReminderDeps>>> = {
  ...Object.fromEntries(EXAM_REMINDER_KINDS.map((kind) => [kind, sendExamReminder])),
  ...Object.fromEntries(TEXT_JOB_KINDS.map((kind) => [kind, sendTextJob])),
  // a materials reminder checks first that the student still owes something
  [MATERIALS_DUE_SOON]: sendMaterialsReminder,
};
