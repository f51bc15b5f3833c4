import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { ActionContext, MessageContext, type Actor, type CardResponse } from './context';
import { sendUuid } from './jobs/send-uuid';
import type { Directory, EventLedger, InboxEntry, LarkApi } from './ports';
import { Router, STALE_CARD, type Feature } from './router';
import { inboxMessage, type CardClick, type IncomingMessage } from './transport/normalise';
import { eventLoopTurns } from './turns';

/** Feishu gives a card callback 3 s; we answer by this, leaving room for the network. */
export const CARD_BUDGET_MS = 2500;

export interface BotAppOptions {
  lark: LarkApi;
  ledger: EventLedger;
  directory: Directory;
  logger: Logger;
  cardBudgetMs?: number;
  inbox?: InboxOptions;
}

/**
 * How chat messages are kept until handled. Leases run on real time (`now`, the system
 * clock by default), not on services.clock: they measure whether a process is alive, and a
 * test's frozen or fast-forwarded business clock must neither stall nor expire them.
 */
export interface InboxOptions {
  /** names this instance in leases, e.g. host:pid */
  owner?: string;
  /** a message whose instance stopped renewing is taken over this long after the last renewal */
  leaseMs?: number;
  /** how often a running handler renews its lease; 0 = never (tests that stand in for a dead instance) */
  heartbeatMs?: number;
  /** times a message is taken (crashes included) before it is given up and the user told */
  maxAttempts?: number;
  /** finished claims are forgotten after this */
  keepMs?: number;
  now?: () => Date;
}

/** A dead instance's message is taken over within leaseMs + recoverEveryMs (≤ 40 s); a live one renews every leaseMs / 3. */
export const INBOX_DEFAULTS = { leaseMs: 30_000, maxAttempts: 3, keepMs: 7 * 24 * 60 * 60_000, recoverEveryMs: 10_000 } as const;
const PRUNE_EVERY_MS = 60 * 60_000;

export function errorMessage(shortId: string): string {
  return `出错了（编号 ${shortId}），请稍后重试或联系认定中心。`;
}

export function failedMessage(shortId: string): string {
  return `这条消息处理失败（编号 ${shortId}），请重新发送。`;
}

export function shortIdOf(eventId: string): string {
  return createHash('sha256').update(eventId).digest('hex').slice(0, 8);
}

const NOT_ALLOWED = '你没有权限进行此操作。';

const STILL_WORKING = '正在处理，请稍候，结果会更新在这张卡片上。';

/**
 * The bot core: receivers hand it normalised events; it claims them once, resolves the
 * actor, routes, and is the one error boundary. It knows nothing of HTTP.
 */
export class BotApp {
  private readonly router = new Router();
  private readonly inflight = new Set<Promise<unknown>>();
  private started = false;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  private lastPrune = 0;
  private readonly turns = eventLoopTurns();
  /** learned at start so group messages can be told apart (@bot or not) */
  botOpenId: string | undefined;

