import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { storeJobs } from '../../bot/features/exam/exam-schedule.service';
import { sendUuid } from '../../bot/jobs/send-uuid';
import { openStore, type Store } from '../../db/store';
import { createSim, type Sim } from '../../sim/sim';
import { compiledWorker } from '../support/compiled-workers';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { until } from '../support/e2e';
import { closeOnStop, killOnStop, stopProcesses } from '../support/processes';

// Exactly once across a crash and across two instances, with real processes: each sender is
// a child process (test/support/reminder-worker.ts: job runner + store + the real Lark SDK)
// talking HTTP to the sim served here on loopback. The crash is a SIGKILL at the moment the
// sim has taken the 1,000th message but before the sender hears back, so at least that job is
// sent and still leased; the next sender re-runs it after the lease, and the sim's uuid
// dedupe (Feishu's one message per uuid) is what keeps the person from seeing it twice.

const N = 2000;
const KILL_AT = 1000;
const LEASE_MS = 2000;
const WAIT_MS = 25_000;
const WORKER = fileURLToPath(new URL('../support/reminder-worker.ts', import.meta.url));

afterEach(stopProcesses);
afterAll(async () => {
  await stopProcesses();
  await cleanupDatabases();
});

interface Worker {
  child: ChildProcess;
  /** resolves with the exit code or signal */
  exited: Promise<string>;
  /** starts leasing */
  go(): void;
}

async function startWorker(dbUrl: string, simUrl: string, owner: string): Promise<Worker> {
  const child = spawn(process.execPath, [compiledWorker(WORKER)], {
    env: { ...process.env, DB_URL: dbUrl, SIM_URL: simUrl, OWNER: owner, LEASE_MS: String(LEASE_MS), BATCH: '50' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  killOnStop(child);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => out.includes('ready\n') || child.exitCode !== null, `worker ${owner} ready`, WAIT_MS);
  if (!out.includes('ready\n')) throw new Error(`worker ${owner} exited before it was ready`);
  return { child, exited, go: () => child.stdin!.write('go\n') };
}

/**
 * The sim on its own loopback server, with two seams: how many requests are being handled
 * (so the test knows when a dead sender's last requests are settled), and a hook run just
 * before an answer leaves (where the crash is triggered).
 */
async function serveSim(beforeAnswer: () => void = () => undefined) {
  const sim = createSim({ appId: 'cli_test', appSecret: 'secret', botWebhookBase: '' });
  const handle = sim.koa.callback();
  let handling = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handling++;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      beforeAnswer();
      return end(...args);
    }) as ServerResponse['end'];
    void Promise.resolve(handle(req, res)).finally(() => handling--);
  });
  closeOnStop(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.url = url;
  return { sim, url, handling: () => handling };
}

const botMessages = (sim: Sim) => sim.state.messages.filter((m) => m.sender.type === 'app');

const reminders = (at: string) =>
  Array.from({ length: N }, (_, i) => ({
    key: `exam:bulk:v1:exam.notice:ou_r${i}`,
    runAt: at,
    kind: 'exam.notice' as const,
    recipient: `ou_r${i}`,
    payload: { text: `【考试通知】第${i}号考生，请按时参加。`, startsAt: '2024-06-15T01:00:00.000Z' },
  }));

/** Every recipient saw exactly one message, and the sim holds one message per job uuid. */
function expectEachOnce(sim: Sim) {
  const messages = botMessages(sim);
  const perChat = new Map<string, number>();
  for (const m of messages) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
  const expectedChats = reminders('').map((r) => sim.state.p2pChat(r.recipient).chatId);
  expect([...perChat.keys()].sort()).toEqual(expectedChats.sort());
  expect([...perChat.values()].filter((c) => c !== 1)).toEqual([]);
  expect(messages.map((m) => m.uuid).sort()).toEqual(reminders('').map((r) => sendUuid(r.key)).sort());
}

async function allDone(store: Store): Promise<boolean> {
  return (await store.jobs.list({ status: ['pending', 'leased'], limit: 1 })).length === 0;
}

