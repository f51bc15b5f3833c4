import { z } from 'zod';
import type { ActionContext, MessageContext } from '../context';
import type { Store } from '../../db/store';
import type { Clock } from '../clock';
import type { LarkApi } from '../ports';
import { scheduleJob, type PayloadSchema } from './runner';
import { sendUuid } from './send-uuid';

// Heavy work started by a card click (exports, workbooks) runs as a job, so a crash after
// the click loses nothing: the click is answered once the job is stored, and whichever
// instance leases the job sends the result where the click came from. Sends carry uuids from
// the job key, so a job run again after a crash does not post what Feishu already has. A
// typed command that starts the same work (导出 批次 N) stores the same job, keyed by its event.

/** Who clicked and the chat the answer goes to, kept in the job's payload. */
export const clickOrigin = z.object({
  actor: z.object({ openId: z.string().min(1), name: z.string().nullable() }),
  to: z.object({ type: z.enum(['chat_id', 'open_id']), id: z.string().min(1) }),
});
export type ClickOrigin = z.infer<typeof clickOrigin>;

/** The origin of this click (or typed command): who (under `name`) and their chat. */
export function originOf(ctx: ActionContext<unknown, unknown> | MessageContext, name: string | null): ClickOrigin {
  const chatId = 'click' in ctx ? ctx.click.chatId : ctx.message.chatId;
  return {
    actor: { openId: ctx.actor.openId, name },
    to: chatId ? { type: 'chat_id', id: chatId } : { type: 'open_id', id: ctx.actor.openId },
  };
}

/** What storing a click's job takes. */
export type ClickJobDeps = { store: Pick<Store, 'jobs'>; clock: Clock };

/** Stores the job for this click or command (one per event: the key is the event id); resolves once it is durable. */
export async function scheduleForClick<T extends PayloadSchema>(
  services: ClickJobDeps,
  ctx: Pick<ActionContext<unknown, unknown> | MessageContext, 'eventId'>,
  kind: string,
  schema: T,
  payload: z.input<T>,
): Promise<void> {
  const now = services.clock.now();
  await scheduleJob(services.store.jobs, schema, { key: `${kind}:${ctx.eventId}`, kind, runAt: now, payload }, now);
}

/** Sends a file into the click's chat from a job; `what` names it within the job for its uuid. */
export async function sendFileFromJob(services: { lark: Pick<LarkApi, 'uploadFile' | 'send'> }, jobKey: string, origin: ClickOrigin, what: string, bytes: Buffer, fileName: string): Promise<void> {
  const fileKey = await services.lark.uploadFile(bytes, fileName);
  await services.lark.send(origin.to.type, origin.to.id, { kind: 'file', fileKey }, { uuid: sendUuid(`${jobKey}:${what}`) });
}
