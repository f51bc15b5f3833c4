import { createHash } from 'node:crypto';

// Feishu delivers one message per uuid, so a job re-run after a crash between "sent" and
// "done" does not reach the person twice. The uuid is derived from the job key.

export function sendUuid(jobKey: string): string {
  return createHash('sha256').update(jobKey).digest('hex').slice(0, 40);
}
