import type { Logger } from 'pino';
import { systemClock, type Clock } from '../clock';

// Feishu: 50 calls/s and 1000/min per app and API (HTTP 429, code 99991400, x-ogw-ratelimit-reset:
// https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control); 5 messages/s to one
// user or group, shared by the group's bots, and 5 patches/s per message (HTTP 400, code 230020:
// https://open.feishu.cn/document/server-docs/im-v1/message/create, …/message-card/patch). We stay
// under them client-side, and still retry either refusal after its documented wait.

/** what the limiter needs of the clock */
export type LimiterClock = Pick<Clock, 'now' | 'sleep'>;

export interface Limits {
  perSecond: number;
  perMinute: number;
  perTargetPerSecond: number;
}

export const FEISHU_LIMITS: Limits = { perSecond: 50, perMinute: 1000, perTargetPerSecond: 5 };

/** One slot of each of the app's windows, held by a call in flight (bot/lark/send-budget.ts). */
export interface SlotLease {
  /** `countedAt` null: Feishu refused the call (429), so it never counted and the slots are free now */
  settle(countedAt: number | null): Promise<void>;
}

/** The app's 50/s and 1000/min shared by every instance of the bot (one database, several processes). */
export interface SharedBudget {
  take(): Promise<SlotLease>;
}

// Both sides use sliding windows: a call counts against every window for `ms` from the moment
// it was counted. The stand-in (sim/limits.ts) counts the same way, with the same limits, so what
// the limiter lets through the stand-in accepts. Feishu's gateway counts a call somewhere
// between our dispatch and its answer, so a call scheduled here holds its slot while in flight
// and then counts from the moment its answer came back: the next call in that slot can then
// never reach Feishu less than a window after the one it replaces, whatever the latency.

class Window {
  /** when each counted call started counting, ascending */
  private readonly stamps: number[] = [];
  private inFlight = 0;
  constructor(
    readonly size: number,
    readonly ms: number,
  ) {}

  /** ms to wait before one more call fits; Infinity while every slot is held by a call in flight */
  waitFor(now: number): number {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.ms) this.stamps.shift();
    const over = this.inFlight + this.stamps.length - this.size;
    if (over < 0) return 0;
    return over < this.stamps.length ? this.stamps[over]! + this.ms - now : Infinity;
  }

  record(at: number): void {
    // answers come back nearly in order, so the insertion point is found from the end
    let i = this.stamps.length;
    while (i > 0 && this.stamps[i - 1]! > at) i--;
    this.stamps.splice(i, 0, at);
  }

  begin(): void {
    this.inFlight++;
  }

  /** `at` null: the call was refused, so it never counted */
  end(at: number | null): void {
    this.inFlight--;
    if (at !== null) this.record(at);
  }

  get empty(): boolean {
    return this.stamps.length === 0 && this.inFlight === 0;
  }
}

export class RateLimiter {
  private readonly second: Window;
  private readonly minute: Window;
  private readonly perTarget = new Map<string, Window>();
  /** a 429's reset: nothing goes out before this */
  private pausedUntil = -Infinity;
  /** a 230020's wait, per target: nothing goes to that chat or message before this */
  private readonly targetPausedUntil = new Map<string, number>();
  private released: { promise: Promise<void>; resolve: () => void } | null = null;
  /** per-target windows kept before idle ones are dropped; doubles while they are all busy, so pruning stays rare */
  private pruneAt = 10_000;

  constructor(
    private readonly limits: Limits = FEISHU_LIMITS,
    private readonly clock: LimiterClock = systemClock,
    /** the app's budget shared with other instances; without it this instance assumes it is alone */
    private readonly shared: SharedBudget | null = null,
  ) {
    this.second = new Window(limits.perSecond, 1000);
    this.minute = new Window(limits.perMinute, 60_000);
  }

  private windowsFor(target: string | undefined): Window[] {
    const windows = [this.second, this.minute];
    if (target) {
      let w = this.perTarget.get(target);
      if (!w) {
        w = new Window(this.limits.perTargetPerSecond, 1000);
        this.perTarget.set(target, w);
      }
      windows.push(w);
    }
    return windows;
  }

  /**
   * Waits until one more call for `target` fits the per-second, per-minute and per-target
   * windows, and books it in the same tick it is found to fit, so two callers never take one slot.
   */
  private async room(target: string | undefined, book: (w: Window, now: number) => void): Promise<Window[]> {
    for (;;) {
      const now = this.clock.now().getTime();
      const windows = this.windowsFor(target);
      const targetPause = target ? (this.targetPausedUntil.get(target) ?? -Infinity) : -Infinity;
      const wait = Math.max(this.pausedUntil - now, targetPause - now, ...windows.map((w) => w.waitFor(now)));
      if (wait <= 0) {
        for (const w of windows) book(w, now);
        return windows;
      }
      if (wait === Infinity) await this.nextRelease();
      else await this.clock.sleep(wait);
    }
  }

