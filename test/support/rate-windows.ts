import type { LimiterClock } from '../../bot/lark/rate-limiter';

// Feishu's send windows, shortened for tests and benches that run at its limits
// (test/transport/shared-budget.test.ts, test/bench/reminders.bench.ts).

/** Time as the limiter sees it runs `scale` times faster than the wall clock. */
export function scaledClock(scale: number): LimiterClock {
  const origin = Date.now();
  return {
    now: () => new Date(origin + (Date.now() - origin) * scale),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / scale)),
  };
}

/** the most stamps (ascending) in any window of `ms`, counted as the stand-in counts: (t - ms, t] */
export function busiestWindow(times: number[], ms: number): number {
  let most = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[lo]! <= times[hi]! - ms) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}
