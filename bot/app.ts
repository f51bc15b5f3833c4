import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ActionContext, MessageContext, type Actor, type CardResponse } from './context';
import type { Directory, EventLedger, LarkApi } from './ports';
import { Router, type Feature } from './router';
import type { CardClick, IncomingMessage } from './transport/normalise';

/** Feishu gives a card callback 3 s; we answer by this, leaving room for the network. */
export const CARD_BUDGET_MS = 2500;

export interface BotAppOptions {
  lark: LarkApi;
  ledger: EventLedger;
  directory: Directory;
  logger: Logger;
  cardBudgetMs?: number;
}

export function errorMessage(shortId: string): string {
  return `出错了（编号 ${shortId}），请稍后重试或联系认定中心。`;
}

export function shortIdOf(eventId: string): string {
  return createHash('sha256').update(eventId).digest('hex').slice(0, 8);
}

const NOT_ALLOWED = '你没有权限进行此操作。';
const UNKNOWN_ACTION = '这张卡片已过期，请重新发起。';

/**
 * The bot core: receivers hand it normalised events; it claims them once, resolves the
 * actor, routes, and is the one error boundary. It knows nothing of HTTP.
 */
export class BotApp {
  private readonly router = new Router();
  private readonly inflight = new Set<Promise<unknown>>();
  private started = false;
  /** learned at start so group messages can be told apart (@bot or not) */
  botOpenId: string | undefined;

  constructor(private readonly opts: BotAppOptions) {}

  get log(): Logger {
    return this.opts.logger;
  }

  use(feature: Feature): this {
    this.router.use(feature);
    return this;
  }

  /** Seals the routes (unknown action ids fail here) and learns the bot's open_id. */
  async start(): Promise<void> {
    if (this.started) return;
    this.router.seal();
    try {
      this.botOpenId = (await this.opts.lark.botInfo()).openId;
    } catch (err) {
      this.log.warn({ err }, 'bot info unavailable; any @mention in a group counts');
    }
    this.started = true;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  /** Resolves when every handler started so far has finished (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private async resolveActor(openId: string): Promise<Actor> {
    const [roles, student] = await Promise.all([
      this.opts.directory.rolesOf(openId),
      this.opts.directory.studentByOpenId(openId),
    ]);
    return { openId, roles, student };
  }

  /**
   * Processes a message fully; never rejects. `after` is the acknowledgement: the work is
   * counted as in flight at once (idle() sees it) but starts only once Feishu has its answer.
   */
  handleMessage(message: IncomingMessage, after?: Promise<void>): Promise<void> {
    return this.track(
      (async () => {
        if (after) await after;
        await this.processMessage(message);
      })(),
    );
  }

  private async processMessage(message: IncomingMessage): Promise<void> {
    const started = Date.now();
    const base = { eventId: message.eventId, kind: message.kind, chatType: message.chatType, sender: message.senderOpenId };
    let route = '';
    try {
      if (!(await this.opts.ledger.claim(message.eventId, 'event'))) {
        this.log.info({ ...base, outcome: 'duplicate' }, 'event');
        return;
      }
      const actor = await this.resolveActor(message.senderOpenId);
      const ctx = new MessageContext({ lark: this.opts.lark, log: this.log, actor, eventId: message.eventId }, message);
      const matched = this.router.matchMessage(ctx);
      if (!matched) {
        this.log.info({ ...base, outcome: 'unrouted', ms: Date.now() - started }, 'event');
        return;
      }
      route = matched.feature;
      await matched.handler(ctx);
      this.log.info({ ...base, route, outcome: 'handled', ms: Date.now() - started }, 'event');
    } catch (err) {
      const shortId = shortIdOf(message.eventId);
      this.log.error({ ...base, route, shortId, err, ms: Date.now() - started }, 'event failed');
      await this.opts.lark
        .reply(message.messageId, { kind: 'text', text: errorMessage(shortId) })
        .catch((e: unknown) => this.log.error({ eventId: message.eventId, err: e }, 'could not report the failure to the user'));
    }
  }

  /**
   * Answers a card click within the budget: resolves with the handler's toast/card as soon
   * as it finishes, or with what it has when the budget runs out; the handler goes on.
   */
  async handleCardClick(click: CardClick): Promise<CardResponse> {
    const started = Date.now();
    const base = { eventId: click.eventId, kind: 'card', action: click.action, operator: click.operatorOpenId };
    if (!(await this.opts.ledger.claim(click.eventId, 'card'))) {
      this.log.info({ ...base, outcome: 'duplicate' }, 'event');
      return {};
    }
    const actor = await this.resolveActor(click.operatorOpenId);
    const ctx = new ActionContext({ lark: this.opts.lark, log: this.log, actor, eventId: click.eventId }, click);
    const found = this.router.matchAction(click.action, actor);
    if (!found) {
      this.log.warn({ ...base, outcome: 'unknown action' }, 'event');
      return { toast: { type: 'warning', content: UNKNOWN_ACTION } };
    }
    if (!found.allowed) {
      this.log.warn({ ...base, outcome: 'not allowed' }, 'event');
      return { toast: { type: 'error', content: NOT_ALLOWED } };
    }
    const work = this.track(
      (async () => {
        try {
          await found.route.handler(ctx);
          this.log.info({ ...base, route: found.route.feature, outcome: 'handled', late: ctx.isAnswered, ms: Date.now() - started }, 'event');
        } catch (err) {
          const shortId = shortIdOf(click.eventId);
          this.log.error({ ...base, route: found.route.feature, shortId, err }, 'event failed');
          if (!ctx.isAnswered) ctx.toast('error', errorMessage(shortId));
          else await ctx.reply(errorMessage(shortId)).catch((e: unknown) => this.log.error({ eventId: click.eventId, err: e }, 'could not report the failure'));
        }
      })(),
    );
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.opts.cardBudgetMs ?? CARD_BUDGET_MS);
    });
    await Promise.race([work, budget]);
    clearTimeout(timer);
    return ctx.seal();
  }
}

export function createBotApp(opts: BotAppOptions, features: readonly Feature[] = []): BotApp {
  const app = new BotApp(opts);
  for (const f of features) app.use(f);
  return app;
}
