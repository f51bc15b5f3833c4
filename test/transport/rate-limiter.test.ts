import { describe, expect, it } from 'vitest';
import { manualClock, type Clock } from '../../bot/clock';
import { FEISHU_LIMITS, LarkApiError, RateLimiter, withRateLimitRetry } from '../../bot/lark/rate-limiter';

/** a manual clock that records every sleep (in ms) */
function fakeClock(): Clock & { slept: number[] } {
  const clock = manualClock(new Date(1_000_000));
  const slept: number[] = [];
  return {
    ...clock,
    slept,
    sleep: async (ms) => {
      slept.push(ms);
      await clock.sleep(ms);
    },
  };
}

const limited = (reset: string) => Object.assign(new Error('429'), { response: { status: 429, headers: { 'x-ogw-ratelimit-reset': reset }, data: { code: 99991400 } } });

describe('the rate limiter', () => {
  it.each([
    ['5 per second to one chat', { perSecond: 50, perMinute: 1000, perTargetPerSecond: 5 }, 6, 'oc_1'],
    ['50 per second per app', { perSecond: 50, perMinute: 1000, perTargetPerSecond: 5 }, 51, undefined],
    ['1000 per minute per app', { perSecond: 5000, perMinute: 1000, perTargetPerSecond: 5000 }, 1001, undefined],
  ])('makes the call past %s wait', async (_t, limits, calls, target) => {
    const clock = fakeClock();
    const limiter = new RateLimiter(limits, clock);
    for (let i = 0; i < calls - 1; i++) await limiter.acquire(target);
    expect(clock.slept).toEqual([]);
    await limiter.acquire(target);
    expect(clock.slept.length).toBeGreaterThan(0);
  });

  it('retries a rate-limited call after the reset header and returns its result', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await withRateLimitRetry(
      async () => {
        calls++;
        if (calls === 1) throw limited('2');
        return 'ok';
      },
      { payloadId: 'p', clock },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(2);
    expect(clock.slept[0]).toBeGreaterThanOrEqual(2000);
  });

  it('gives up after bounded retries and surfaces the failure', async () => {
    const clock = fakeClock();
    await expect(withRateLimitRetry(() => Promise.reject(limited('1')), { payloadId: 'msg-7', clock, maxRetries: 2 })).rejects.toThrow(LarkApiError);
  });

  it('does not retry other failures', async () => {
    let calls = 0;
    await expect(
      withRateLimitRetry(
        () => {
          calls++;
          return Promise.reject(Object.assign(new Error('bad'), { response: { status: 400, data: { code: 230001 } } }));
        },
        { payloadId: 'p', clock: fakeClock() },
      ),
    ).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });
});

/** the most stamps in any sliding window of `ms`, counted as Feishu and the sim do: (t - ms, t] */
function busiest(stamps: number[], ms: number): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let most = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[lo]! <= sorted[hi]! - ms) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

describe('the rate limiter paces to the per-minute limit', () => {
  it('sends 50 a second until 1000 are out, then the 1001st exactly a minute after the first', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(FEISHU_LIMITS, clock);
    const start = clock.now().getTime();
    const at: number[] = [];
    for (let i = 0; i < 2500; i++) {
      await limiter.acquire();
      at.push(clock.now().getTime() - start);
    }
    expect(at[999]).toBe(19_000);
    expect(at[1000]).toBe(60_000);
    // the allowed rate is reached: the third thousand starts two minutes in, not later
    expect(at[2000]).toBe(120_000);
    expect(busiest(at, 60_000)).toBe(1000);
    expect(busiest(at, 1000)).toBe(50);
  });

  it.each([
    ['1000 per minute', 60_000, 1000],
    ['50 per second', 1000, 50],
    ['5 per second to one chat', 1000, 5],
  ])('keeps a server that counts a call anywhere between dispatch and answer within %s', async (_t, windowMs, limit) => {
    const clock = fakeClock();
    const limiter = new RateLimiter(FEISHU_LIMITS, clock);
    const seen: number[] = [];
    for (let i = 0; i < 2200; i++) {
      // uneven latencies, so an answer can come back long after a later call's would
      const before = (i * 37) % 90;
      const after = (i * 53) % 70;
      await limiter.schedule('oc_one', async () => {
        await clock.sleep(before);
        seen.push(clock.now().getTime());
        await clock.sleep(after);
      });
    }
    expect(busiest(seen, windowMs)).toBeLessThanOrEqual(limit);
  });

  it('holds a slot while its call is in flight and counts it from the answer', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 50, perMinute: 1000, perTargetPerSecond: 1 }, clock);
    let answer!: () => void;
    const first = limiter.schedule('oc_1', () => new Promise<void>((r) => (answer = r)));
    let secondAt: number | null = null;
    const second = limiter.schedule('oc_1', async () => {
      secondAt = clock.now().getTime();
    });
    await new Promise((r) => setImmediate(r));
    expect(secondAt).toBeNull();
    await clock.sleep(300);
    const answeredAt = clock.now().getTime();
    answer();
    await Promise.all([first, second]);
    expect(secondAt).toBe(answeredAt + 1000);
  });
});

describe('the rate limiter honours resets', () => {
  it.each([
    ['a fractional reset (the sim on a shortened time scale)', '0.25', 250],
    ['a whole-second reset (Feishu)', '2', 2000],
  ])('waits out %s before retrying, to the millisecond and not rounded up to a second', async (_t, header, resetMs) => {
    const clock = fakeClock();
    let calls = 0;
    await withRateLimitRetry(
      async () => {
        if (++calls === 1) throw limited(header);
        return 'ok';
      },
      { payloadId: 'p', clock },
    );
    expect(clock.slept[0]).toBeGreaterThanOrEqual(resetMs);
    expect(clock.slept[0]).toBeLessThan(resetMs + 200);
  });

  it('holds every call back until a 429\'s reset, and the refused call does not use up the window', async () => {
    const clock = fakeClock();
    // two a minute: were the refused call counted, the third would wait a minute
    const limiter = new RateLimiter({ perSecond: 50, perMinute: 2, perTargetPerSecond: 5 }, clock);
    await limiter.schedule(undefined, async () => 'ok');
    await expect(limiter.schedule(undefined, () => Promise.reject(limited('0.4')))).rejects.toThrow('429');
    const refusedAt = clock.now().getTime();
    await limiter.schedule('oc_other', async () => 'ok');
    expect(clock.now().getTime() - refusedAt).toBe(400);
  });
});
