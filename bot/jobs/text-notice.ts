import type { Repositories } from '../../db/store';

// A notice that follows a state change is stored as jobs with that change (outbox style): one
// job per recipient, so a person Feishu refuses (outside the contact scope, say) holds back
// nobody else, and each send's uuid comes from its job key, so a re-run after a crash does not
// reach the person twice. The kind names what the notice is about; its feature runs it (a text
// with reminders.job's sendTextJob).

/** Stores, in the caller's transaction `tx`, one `kind` job per recipient under `${key}:${openId}`, its payload `payload` and the recipient. */
export async function schedulePerRecipient(tx: Pick<Repositories, 'jobs'>, kind: string, key: string, recipients: Iterable<string>, payload: Record<string, unknown>, now: Date): Promise<void> {
  for (const recipient of new Set(recipients)) {
    await tx.jobs.schedule({ key: `${key}:${recipient}`, kind, runAt: now, payload: { ...payload, recipient } }, now);
  }
}

/** Stores, in the caller's transaction `tx`, one `kind` text job per recipient under `${key}:${openId}`. */
export function scheduleTexts(tx: Pick<Repositories, 'jobs'>, kind: string, key: string, recipients: Iterable<string>, text: string, now: Date): Promise<void> {
  return schedulePerRecipient(tx, kind, key, recipients, { text }, now);
}
