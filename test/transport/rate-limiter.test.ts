import { describe, expect, it } from 'vitest';
import { LarkApiError, RateLimiter, withRateLimitRetry, type Clock } from '../../bot/lark/rate-limiter';

function fakeClock(): Clock & { slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
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
