import type { Logger } from 'pino';

// Feishu: about 50 messages/s and 1000/min per app, 5/s per user or group. We stay under
// them client-side, and still retry a 429 / 99991400 after its reset header.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Limits {
  perSecond: number;
  perMinute: number;
  perTargetPerSecond: number;
}

export const FEISHU_LIMITS: Limits = { perSecond: 50, perMinute: 1000, perTargetPerSecond: 5 };

class Window {
  private readonly stamps: number[] = [];
  constructor(
    readonly size: number,
    readonly ms: number,
  ) {}

  /** ms to wait before one more call fits */
  waitFor(now: number): number {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.ms) this.stamps.shift();
    return this.stamps.length < this.size ? 0 : this.stamps[0]! + this.ms - now;
  }

  record(now: number): void {
    this.stamps.push(now);
  }

  get empty(): boolean {
    return this.stamps.length === 0;
  }
}

export class RateLimiter {
  private readonly second: Window;
  private readonly minute: Window;
  private readonly perTarget = new Map<string, Window>();

  constructor(
    private readonly limits: Limits = FEISHU_LIMITS,
    private readonly clock: Clock = systemClock,
  ) {
    this.second = new Window(limits.perSecond, 1000);
    this.minute = new Window(limits.perMinute, 60_000);
  }

  /** Waits until one more call for `target` (a chat or user id) fits every window, then books it. */
  async acquire(target?: string): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const windows = [this.second, this.minute];
      if (target) {
        let w = this.perTarget.get(target);
        if (!w) {
          w = new Window(this.limits.perTargetPerSecond, 1000);
          this.perTarget.set(target, w);
        }
        windows.push(w);
      }
      const wait = Math.max(...windows.map((w) => w.waitFor(now)));
      if (wait <= 0) {
        for (const w of windows) w.record(now);
        if (this.perTarget.size > 10_000) this.prune(now);
        return;
      }
      await this.clock.sleep(wait);
    }
  }

  private prune(now: number): void {
    for (const [k, w] of this.perTarget) {
      w.waitFor(now);
      if (w.empty) this.perTarget.delete(k);
    }
  }
}

export const RATE_LIMIT_CODE = 99991400;
export const RESET_HEADER = 'x-ogw-ratelimit-reset';

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

/** seconds to wait when the call was rate limited, null when it was not */
export function rateLimitReset(err: unknown): number | null {
  const e = err as ErrorShape;
  const status = e?.response?.status;
  const code = e?.response?.data?.code ?? (typeof e?.code === 'number' ? e.code : undefined);
  if (status !== 429 && code !== RATE_LIMIT_CODE) return null;
  const raw = e.response?.headers?.[RESET_HEADER];
  const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : 1;
}

export interface RetryOptions {
  clock?: Clock;
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
      const waitMs = Math.min(reset * 1000 + 50 + Math.floor(Math.random() * 100), opts.maxWaitMs ?? 60_000);
      opts.log?.warn({ payloadId: opts.payloadId, attempt: attempt + 1, waitMs }, 'rate limited; retrying after reset');
      await clock.sleep(waitMs);
    }
  }
}
