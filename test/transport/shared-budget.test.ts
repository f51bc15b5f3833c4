import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createLarkApi } from '../../bot/lark/lark-api';
import { FEISHU_LIMITS, RateLimiter } from '../../bot/lark/rate-limiter';
import { dbSendBudget } from '../../bot/lark/send-budget';
import { createSim } from '../../sim/sim';
import { busiestWindow, scaledClock } from '../support/rate-windows';
import { cleanupDatabases, testDatabases, withTwoStores } from '../support/databases';

// Two instances of the bot on one database share the app's Feishu budget (50/s, 1000/min)
// through send_slots, and Feishu's 5/s per chat answers (230020, HTTP 400) are retried.
// Not a timed test: the counts are what the stand-in saw.
//
// Every window is shortened TIME_SCALE times on all sides alike, as the reminders bench does:
// the stand-in's windows (rateLimits.timeScale), the limiters' clock and the retry waits (one
// scaled clock shared by both instances, as hosts sharing a database share NTP time).

const TIME_SCALE = 10;
const SENDS = 2000;
const INJECTED_230020 = 40;
const log = pino({ level: 'silent' });

afterAll(cleanupDatabases);

describe.each(testDatabases())('two instances sharing the app\'s budget on $name', (db) => {
  it(`send ${SENDS} messages together within 50/s and 1000/min at the stand-in, none lost or doubled, 230020s retried`, { timeout: 120_000 }, async () => {
    const sim = createSim({ appId: 'cli_budget', appSecret: 'secret', botWebhookBase: '', rateLimits: { timeScale: TIME_SCALE } });
    sim.enforceRateLimits = true;
    const url = await sim.listen();
    // Feishu's 5/s per chat, spent by another bot in the group: the first sends to one chat are refused
    sim.failNext({ match: /^POST \/open-apis\/im\/v1\/messages$/, status: 400, code: 230020, msg: 'This operation triggers the frequency limit.', times: INJECTED_230020 });
    try {
      await withTwoStores(await db.url(), async (a, b) => {
        const clock = scaledClock(TIME_SCALE);
        const instance = (store: typeof a) =>
          createLarkApi({
            appId: 'cli_budget',
            appSecret: 'secret',
            domain: url,
            logger: log,
            clock,
            maxRetries: 50,
            limiter: new RateLimiter(FEISHU_LIMITS, clock, dbSendBudget(store, FEISHU_LIMITS, clock)),
          });
        const apis = [instance(a), instance(b)];
        // 400 students, five messages each, half through each instance
        const sends = Array.from({ length: SENDS }, (_, i) => ({ api: apis[i % 2]!, to: `ou_student_${i % 400}`, text: `通知 ${i}`, uuid: `budget-${i}` }));
        await Promise.all(sends.map((s) => s.api.send('open_id', s.to, { kind: 'text', text: s.text }, { uuid: s.uuid })));
      });

      const texts = sim.state.messages.map((m) => (m.content as { text: string }).text);
      expect(texts).toHaveLength(SENDS);
      expect(new Set(texts).size).toBe(SENDS);
      expect(sim.uuidReplays).toBe(0);
      // the injected refusals were answered and retried
      expect(sim.calls.filter((c) => c === 'POST /open-apis/im/v1/messages').length).toBeGreaterThanOrEqual(SENDS + INJECTED_230020);
      // what the stand-in accepted never exceeded the app's windows …
      const accepted = sim.limits.accepted;
      expect(accepted).toHaveLength(SENDS);
      expect(busiestWindow(accepted, 1000 / TIME_SCALE)).toBeLessThanOrEqual(FEISHU_LIMITS.perSecond);
      expect(busiestWindow(accepted, 60_000 / TIME_SCALE)).toBeLessThanOrEqual(FEISHU_LIMITS.perMinute);
      // … and the two instances together never asked for more: no 429 was needed to hold them back
      expect(sim.rateLimitedCount).toBe(0);
    } finally {
      await sim.close();
    }
  });
});
