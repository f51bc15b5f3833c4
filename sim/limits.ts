// Feishu's documented rate limits, as the stand-in enforces them when `enforce` is on:
// - every API: 50/s and 1000/min per app → HTTP 429, code 99991400, x-ogw-ratelimit-reset
//   (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control);
// - send and reply: 5/s to one user or one group, shared by the group's bots → HTTP 400, code 230020
//   (https://open.feishu.cn/document/server-docs/im-v1/message/create, …/message/reply);
// - patch: 5/s per message → HTTP 400, code 230020
//   (https://open.feishu.cn/document/server-docs/im-v1/message-card/patch).
//
// Sliding windows, as the bot's limiter (bot/lark/rate-limiter.ts) keeps them: a call counts
// for one window from the moment it is accepted, and the reset header says how long until the
// oldest counted call leaves the full window, i.e. until a retry fits.

export const RATE_LIMIT_CODE = 99991400;
/** the demo may run for days: only the latest accepted calls are kept for tests */
const MAX_ACCEPTED_KEPT = 100_000;
/** per-chat and per-message windows kept before idle ones are swept (the demo meets new chats for days) */
const SWEEP_ABOVE_KEYS = 1024;
export const FREQUENCY_LIMIT_CODE = 230020;

export interface SimRateLimits {
  perSecond?: number;
  perMinute?: number;
  /** send/reply per chat (a user's p2p chat or a group) */
  perChatPerSecond?: number;
  /** patch per message */
  perMessagePerSecond?: number;
  /** > 1 shortens every window by that factor (tests, benches); the reset header is then in the client's scaled seconds */
  timeScale?: number;
}

class Window {
  stamps: number[] = [];
  constructor(
    readonly size: number,
    readonly ms: number,
  ) {}
  /** real ms until there is room, 0 when there is room now */
  check(now: number): number {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.ms) this.stamps.shift();
    return this.stamps.length < this.size ? 0 : this.stamps[0]! + this.ms - now;
  }
}

/**
 * The x-ogw-ratelimit-reset value for a wait of `realMs` on the stand-in's clock, in the
 * client's seconds. Feishu sends whole seconds, and so does the stand-in at time scale 1. On a
 * shortened scale the client's clock runs `timeScale` times faster, so the wait is scaled up to
 * its seconds and sent with fractions (to the millisecond); rounding up to a whole second there
 * would make a retry wait up to `timeScale` seconds of the client's time too long.
 */
export function resetHeaderValue(realMs: number, timeScale: number): string {
  if (timeScale === 1) return String(Math.max(1, Math.ceil(realMs / 1000)));
  return String(Math.max(0.001, Math.ceil(realMs * timeScale) / 1000));
}

export interface LimitAnswer {
  status: number;
  code: number;
  msg: string;
  headers: Record<string, string>;
}

export class SimLimits {
  enforce = false;
  /** answers refused with 429 / 99991400 (the app's budget) */
  rateLimited = 0;
  /** answers refused with 400 / 230020 (one chat's or one message's 5/s) */
  frequencyLimited = 0;
  /** when each accepted call counted against the app's budget, for tests that assert the windows held */
  readonly accepted: number[] = [];
  private readonly appSecond: Window;
  private readonly appMinute: Window;
  private readonly perKey = new Map<string, Window>();
  private readonly secondMs: number;
  private readonly timeScale: number;
  private readonly perChat: number;
  private readonly perMessage: number;

  constructor(limits: SimRateLimits = {}) {
    const scale = limits.timeScale ?? 1;
    if (!(scale > 0)) throw new Error(`sim: timeScale must be positive, got ${scale}`);
    this.timeScale = scale;
    this.secondMs = 1000 / scale;
    this.appSecond = new Window(limits.perSecond ?? 50, this.secondMs);
    this.appMinute = new Window(limits.perMinute ?? 1000, 60_000 / scale);
    this.perChat = limits.perChatPerSecond ?? 5;
    this.perMessage = limits.perMessagePerSecond ?? 5;
  }

  private keyed(key: string, size: number, now: number): Window {
    let w = this.perKey.get(key);
    if (!w) {
      if (this.perKey.size >= SWEEP_ABOVE_KEYS) this.sweep(now);
      this.perKey.set(key, (w = new Window(size, this.secondMs)));
    }
    return w;
  }

  /** Forgets the windows with no call inside them: they would answer "room now" anyway. */
  private sweep(now: number): void {
    for (const [key, w] of this.perKey) if (w.check(now) === 0 && w.stamps.length === 0) this.perKey.delete(key);
  }

  /** how many per-chat and per-message windows are held (tests: the map does not grow without end) */
  get windowsHeld(): number {
    return this.perKey.size;
  }

  /**
   * null when the call fits (and it is counted); else Feishu's answer. `scope` is the chat a
   * send or reply goes to, or the message a patch updates; null for calls with only the app's budget.
   */
  check(scope: { chat: string } | { message: string } | null): LimitAnswer | null {
    if (!this.enforce) return null;
    const now = Date.now();
    const target = scope ? ('chat' in scope ? this.keyed(`chat:${scope.chat}`, this.perChat, now) : this.keyed(`message:${scope.message}`, this.perMessage, now)) : null;
    let app: { limit: number; waitMs: number } | null = null;
    for (const w of [this.appSecond, this.appMinute]) {
      const waitMs = w.check(now);
      if (waitMs > 0 && (!app || waitMs > app.waitMs)) app = { limit: w.size, waitMs };
    }
    if (app) {
      this.rateLimited++;
      return {
        status: 429,
        code: RATE_LIMIT_CODE,
        msg: 'request trigger frequency limit',
        headers: { 'x-ogw-ratelimit-limit': String(app.limit), 'x-ogw-ratelimit-reset': resetHeaderValue(app.waitMs, this.timeScale) },
      };
    }
    if (target && target.check(now) > 0) {
      this.frequencyLimited++;
      return { status: 400, code: FREQUENCY_LIMIT_CODE, msg: 'This operation triggers the frequency limit.', headers: {} };
    }
    for (const w of [this.appSecond, this.appMinute, ...(target ? [target] : [])]) w.stamps.push(now);
    this.accepted.push(now);
    if (this.accepted.length > MAX_ACCEPTED_KEPT) this.accepted.splice(0, this.accepted.length - MAX_ACCEPTED_KEPT);
    return null;
  }
}
