import { expect, it } from 'vitest';
import { FREQUENCY_LIMIT_CODE, SimLimits } from '../../../sim/limits';

// The demo's stand-in runs for days and meets new chats all the time: idle per-chat windows
// are forgotten, busy ones are kept, so the 5/s rule still holds where it matters.

const roomy = { perSecond: 1e9, perMinute: 1e9 };

it('forgets the per-chat windows that have gone idle, so thousands of chats do not pile up', async () => {
  const limits = new SimLimits({ ...roomy, timeScale: 1000 }); // a "second" is 1 ms
  limits.enforce = true;
  for (let i = 0; i < 5000; i++) {
    expect(limits.check({ chat: `oc_${i}` })).toBeNull();
    if (i % 500 === 499) await new Promise((r) => setTimeout(r, 5));
  }
  expect(limits.windowsHeld).toBeLessThan(1600);
});

it('keeps a busy chat\'s window through a sweep: its sixth send within the second is still refused', () => {
  const limits = new SimLimits(roomy);
  limits.enforce = true;
  for (let i = 0; i < 5; i++) expect(limits.check({ chat: 'oc_hot' })).toBeNull();
  for (let i = 0; i < 3000; i++) limits.check({ message: `om_${i}` });
  expect(limits.check({ chat: 'oc_hot' })?.code).toBe(FREQUENCY_LIMIT_CODE);
});
