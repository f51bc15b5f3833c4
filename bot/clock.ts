import type { IsoDate } from '../domain/model';
import { beijingDate } from '../domain/time';

// The one place that reads the time, and the one Clock. Domain code gets `today`/`now`
// passed in; tests pass a fixed or steppable clock, on which `sleep` moves time instead of
// waiting.

export interface Clock {
  now(): Date;
  /** the calendar date in Beijing (domain/time.ts) */
  today(): IsoDate;
  /** waits `ms` of this clock's time */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => beijingDate(new Date()),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock for tests: starts at `start` and moves only when told (or slept on). */
export function manualClock(start: Date | string): Clock & { set(t: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    today: () => beijingDate(new Date(t)),
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
    set: (v) => {
      t = new Date(v).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
