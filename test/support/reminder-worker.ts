import pino from 'pino';
import { createInterface } from 'node:readline';
import { systemClock } from '../../bot/clock';
import { startJobRunner } from '../../bot/jobs/runner';
import { REMINDER_JOBS } from '../../bot/jobs/reminders.job';
import { createLarkApi } from '../../bot/lark/lark-api';
import { RateLimiter } from '../../bot/lark/rate-limiter';
import { openStore } from '../../db/store';

// A reminder sender in a process of its own, for the crash and two-instance tests
// (test/e2e/reminders-crash.test.ts): the job runner, a store on DB_URL and the real Lark SDK
// against the sim at SIM_URL. It says "ready" once connected, starts leasing on a "go" line
// from stdin (so two workers can start together), and stops cleanly on SIGTERM. The tests
// end it with SIGKILL when they want a crash.
//
//   DB_URL=… SIM_URL=… OWNER=a LEASE_MS=2000 node --import tsx test/support/reminder-worker.ts

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`reminder-worker: ${name} is not set`);
  return v;
};

const log = pino({ level: process.env.WORKER_LOG_LEVEL ?? 'silent' }, pino.destination(2));
const store = await openStore(env('DB_URL'));
const lark = createLarkApi({
  appId: 'cli_test',
  appSecret: 'secret',
  domain: env('SIM_URL'),
  logger: log,
  // the sim enforces no limits in these tests; the client limiter is raised to match
  limiter: new RateLimiter({ perSecond: 100_000, perMinute: 1_000_000, perTargetPerSecond: 5 }),
});

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => lines.once('line', () => resolve()));

const runner = startJobRunner(
  { store, lark, clock: systemClock, log },
  { owner: env('OWNER'), pollMs: 5, batch: Number(process.env.BATCH ?? 50), leaseMs: Number(process.env.LEASE_MS ?? 60_000), handlers: new Map(Object.entries(REMINDER_JOBS)) },
);
process.stdout.write('running\n');

process.once('SIGTERM', () => {
  void (async () => {
    await runner.stop();
    await store.close();
    lines.close();
    process.exit(0);
  })();
});