  private nextRelease(): Promise<void> {
    if (!this.released) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.released = { promise, resolve };
    }
    return this.released.promise;
  }

  private release(now: number): void {
    const r = this.released;
    this.released = null;
    r?.resolve();
    this.maybePrune(now);
  }

  /** Waits until one more call for `target` (a chat or user id) fits every window, then books it from now. */
  async acquire(target?: string): Promise<void> {
    await this.room(target, (w, now) => w.record(now));
    this.maybePrune(this.clock.now().getTime());
  }

  /**
   * Runs `call` once it fits every window. Its slot is held while it is in flight and counts
   * from its answer; a call refused with a 429 does not count, and its reset holds back every
   * call of this limiter until then (the header does not say which limit tripped).
   */
  async schedule<T>(target: string | undefined, call: () => Promise<T>): Promise<T> {
    const windows = await this.room(target, (w) => w.begin());
    let refused = false;
    let lease: SlotLease | null = null;
    try {
      if (this.shared) lease = await this.shared.take();
      return await call();
    } catch (err) {
      const reset = rateLimitReset(err);
      // 230020 is one chat's (or message's) 5/s, spent by us or by other bots in the group: only
      // that target waits, and the call is taken to have counted against the app's budget (safe side)
      if (reset !== null && frequencyLimited(err) && target) this.targetPausedUntil.set(target, this.clock.now().getTime() + reset * 1000);
      else if (reset !== null) {
        refused = true;
        this.pauseFor(reset * 1000);
      }
      throw err;
    } finally {
      const now = this.clock.now().getTime();
      for (const w of windows) w.end(refused ? null : now);
      this.release(now);
      await lease?.settle(refused ? null : now);
    }
  }

  /** Nothing goes out for `ms` (fractions allowed), e.g. after a 429 with its reset. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + ms);
  }

  private maybePrune(now: number): void {
    if (this.perTarget.size <= this.pruneAt) return;
    for (const [k, w] of this.perTarget) {
      w.waitFor(now);
      if (w.empty) this.perTarget.delete(k);
    }
    for (const [k, until] of this.targetPausedUntil) if (until <= now) this.targetPausedUntil.delete(k);
    this.pruneAt = Math.max(10_000, this.perTarget.size * 2);
  }
}

export const RATE_LIMIT_CODE = 99991400;
/** "This operation triggers the frequency limit." — HTTP 400, for one user's, group's or message's 5/s */
export const FREQUENCY_LIMIT_CODE = 230020;
export const RESET_HEADER = 'x-ogw-ratelimit-reset';
/** 230020 carries no reset header: the limit is 5 per second, so a retry fits once that second has passed */
const FREQUENCY_WINDOW_SECONDS = 1;

/** Thrown when the Open Platform refuses a call for good (after retries, or a non-retryable code). */
export class LarkApiError extends Error {
  override name = 'LarkApiError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: number | null,
    readonly payloadId: string,
  ) {
    super(message);
  }
}

interface ErrorShape {
  response?: { status?: number; headers?: Record<string, unknown>; data?: { code?: number; msg?: string } };
  code?: number;
}

function errorCode(err: unknown): number | undefined {
  const e = err as ErrorShape;
  return e?.response?.data?.code ?? (typeof e?.code === 'number' ? e.code : undefined);
}

/** the call hit one chat's, user's or message's 5/s (230020, HTTP 400) */
export function frequencyLimited(err: unknown): boolean {
  return errorCode(err) === FREQUENCY_LIMIT_CODE;
}

/**
 * seconds to wait when the call was rate limited (429 / 99991400, or 230020), null when it was
 * not. Feishu sends whole seconds; fractions (the stand-in on a shortened time scale) are
 * honoured as they are. A 230020 without the header waits out the 5/s window's second.
 */
export function rateLimitReset(err: unknown): number | null {
  const e = err as ErrorShape;
  const status = e?.response?.status;
  const code = errorCode(err);
  if (status !== 429 && code !== RATE_LIMIT_CODE && code !== FREQUENCY_LIMIT_CODE) return null;
  const raw = e.response?.headers?.[RESET_HEADER];
  const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
  if (raw !== undefined && Number.isFinite(seconds) && seconds >= 0) return seconds;
  return code === FREQUENCY_LIMIT_CODE ? FREQUENCY_WINDOW_SECONDS : 1;
}

export interface RetryOptions {
  clock?: LimiterClock;
  log?: Logger;
  /** names the payload in logs and errors (message id, receive id…) */
  payloadId: string;
  maxRetries?: number;
  /** never wait longer than this per retry */
  maxWaitMs?: number;
}

export async function withRateLimitRetry<T>(call: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const maxRetries = opts.maxRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const reset = rateLimitReset(err);
      if (reset === null) throw err;
      if (attempt >= maxRetries) {
        opts.log?.error({ payloadId: opts.payloadId, attempts: attempt + 1 }, 'rate limited; giving up after retries');
        throw new LarkApiError(`rate limited after ${attempt + 1} attempts`, 429, RATE_LIMIT_CODE, opts.payloadId);
      }
      // a small spread so several waiting calls do not all retry in the same millisecond
      const waitMs = Math.min(Math.ceil(reset * 1000) + 50 + Math.floor(Math.random() * 100), opts.maxWaitMs ?? 60_000);
      opts.log?.warn({ payloadId: opts.payloadId, attempt: attempt + 1, waitMs }, 'rate limited; retrying after reset');
      await clock.sleep(waitMs);
    }
  }
}