  constructor(private readonly opts: BotAppOptions) {
    const inbox = opts.inbox ?? {};
    this.owner = inbox.owner ?? `${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = inbox.leaseMs ?? INBOX_DEFAULTS.leaseMs;
    this.heartbeatMs = inbox.heartbeatMs ?? Math.max(1, Math.floor(this.leaseMs / 3));
    this.maxAttempts = Math.max(1, inbox.maxAttempts ?? INBOX_DEFAULTS.maxAttempts);
    this.now = inbox.now ?? (() => new Date());
  }

  get log(): Logger {
    return this.opts.logger;
  }

  use(feature: Feature): this {
    this.router.use(feature);
    return this;
  }

  /** The workflow hooks the mounted features provide. */
  providedHooks() {
    return this.router.providedHooks();
  }

  /** The job handlers the mounted features declared, by kind. */
  jobHandlers() {
    return this.router.jobHandlers();
  }

  /**
   * Seals the routes (unknown action ids fail here) and starts learning the bot's open_id;
   * `learned` settles once it is known (or could not be), so start-up need not wait for it.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.router.seal();
    this.learned = this.opts.lark.botInfo().then(
      (info) => void (this.botOpenId = info.openId),
      (err: unknown) => this.log.warn({ err }, 'bot info unavailable; any @mention in a group counts'),
    );
    this.started = true;
  }

  /** settles once start() has learned the bot's open_id, or given up on it */
  learned: Promise<void> = Promise.resolve();

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
   * counted as in flight at once (idle() sees it) and the claim, which keeps the message in
   * the inbox, is made at once too; the handler starts only once Feishu has its answer.
   */
  handleMessage(message: IncomingMessage, after?: Promise<void>): Promise<void> {
    return this.acceptMessage(message, after, { transportRedelivers: false }).done;
  }

  /**
   * For receivers: `stored` settles once the message is safely in the inbox (or known as a
   * duplicate), so the receiver acknowledges only what a crash cannot lose; it rejects when
   * the message could not be stored, and the receiver then answers with an error so that
   * Feishu delivers it again. `done` settles when the handler has finished.
   */
  acceptMessage(
    message: IncomingMessage,
    after?: Promise<void>,
    opts: { transportRedelivers: boolean } = { transportRedelivers: true },
  ): { stored: Promise<void>; done: Promise<void> } {
    const claimed = this.opts.ledger.claimMessage(message.eventId, JSON.stringify(message), this.owner, this.now(), this.leaseMs, message.messageId).then(
      (token) => ({ token }),
      (err: unknown) => ({ err }),
    );
    const stored = claimed.then((c) => {
      if ('err' in c) throw c.err;
    });
    // the receiver awaits `stored`; nobody else must see its rejection as unhandled
    stored.catch(() => undefined);
    const done = this.track(
      (async () => {
        if (after) await after;
        const claim = await claimed;
        if ('err' in claim) {
          if (opts.transportRedelivers) {
            this.log.error({ eventId: message.eventId, err: claim.err }, 'message not stored; the transport asked Feishu to deliver it again');
          } else {
            await this.reportFailure(message, claim.err, '');
          }
          return;
        }
        if (claim.token === null) {
          this.log.info({ eventId: message.eventId, kind: message.kind, outcome: 'duplicate' }, 'event');
          return;
        }
        await this.runClaimed(message, claim.token, 1);
      })(),
    );
    return { stored, done };
  }

  /**
   * Takes over the messages whose instance died before finishing them and runs them again
   * through the router; one taken more than maxAttempts times is given up and the user told.
   * Resolves with how many were taken; their handling goes on (idle() waits for it).
   */
  async recover(limit = 20): Promise<number> {
    const now = this.now();
    const taken = await this.opts.ledger.takeOverMessages(this.owner, now, this.leaseMs, limit);
    for (const entry of taken) {
      void this.track(this.resume(entry).catch((err: unknown) => this.log.error({ eventId: entry.key, err }, 'recovered message failed')));
    }
    if (now.getTime() - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now.getTime();
      const keepMs = this.opts.inbox?.keepMs ?? INBOX_DEFAULTS.keepMs;
      const pruned = await this.opts.ledger.prune(new Date(now.getTime() - keepMs));
      if (pruned > 0) this.log.info({ pruned }, 'old event claims pruned');
    }
    return taken.length;
  }

  /** Recovers at once and then every `everyMs` (0 = only at once); stop() ends the loop and waits for its round. */
  startRecovery(everyMs: number = INBOX_DEFAULTS.recoverEveryMs): { stop(): Promise<void> } {
    let running: Promise<unknown> | null = null;
    const round = () => {
      if (running) return;
      running = this.recover()
        .then((n) => n > 0 && this.log.info({ recovered: n }, 'interrupted messages taken over'))
        .catch((err: unknown) => this.log.error({ err }, 'inbox recovery failed; retried next round'))
        .finally(() => (running = null));
    };
    round();
    const timer = everyMs > 0 ? setInterval(round, everyMs) : undefined;
    timer?.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await running;
      },
    };
  }

  private async resume(entry: InboxEntry): Promise<void> {
    const read = inboxMessage(entry.payload);
    if (!read.ok) {
      // nothing to answer to: record it so it is not taken again, and say so loudly
      this.log.error({ eventId: entry.key, reason: read.reason }, 'inbox entry unreadable; marked failed');
      await this.opts.ledger.finishMessage(entry.key, entry.leaseToken, 'failed', this.now(), `payload unreadable: ${read.reason}`);
      return;
    }
    const message = read.value;
    const base = { eventId: message.eventId, kind: message.kind, attempts: entry.attempts };
    if (entry.attempts > this.maxAttempts) {
      const shortId = shortIdOf(message.eventId);
      try {
        await this.opts.lark.reply(message.messageId, { kind: 'text', text: failedMessage(shortId) }, { uuid: sendUuid(`${message.messageId}:given-up`) });
      } catch (err) {
        // still pending: the next round takes it again and tries to tell the user again
        this.log.error({ ...base, shortId, err }, 'could not tell the user a message was given up');
        return;
      }
      await this.opts.ledger.finishMessage(entry.key, entry.leaseToken, 'failed', this.now(), `given up after ${entry.attempts - 1} attempts`);
      this.log.error({ ...base, shortId, outcome: 'given up' }, 'event');
      return;
    }
    this.log.warn({ ...base, outcome: 'recovered' }, 'event');
    await this.runClaimed(message, entry.leaseToken, entry.attempts);
  }

  /** Handles a message this instance holds the lease of, renewing it meanwhile, then marks it done. */
  private async runClaimed(message: IncomingMessage, token: string, attempt: number): Promise<void> {
    const timer =
      this.heartbeatMs > 0
        ? setInterval(() => {
            this.opts.ledger.renewMessage(message.eventId, token, this.now(), this.leaseMs).then(
              (held) => held || this.log.warn({ eventId: message.eventId }, 'inbox lease lost while handling'),
              (err: unknown) => this.log.warn({ eventId: message.eventId, err }, 'inbox lease not renewed'),
            );
          }, this.heartbeatMs)
        : undefined;
    let error: string | undefined;
    try {
      // acknowledgements first: the handler starts on a turn of the event loop of its own
      await this.turns.take();
      error = await this.processMessage(message, attempt);
    } finally {
      clearInterval(timer);
    }
    // a handled error counts as done too: the user has been told by the error boundary
    await this.opts.ledger
      .finishMessage(message.eventId, token, 'done', this.now(), error)
      .catch((err: unknown) => this.log.error({ eventId: message.eventId, err }, 'could not mark the message done; it may be handled again'));
  }

  /** Resolves with the error text when the handler failed (the user has been told), else undefined. */
  private async processMessage(message: IncomingMessage, attempt: number): Promise<string | undefined> {
    const started = Date.now();
    const base = { eventId: message.eventId, kind: message.kind, chatType: message.chatType, sender: message.senderOpenId, ...(attempt > 1 ? { attempt } : {}) };
    let route = '';
    try {
      const actor = await this.resolveActor(message.senderOpenId);
      const ctx = new MessageContext({ lark: this.opts.lark, log: this.log, actor, eventId: message.eventId }, message);
      const matched = this.router.matchMessage(ctx);
      if (!matched) {
        this.log.info({ ...base, outcome: 'unrouted', ms: Date.now() - started }, 'event');
        return undefined;
      }
      route = matched.feature;
      await matched.handler(ctx);
      this.log.info({ ...base, route, outcome: 'handled', ms: Date.now() - started }, 'event');
      return undefined;
    } catch (err) {
      await this.reportFailure(message, err, route, started);
      return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
  }

  private async reportFailure(message: IncomingMessage, err: unknown, route: string, started = Date.now()): Promise<void> {
    const shortId = shortIdOf(message.eventId);
    const base = { eventId: message.eventId, kind: message.kind, chatType: message.chatType, sender: message.senderOpenId };
    this.log.error({ ...base, route, shortId, err, ms: Date.now() - started }, 'event failed');
    await this.opts.lark
      .reply(message.messageId, { kind: 'text', text: errorMessage(shortId) }, { uuid: sendUuid(`${message.messageId}:error`) })
      .catch((e: unknown) => this.log.error({ eventId: message.eventId, err: e }, 'could not report the failure to the user'));
  }

  /**
   * Answers a card click within the budget: resolves with the handler's toast/card as soon
   * as it finishes, or with what it has when the budget runs out; the handler goes on.
   */
  async handleCardClick(click: CardClick): Promise<CardResponse> {
    const started = Date.now();
    const base = { eventId: click.eventId, kind: 'card', action: click.action, operator: click.operatorOpenId };
    // the budget counts from the callback's arrival: a slow database while claiming the
    // click or looking up the operator must not push the answer past Feishu's 3 s
    let answered = false;
    let ctx: ActionContext | null = null;
    let acknowledge!: (response: CardResponse) => void;
    const acked = new Promise<CardResponse>((resolve) => (acknowledge = resolve));
    const work = this.track(
      (async (): Promise<CardResponse | null> => {
        if (!(await this.opts.ledger.claim(click.eventId, 'card'))) {
          this.log.info({ ...base, outcome: 'duplicate' }, 'event');
          return {};
        }
        const actor = await this.resolveActor(click.operatorOpenId);
        const found = this.router.matchAction(click.action, actor);
        if (!found) {
          this.log.warn({ ...base, outcome: 'unknown action' }, 'event');
          return { toast: { type: 'info', content: STALE_CARD } };
        }
        if (!found.allowed) {
          this.log.warn({ ...base, outcome: 'not allowed' }, 'event');
          return { toast: { type: 'error', content: NOT_ALLOWED } };
        }
        const here = new ActionContext({ lark: this.opts.lark, log: this.log, actor, eventId: click.eventId }, click);
        ctx = here;
        // the callback was already answered while we were getting here: updates become patches
        if (answered) here.seal();
        else here.onAck = acknowledge;
        try {
          await found.route.handler(here);
          this.log.info({ ...base, route: found.route.feature, outcome: 'handled', late: here.isAnswered, ms: Date.now() - started }, 'event');
        } catch (err) {
          const shortId = shortIdOf(click.eventId);
          this.log.error({ ...base, route: found.route.feature, shortId, err }, 'event failed');
          if (!here.isAnswered) here.toast('error', errorMessage(shortId));
          else await here.reply(errorMessage(shortId)).catch((e: unknown) => this.log.error({ eventId: click.eventId, err: e }, 'could not report the failure'));
        }
        return null;
      })(),
    );
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'budget'>((resolve) => {
      timer = setTimeout(() => resolve('budget'), this.opts.cardBudgetMs ?? CARD_BUDGET_MS);
    });
    const first = await Promise.race([work, budget, acked]);
    clearTimeout(timer);
    answered = true;
    if (first !== 'budget' && first !== null) return first;
    const current = ctx as ActionContext | null;
    if (current) return current.seal();
    this.log.warn({ ...base, outcome: 'slow', ms: Date.now() - started }, 'card callback answered before the click was even claimed');
    return { toast: { type: 'info', content: STILL_WORKING } };
  }
}

