import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { manualClock } from '../../bot/clock';
import { storeJobs } from '../../bot/features/exam/exam-schedule.service';
import { startJobRunner } from '../../bot/jobs/runner';
import { REMINDER_JOBS } from '../../bot/jobs/reminders.job';
import { createLarkApi } from '../../bot/lark/lark-api';
import { FEISHU_LIMITS, RateLimiter } from '../../bot/lark/rate-limiter';
import { openStore } from '../../db/store';
import { createSim } from '../../sim/sim';
import { busiestWindow, scaledClock } from '../support/rate-windows';

// 10,000 exam reminders through the stand-in with Feishu's send limits enforced there
// (50/s and 1000/min per app, 5/s per chat). At the real limit that takes 10 minutes, so
// every window is shortened by TIME_SCALE on both sides — the sim's windows and the clock of
// the client's limiter and retries (so a 429's reset, sent in scaled seconds, is waited out in
// the same units) — and the figures are given back in Feishu's own units. The client runs at
// Feishu's limits exactly: no safety margin, the windows agree.

const N = Number(process.env.BENCH_REMINDERS ?? 10_000);
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 10);
const PER_MINUTE = FEISHU_LIMITS.perMinute;

export default async function (): Promise<{ name: string; figures: Record<string, string | number> }> {
  const log = pino({ level: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'bench-reminders-'));
  const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
  const sim = createSim({ appId: 'cli_bench', appSecret: 'secret', botWebhookBase: '', rateLimits: { timeScale: TIME_SCALE } });
  sim.enforceRateLimits = true;
  const url = await sim.listen();
  const limiterClock = scaledClock(TIME_SCALE);
  const limiter = new RateLimiter(FEISHU_LIMITS, limiterClock);
  const lark = createLarkApi({ appId: 'cli_bench', appSecret: 'secret', domain: url, logger: log, limiter, clock: limiterClock, maxRetries: 20 });
  const clock = manualClock('2024-06-10T00:00:00Z');
  try {
    const t0 = Date.now();
    const jobs = Array.from({ length: N }, (_, i) => ({
      key: `exam:bench:v1:exam.notice:ou_b${i}`,
      runAt: clock.now().toISOString(),
      kind: 'exam.notice' as const,
      recipient: `ou_b${i}`,
      payload: { text: `【考试通知】Web前端开发（中级）理论知识考试定于2024年6月15日 09:00举行，请按时参加。`, startsAt: '2024-06-15T01:00:00.000Z' },
    }));
    await storeJobs({ jobs: store.jobs, now: clock.now() }, jobs);
    const scheduledMs = Date.now() - t0;

    const runner = startJobRunner({ store, lark, clock, log }, { owner: 'bench', pollMs: 5, batch: 100, leaseMs: 10 * 60_000, handlers: new Map(Object.entries(REMINDER_JOBS)) });
    const sent = () => sim.state.messages.filter((m) => m.sender.type === 'app');
    while (sent().length < N) await new Promise((r) => setTimeout(r, 50));
    await runner.stop();

    const messages = sent();
    const times = messages.map((m) => m.createTime).sort((a, b) => a - b);
    const first = times[0]!;
    const elapsedMs = times[times.length - 1]! - first;
    const windowMs = 60_000 / TIME_SCALE;
    // in k whole minute-windows the limit allows k × 1000; count what went out in them
    const k = Math.max(1, Math.floor(elapsedMs / windowMs));
    const inWindows = times.filter((t) => t < first + k * windowMs).length;
    const perChat = new Map<string, number>();
    for (const m of messages) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
    const uuids = new Set(messages.map((m) => m.uuid ?? `none:${m.messageId}`));
    const withoutUuid = messages.filter((m) => !m.uuid).length;
    // a second message to one recipient, or two messages under one uuid
    const duplicates = Math.max(messages.length - perChat.size, messages.length - uuids.size);
    const done = (await store.jobs.list({ status: 'done', limit: N + 1 })).length;
    const wallS = (Date.now() - t0) / 1000;

    return {
      name: `reminders: ${N} sends through the sim with Feishu limits enforced`,
      figures: {
        'time scale': `${TIME_SCALE}× (sim windows, client limiter and retry waits shortened alike; 1 Feishu minute = ${windowMs / 1000} s)`,
        'scheduling (ms)': scheduledMs,
        'wall time, scheduling to last send (s)': wallS.toFixed(1),
        'sending, wall clock (s)': (elapsedMs / 1000).toFixed(1),
        'sending, Feishu time (min)': ((elapsedMs * TIME_SCALE) / 60_000).toFixed(2),
        'allowed rate': `${PER_MINUTE}/min per app`,
        'achieved in whole windows': `${inWindows} in ${k} min`,
        'achieved / allowed (goal ≥ 0.9)': (inWindows / (k * PER_MINUTE)).toFixed(3),
        'busiest minute window (limit 1000)': busiestWindow(times, windowMs),
        'busiest second window (limit 50)': busiestWindow(times, windowMs / 60),
        '429s answered by the sim': sim.rateLimitedCount,
        'duplicates by recipient or uuid (goal 0)': duplicates,
        'sends without a uuid': withoutUuid,
        'resends absorbed by uuid': sim.uuidReplays,
        'recipients reached': perChat.size,
        'jobs done': done,
      },
    };
  } finally {
    await sim.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
