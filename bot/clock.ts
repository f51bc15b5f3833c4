import type { IsoDate } from '../domain/model';

// The one place that reads the time. Domain code gets `today`/`now` passed in; tests
// pass a fixed or steppable clock.

export interface Clock {
  now(): Date;
  /** the calendar date in Beijing (Asia/Shanghai, UTC+8, no DST) */
  today(): IsoDate;
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export function beijingDateOf(instant: Date): IsoDate {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => beijingDateOf(new Date()),
};

/** A clock for tests: starts at `start` and moves only when told. */
export function manualClock(start: Date | string): Clock & { set(t: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    today: () => beijingDateOf(new Date(t)),
    set: (v) => {
      t = new Date(v).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
