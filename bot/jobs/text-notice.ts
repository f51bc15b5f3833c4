import { z } from 'zod';
import type { LarkApi } from '../ports';
import { defineJob, scheduleJob, type JobQueue, type PayloadSchema } from './runner';
import { sendUuid } from './send-uuid';

// A notice that follows a state change is stored as jobs with that change (outbox style): one
// job per recipient, so a person Feishu refuses (outside the contact scope, say) holds back
// nobody else, and each send's uuid comes from its job key, so a re-run after a crash does not
// reach the person twice. The kind names what the notice is about; its feature runs it (a text
// with sendTextJob).

/** Where a notice's jobs are stored: a transaction's repositories, or a job planning more. */
type Jobs = { jobs: Pick<JobQueue, 'schedule'> };

/** What a text job carries: one recipient, one text ready to send. */
export const textPayload = z.object({ recipient: z.string().min(1), text: z.string().min(1) });

/** Stores, in the caller's transaction `tx`, one `kind` job per recipient under `${key}:${openId}`, its payload of `schema`'s type. */
export async function schedulePerRecipient<T extends PayloadSchema>(
  tx: Jobs,
  kind: string,
  key: string,
  recipients: Iterable<string>,
  schema: T,
  payloadFor: (recipient: string) => z.input<T>,
  now: Date,
): Promise<void> {
  for (const recipient of new Set(recipients)) {
    await scheduleJob(tx.jobs, schema, { key: `${key}:${recipient}`, kind, runAt: now, payload: payloadFor(recipient) }, now);
  }
}

/** Stores, in the caller's transaction `tx`, one `kind` text job per recipient under `${key}:${openId}`. */
export function scheduleTexts(tx: Jobs, kind: string, key: string, recipients: Iterable<string>, text: string, now: Date): Promise<void> {
  return schedulePerRecipient(tx, kind, key, recipients, textPayload, (recipient) => ({ recipient, text }), now);
}

/** Sends a text job's text to its recipient. */
export const sendTextJob = defineJob(textPayload, async (job, services: { lark: Pick<LarkApi, 'send'> }) => {
  await services.lark.send('open_id', job.payload.recipient, { kind: 'text', text: job.payload.text }, { uuid: sendUuid(job.key) });
});
