import { z } from 'zod';
import { examReminderCard } from '../../cards/exam-reminder.card';
import { CORRECTION_REASONS, EXAM_REMINDER_KINDS, type ExamReminderKind } from '../../domain/reminders';
import type { LarkApi } from '../ports';
import { defineJob, type JobHandler } from './runner';
import { sendUuid } from './send-uuid';
import { MATERIALS_DUE_SOON, sendMaterialsReminder, type MaterialsReminderDeps } from './planning.job';
import { sendTextJob, textPayload } from './text-notice';

// Senders for the reminder jobs planned by domain/reminders.ts. Each send carries a uuid
// derived from the job key: Feishu delivers one message per uuid, so a job re-run after a
// crash between "sent" and "done" does not reach the person twice.

/** What an exam reminder carries: its text and what the card shows beside it. */
export const examReminderPayload = textPayload.extend({
  title: z.string().optional(),
  place: z.string().optional(),
  startsAt: z.string().optional(),
  reason: z.enum(CORRECTION_REASONS).optional(),
});

/** The sender of one kind of exam reminder, as a card. */
function examReminderJob(kind: ExamReminderKind) {
  return defineJob(examReminderPayload, async ({ key, payload: p }, services: { lark: Pick<LarkApi, 'send'> }) => {
    const card = examReminderCard({ kind, text: p.text, title: p.title, place: p.place, startsAt: p.startsAt, reason: p.reason });
    await services.lark.send('open_id', p.recipient, { kind: 'card', card: { ...card } }, { uuid: sendUuid(key) });
  });
}

/** Plain text jobs: the monthly plan reminder to colleges, a 1+X result to its student. */
export const TEXT_JOB_KINDS = ['exam.planDue', 'exam.result'] as const;

/** The reminder senders by kind, run by the exam plan feature (the one that plans reminders). */
export const REMINDER_JOBS: Readonly<Record<string, JobHandler<MaterialsReminderDeps>>> = {
  ...Object.fromEntries(EXAM_REMINDER_KINDS.map((kind) => [kind, examReminderJob(kind)])),
  ...Object.fromEntries(TEXT_JOB_KINDS.map((kind) => [kind, sendTextJob])),
  // a materials reminder checks first that the student still owes something
  [MATERIALS_DUE_SOON]: sendMaterialsReminder,
};
