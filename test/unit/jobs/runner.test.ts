import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { manualClock, systemClock } from '../../../bot/clock';
import { z } from 'zod';
import { defineJob, drain, FAILURE_REPORT_KIND, MalformedPayloadError, scheduleJob, sendFailureReport, startJobRunner, type JobHandler, type ParsedJob } from '../../../bot/jobs/runner';
import { sendUuid } from '../../../bot/jobs/send-uuid';
import type { Store } from '../../../db/store';
import { memoryStore } from '../../support/memory-store';
import { recordingLark } from '../../support/recording-lark';

const log = pino({ level: 'silent' });

type Work = (job: ParsedJob<Record<string, unknown>>) => Promise<void>;
/** A handler for tests that care about running, not about the payload: it takes any object. */
const anyJob = (work: Work): JobHandler => defineJob(z.record(z.string(), z.unknown()), work);

describe('job runner', () => {
  async function setup(handlers: Record<string, JobHandler>, opts: { maxAttempts?: number } = {}) {
    const store: Store = memoryStore();
    const clock = manualClock('2024-06-01T00:00:00Z');
    const lark = recordingLark();
    const map = new Map(Object.entries(handlers));
    map.set(FAILURE_REPORT_KIND, sendFailureReport);
    const runner = startJobRunner({ store, lark, clock, log }, { owner: 'test-1', pollMs: 0, batch: 10, leaseMs: 60_000, maxAttempts: opts.maxAttempts ?? 3, backoffMs: () => 60_000, handlers: map });
    return { store, clock, lark, runner };
  }

  it('runs a job once it is due, and only then, and marks it done', async () => {
    const ran: string[] = [];
    const { store, clock, runner } = await setup({ ping: anyJob(async (job) => void ran.push(job.key)) });
    try {
      await store.jobs.schedule({ key: 'a', kind: 'ping', runAt: '2024-06-01T01:00:00.000Z' }, clock.now());
      expect(await drain(runner)).toBe(0);
      clock.advance(3_600_000);
      expect(await drain(runner)).toBe(1);
      expect(await drain(runner)).toBe(0);
      expect(ran).toEqual(['a']);
      expect((await store.jobs.get('a'))?.status).toBe('done');
    } finally {
      await runner.stop();
      await store.close();
    }
  });

  it('retries a failing job after the backoff and completes it when it succeeds', async () => {
    let calls = 0;
    const { store, clock, runner } = await setup({
      flaky: anyJob(async () => {
        calls++;
        if (calls === 1) throw new Error('temporary');
      }),
    });
    try {
      await store.jobs.schedule({ key: 'f', kind: 'flaky', runAt: clock.now() }, clock.now());
      await drain(runner);
      const waiting = await store.jobs.get('f');
      expect(waiting).toMatchObject({ status: 'pending', lastError: 'temporary', attempts: 1 });
      expect(await drain(runner)).toBe(0);
      clock.advance(60_000);
      await drain(runner);
      expect(calls).toBe(2);
      expect((await store.jobs.get('f'))?.status).toBe('done');
    } finally {
      await runner.stop();
      await store.close();
    }
  });

  it('marks a job failed after the last attempt and reports it to the center staff', async () => {
    const { store, clock, lark, runner } = await setup({ broken: anyJob(async () => Promise.reject(new Error('用户不存在'))) }, { maxAttempts: 2 });
    try {
      await store.roles.upsertMany([
        { openId: 'ou_center_1', name: '中心甲', role: 'center', college: null },
        { openId: 'ou_center_2', name: '中心乙', role: 'center', college: null },
        { openId: 'ou_college', name: '学院', role: 'college', college: '信息工程学院' },
      ]);
      await store.jobs.schedule({ key: 'exam:1:v1:exam.notice:ou_x', kind: 'broken', runAt: clock.now() }, clock.now());
      await drain(runner);
      clock.advance(60_000);
      await drain(runner);
      expect((await store.jobs.get('exam:1:v1:exam.notice:ou_x'))).toMatchObject({ status: 'failed', attempts: 2, lastError: '用户不存在' });
      expect(lark.sent.map((s) => s.to).sort()).toEqual(['ou_center_1', 'ou_center_2']);
      const text = (lark.sent[0]!.content as { text: string }).text;
      expect(text).toContain('exam:1:v1:exam.notice:ou_x');
      expect(text).toContain('用户不存在');
      expect(text).toContain('已尝试2次');
      // each report's uuid comes from the report job's key and the recipient: a re-run sends the same ones
      const report = (await store.jobs.get('report:exam:1:v1:exam.notice:ou_x'))!;
      const uuids = ['ou_center_1', 'ou_center_2'].map((openId) => sendUuid(`report:exam:1:v1:exam.notice:ou_x:${openId}`));
      expect(lark.sent.map((s) => s.uuid).sort()).toEqual([...uuids].sort());
      await sendFailureReport(report, { store, lark, clock, log });
      expect(lark.sent.slice(2).map((s) => s.uuid).sort()).toEqual([...uuids].sort());
      clock.advance(3_600_000);
      expect(await drain(runner)).toBe(0);
    } finally {
      await runner.stop();
      await store.close();
    }
  });

  it('fails a job of an unknown kind for good instead of retrying it forever', async () => {
    const { store, clock, runner } = await setup({});
    try {
      await store.jobs.schedule({ key: 'u', kind: 'nobody', runAt: clock.now() }, clock.now());
      await drain(runner);
      expect(await store.jobs.get('u')).toMatchObject({ status: 'failed' });
    } finally {
      await runner.stop();
      await store.close();
    }
  });

  it('fails a job whose payload its kind refuses at once, without retrying, and reports it naming the job and the field', async () => {
    const exported: number[] = [];
    const exportJob = defineJob(z.object({ batchId: z.number().int() }), async (job) => void exported.push(job.payload.batchId));
    const { store, clock, lark, runner } = await setup({ 'batch.export': exportJob }, { maxAttempts: 5 });
    try {
      await store.roles.upsertMany([{ openId: 'ou_center', name: '中心', role: 'center', college: null }]);
      await store.jobs.schedule({ key: 'batch.export:ev_1', kind: 'batch.export', runAt: clock.now(), payload: { batchId: '3' } }, clock.now());
      await drain(runner);
      expect(exported).toEqual([]);
      const job = await store.jobs.get('batch.export:ev_1');
      expect(job).toMatchObject({ status: 'failed', attempts: 1 });
      expect(job?.lastError).toMatch(/^job batch\.export:ev_1 \(batch\.export\): malformed payload: .*batchId/s);
      expect(lark.sent.map((s) => s.to)).toEqual(['ou_center']);
      expect((lark.sent[0]!.content as { text: string }).text).toMatch(/batch\.export，batch\.export:ev_1.*batchId/s);
      clock.advance(3_600_000);
      expect(await drain(runner)).toBe(0);
    } finally {
      await runner.stop();
      await store.close();
    }
  });

  it('refuses to store a payload its kind would refuse, naming the kind, and stores nothing', async () => {
    const { store, clock, runner } = await setup({});
    try {
      const schema = z.object({ batchId: z.number().int() });
      const scheduling = scheduleJob(store.jobs, schema, { key: 'batch.export:ev_2', kind: 'batch.export', runAt: clock.now(), payload: JSON.parse('{"batchId":"3"}') as { batchId: number } }, clock.now());
      await expect(scheduling).rejects.toThrow(MalformedPayloadError);
      await expect(scheduling).rejects.toThrow(/\(batch\.export\): malformed payload: .*batchId/s);
      expect(await store.jobs.get('batch.export:ev_2')).toBeUndefined();
    } finally {
      await runner.stop();
      await store.close();
    }
  });

  it('never gives the same job to two runners leasing at once', async () => {
    const { store, clock, runner } = await setup({});
    const ran: string[] = [];
    const handlers = new Map<string, JobHandler>([['ping', anyJob(async (job) => void ran.push(job.key))]]);
    const a = startJobRunner({ store, lark: recordingLark(), clock, log }, { owner: 'a', pollMs: 0, batch: 7, handlers });
    const b = startJobRunner({ store, lark: recordingLark(), clock, log }, { owner: 'b', pollMs: 0, batch: 7, handlers });
    try {
      for (let i = 0; i < 50; i++) await store.jobs.schedule({ key: `k${i}`, kind: 'ping', runAt: clock.now() }, clock.now());
      await Promise.all([drain(a), drain(b)]);
      expect(ran).toHaveLength(50);
      expect(new Set(ran).size).toBe(50);
    } finally {
      await Promise.all([a.stop(), b.stop(), runner.stop()]);
      await store.close();
    }
  });

  it('keeps the leases of jobs still waiting their turn, so another instance does not run them again', async () => {
    const store: Store = memoryStore();
    const ran: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // as a batch waiting for the send budget: each job holds its slot until the gate opens
    const handlers = new Map<string, JobHandler>([
      ['wait', anyJob(async (job) => {
        ran.push(job.key);
        await gate;
      })],
    ]);
    const leaseMs = 150;
    const a = startJobRunner({ store, lark: recordingLark(), clock: systemClock, log }, { owner: 'a', pollMs: 5, batch: 4, leaseMs, handlers });
    let b: ReturnType<typeof startJobRunner> | undefined;
    try {
      for (let i = 0; i < 4; i++) await store.jobs.schedule({ key: `w${i}`, kind: 'wait', runAt: systemClock.now() }, systemClock.now());
      for (let i = 0; i < 400 && ran.length < 4; i++) await new Promise((r) => setTimeout(r, 5));
      b = startJobRunner({ store, lark: recordingLark(), clock: systemClock, log }, { owner: 'b', pollMs: 5, batch: 4, leaseMs, handlers });
      // four leases' worth of waiting: without renewal b would take all four and run them again
      await new Promise((r) => setTimeout(r, 4 * leaseMs));
      release();
      await a.stop();
      expect(ran.sort()).toEqual(['w0', 'w1', 'w2', 'w3']);
      expect((await store.jobs.list({ status: 'done' })).map((j) => [j.key, j.leaseOwner, j.attempts])).toEqual([0, 1, 2, 3].map((i) => [`w${i}`, 'a', 1]));
    } finally {
      release();
      await Promise.all([a.stop(), b?.stop()]);
      await store.close();
    }
  });

  it('stop() waits for the jobs in flight', async () => {
    let release: () => void = () => undefined;
    const started: string[] = [];
    const { store, clock } = await setup({});
    const handlers = new Map<string, JobHandler>([
      ['slow', anyJob(async (job) => {
        started.push(job.key);
        await new Promise<void>((r) => (release = r));
      })],
    ]);
    const runner = startJobRunner({ store, lark: recordingLark(), clock, log }, { owner: 'poller', pollMs: 5, batch: 2, handlers });
    try {
      await store.jobs.schedule({ key: 's', kind: 'slow', runAt: clock.now() }, clock.now());
      for (let i = 0; i < 400 && started.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(started).toEqual(['s']);
      let stopped = false;
      const stopping = runner.stop().then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 20));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect((await store.jobs.get('s'))?.status).toBe('done');
    } finally {
      await store.close();
    }
  });
});