describe.each(testDatabases())('reminder senders as processes on $name', ({ url }) => {
  it(`a sender killed (SIGKILL) half-way through ${N} reminders and restarted delivers each exactly once`, async () => {
    const dbUrl = await url();
    const store = await openStore(dbUrl);
    try {
      await storeJobs({ jobs: store.jobs, now: new Date() }, reminders(new Date().toISOString()));
      let first: Worker | undefined;
      let killedAt = -1;
      const { sim, url: simUrl, handling } = await serveSim(() => {
        // the answer to the 1,000th message never reaches the sender: it dies first
        if (killedAt < 0 && first && botMessages(sim).length >= KILL_AT) {
          killedAt = botMessages(sim).length;
          first.child.kill('SIGKILL');
        }
      });
      first = await startWorker(dbUrl, simUrl, 'first');
      first.go();
      expect(await first.exited).toBe('SIGKILL');
      // requests the dead sender had already handed over are finished before counting
      await until(() => handling() === 0, 'the dead sender’s last requests', WAIT_MS);
      const sentByFirst = new Set(botMessages(sim).map((m) => m.uuid));
      expect(killedAt).toBeGreaterThanOrEqual(KILL_AT);
      expect(sentByFirst.size).toBeLessThan(N);
      // at least the 1,000th job was sent and is still leased by the dead sender
      const strandedLeases = (await store.jobs.list({ status: 'leased', limit: N })).filter((j) => sentByFirst.has(sendUuid(j.key)));
      expect(strandedLeases.length).toBeGreaterThanOrEqual(1);
      expect(sim.uuidReplays).toBe(0);

      const second = await startWorker(dbUrl, simUrl, 'second');
      second.go();
      await until(() => botMessages(sim).length >= N, `${N} messages in the sim`, WAIT_MS);
      await until(() => allDone(store), 'every job done', WAIT_MS);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe('0');

      expectEachOnce(sim);
      // the second sender re-sent exactly the jobs that were sent but left leased; the sim
      // answered each with the earlier message instead of delivering it again
      const done = await store.jobs.list({ status: 'done', limit: N + 10 });
      const resentBySecond = done.filter((j) => j.leaseOwner === 'second' && sentByFirst.has(sendUuid(j.key)));
      expect(resentBySecond.map((j) => j.key).sort()).toEqual(strandedLeases.map((j) => j.key).sort());
      expect(sim.uuidReplays).toBe(strandedLeases.length);
      expect(done).toHaveLength(N);
      expect(await store.jobs.list({ status: ['failed', 'cancelled'], limit: 5 })).toEqual([]);
    } finally {
      await store.close();
    }
  }, 90_000);

  it(`two senders running at once as two processes on the same database deliver each of ${N} reminders exactly once`, async () => {
    const dbUrl = await url();
    const store = await openStore(dbUrl);
    try {
      await storeJobs({ jobs: store.jobs, now: new Date() }, reminders(new Date().toISOString()));
      const { sim, url: simUrl } = await serveSim();
      const [a, b] = await Promise.all([startWorker(dbUrl, simUrl, 'a'), startWorker(dbUrl, simUrl, 'b')]);
      a.go();
      b.go();
      await until(() => botMessages(sim).length >= N, `${N} messages in the sim`, WAIT_MS);
      await until(() => allDone(store), 'every job done', WAIT_MS);
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      expect(await Promise.all([a.exited, b.exited])).toEqual(['0', '0']);

      expectEachOnce(sim);
      // no job ran twice: leases never overlapped, so the sim never needed its uuid dedupe
      expect(sim.uuidReplays).toBe(0);
      const done = await store.jobs.list({ status: 'done', limit: N + 10 });
      expect(done).toHaveLength(N);
      expect(done.every((j) => j.attempts === 1)).toBe(true);
      // both really worked
      const byOwner = new Map<string, number>();
      for (const j of done) byOwner.set(j.leaseOwner ?? '', (byOwner.get(j.leaseOwner ?? '') ?? 0) + 1);
      expect([...byOwner.keys()].sort()).toEqual(['a', 'b']);
    } finally {
      await store.close();
    }
  }, 90_000);
});
