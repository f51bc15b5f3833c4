import type { Context, Middleware } from 'koa';
import type { BotApp } from '../app';
import { dispatchEnvelope } from './dispatch';
import { verifyWebhook, type WebhookSecurity } from './webhook-security';

export const EVENT_PATH = '/webhook/event';
export const CARD_PATH = '/webhook/card';
const MAX_BODY_BYTES = 1024 * 1024;

export async function readRawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.req) {
    total += (chunk as Buffer).length;
    if (total > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface WebhookReceiverOptions {
  security: WebhookSecurity;
  /** seconds since epoch; injectable for tests of stale timestamps */
  nowSeconds?: () => number;
}

/**
 * Koa middleware for POST /webhook/event and /webhook/card. It only verifies, decrypts,
 * answers the challenge and hands a normalised event to the app: events are answered
 * before the handler runs, card callbacks with whatever the handler produced in budget.
 */
export function webhookReceiver(app: BotApp, options: WebhookReceiverOptions): Middleware {
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || (ctx.path !== EVENT_PATH && ctx.path !== CARD_PATH)) return next();
    const body = await readRawBody(ctx);
    if (body === null) {
      ctx.status = 413;
      ctx.body = { error: 'body too large' };
      return;
    }
    const verified = verifyWebhook({ body, headers: ctx.headers, nowSeconds: now() }, options.security);
    if (!verified.ok) {
      app.log.warn({ path: ctx.path, reason: verified.reason, ip: ctx.ip }, 'webhook refused');
      ctx.status = verified.status;
      ctx.body = { error: verified.reason };
      return;
    }
    if (verified.kind === 'challenge') {
      ctx.body = { challenge: verified.challenge };
      return;
    }
    const work = dispatchEnvelope(app, verified.envelope);
    if (work.kind === 'card') {
      ctx.body = await work.run();
      return;
    }
    if (work.kind === 'message') {
      // answer first, work after: the handler starts once the 200 has left — but the 200
      // leaves only once the message is stored, so a crash right after it loses nothing
      const acked = new Promise<void>((resolve) => {
        ctx.res.once('finish', resolve);
        ctx.res.once('close', resolve);
      });
      try {
        await work.accept(acked).stored;
      } catch (err) {
        app.log.error({ err, path: ctx.path }, 'message could not be stored; answering 503 so Feishu delivers it again');
        ctx.status = 503;
        ctx.body = { error: 'message not stored, please retry' };
        return;
      }
    }
    ctx.body = {};
  };
}
