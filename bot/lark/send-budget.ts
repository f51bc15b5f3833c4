import type { Store } from '../../db/store';
import type { Limits, LimiterClock, SharedBudget, SlotLease } from './rate-limiter';

// The app's 50/s and 1000/min are the app's, not each instance's: instances sharing a
// database take one slot of each window from send_slots before a call. A slot is held while
// its call is in flight and counts from the call's answer (as the limiter's own windows do,
// see rate-limiter.ts); a call Feishu refused with 429 never counted, so its slots are free at
// once. A slot held by an instance that died is free again HOLD_MS after it was taken.
//
// Instances compare their clocks through free_at: hosts sharing a database keep NTP time.

const HOLD_MS = 60_000;
/** free slots read at a time, of which a caller takes one at random */
const CANDIDATES = 32;

export function dbSendBudget(store: Pick<Store, 'sendSlots'>, limits: Pick<Limits, 'perSecond' | 'perMinute'>, clock: LimiterClock, windowScale = 1): SharedBudget {
  const windows = [
    { kind: 'minute', count: limits.perMinute, ms: 60_000 / windowScale },
    { kind: 'second', count: limits.perSecond, ms: 1000 / windowScale },
  ];
  let ready: Promise<void> | null = null;
  const ensure = () => (ready ??= Promise.all(windows.map((w) => store.sendSlots.ensure(w.kind, w.count))).then(() => undefined));

  async function takeOne(w: (typeof windows)[number]): Promise<number> {
    for (;;) {
      const now = clock.now().getTime();
      const found = await store.sendSlots.candidates(w.kind, w.count, now, CANDIDATES);
      const free = found.filter((c) => c.freeAt <= now);
      if (free.length === 0) {
        await clock.sleep(Math.min(found[0]!.freeAt - now, w.ms));
        continue;
      }
      // instances racing for slots pick different ones, so a compare-and-set rarely loses
      const pick = free[Math.floor(Math.random() * free.length)]!;
      if (await store.sendSlots.take(w.kind, pick.slot, pick.freeAt, now + HOLD_MS)) return pick.slot;
    }
  }

  return {
    async take(): Promise<SlotLease> {
      await ensure();
      const taken: Array<{ kind: string; slot: number; ms: number }> = [];
      for (const w of windows) taken.push({ kind: w.kind, slot: await takeOne(w), ms: w.ms });
      return {
        async settle(countedAt: number | null): Promise<void> {
          for (const t of taken) await store.sendSlots.release(t.kind, t.slot, countedAt === null ? 0 : countedAt + t.ms);
        },
      };
    },
  };
}
