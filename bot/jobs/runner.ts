import type { Logger } from 'pino';
import { z } from 'zod';
import type { Job, JobRepository, NewJob, RoleRepository } from '../../db/store';
import type { Clock } from '../clock';
import type { LarkApi } from '../ports';
import { sendUuid } from './send-uuid';

// The leased job runner. Jobs live in the database (store.jobs), so a restarted instance
// resumes where the last one stopped, and the lease (one UPDATE per claim) keeps two
// instances from ever running the same job at once. Sending goes through services.lark,
// whose limiter paces to Feishu's limits and retries 429s after the reset header.

/** The part of store.jobs the runner uses (tests may pass the repository alone). */
export type JobQueue = Pick<JobRepository, 'schedule' | 'lease' | 'renew' | 'complete' | 'fail'>;

/** What the runner itself uses: leasing, and telling the center staff about a job that failed for good. */
export interface RunnerServices {
  store: { jobs: JobQueue; roles: Pick<RoleRepository, 'listByRole'> };
  lark: Pick<LarkApi, 'send'>;
  clock: Clock;
  log: Logger;
}

/** A job whose payload has been parsed with its kind's schema. */
export type ParsedJob<P> = Omit<Job, 'payload'> & { payload: P };

/**
 * A job kind's work, made by defineJob. It is called with the services the runner was started
 * with (in the bot, the whole Services); S names the part it uses, so it needs no cast and a
 * test passes only that. `payload` is the schema the stored payload is parsed with first.
 */
export type JobHandler<S = RunnerServices> = ((job: Job, services: S) => Promise<void>) & { readonly payload: z.ZodType };

/**
 * A stored payload its kind's schema refuses. It will not heal by waiting, so the runner fails
 * the job at once, without retries, and reports it like any job that failed for good.
 */
export class MalformedPayloadError extends Error {
  override name = 'MalformedPayloadError';
}

function parsePayload<P>(job: Pick<Job, 'key' | 'kind'>, schema: z.ZodType<P>, payload: unknown): P {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new MalformedPayloadError(`job ${job.key} (${job.kind}): malformed payload: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The only way to make a JobHandler: `work` sees the payload parsed with `payload`, typed. */
export function defineJob<P, S = RunnerServices>(payload: z.ZodType<P>, work: (job: ParsedJob<P>, services: S) => Promise<void>): JobHandler<S> {
  const handler = async (job: Job, services: S) => work({ ...job, payload: parsePayload(job, payload, job.payload) }, services);
  return Object.assign(handler, { payload });
}

/** A schema of job payloads: they are JSON objects. */
export type PayloadSchema = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

/**
 * Stores a job (idempotent on key, as JobQueue.schedule) whose payload is of the type its
 * handler parses with `payload`: the compiler checks the producer, and so does this, at once,
 * so a producer's mistake fails where it was made instead of when the job runs.
 */
export async function scheduleJob<T extends PayloadSchema>(
  jobs: Pick<JobQueue, 'schedule'>,
  payload: T,
  job: Omit<NewJob, 'payload'> & { payload: z.input<T> },
  now: Date,
): Promise<Job> {
  parsePayload(job, payload, job.payload);
  return jobs.schedule(job, now);
}

export const FAILURE_REPORT_KIND = 'jobs.failureReport';

export interface JobRunnerOptions<S = RunnerServices> {
  /** names this instance in leases, e.g. host:pid */
  owner: string;
  /** how often to look for due jobs when idle */
  pollMs?: number;
  /** jobs in flight at most; also the most one lease claims */
  batch?: number;
  /** a crashed owner's jobs are claimed again after this */
  leaseMs?: number;
  /** attempts before a job is marked failed and reported */
  maxAttempts?: number;
  /** delay before retry number `attempt + 1` */
  backoffMs?: (attempt: number) => number;
  /** the kinds this runner runs (the features declare them; the composition root collects them) */
  handlers: ReadonlyMap<string, JobHandler<S>>;
}

export interface JobRunner {
  /** one lease round: claims due jobs and runs them to the end; resolves with how many ran */
  tick(): Promise<number>;
  /** stops leasing and waits for the jobs in flight */
  stop(): Promise<void>;
  readonly running: boolean;
}

export function defaultBackoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000);
}

function describeError(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown };
  const text = typeof e?.message === 'string' ? e.message : String(err);
  return text.slice(0, 1000);
}

/**
 * Leases due jobs and dispatches them by kind. Success completes a job; a failure is retried
 * with backoff until `maxAttempts` leases, then the job is marked failed and the center staff
 * are told by a message (itself a job, so the report is retried too). Nothing is dropped.
 * With pollMs 0 nothing runs by itself: call tick() (tests with a manual clock).
 */
export function startJobRunner<S extends RunnerServices>(services: S, options: JobRunnerOptions<NoInfer<S>>): JobRunner {
  const pollMs = options.pollMs ?? 1000;
  const batch = Math.max(1, options.batch ?? 20);
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const backoff = options.backoffMs ?? defaultBackoffMs;
  // failure reports are the runner's own kind
  const handlers = new Map<string, JobHandler<S>>([[FAILURE_REPORT_KIND, sendFailureReport], ...options.handlers]);
  const { store, clock, log } = services;
  const owner = options.owner;

  const inFlight = new Set<Promise<void>>();
  /** the ids of the jobs in inFlight, whose leases the heartbeat extends */
  const held = new Set<number>();
  let stopped = false;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;

  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  async function report(job: Job, error: string): Promise<void> {
    if (job.kind === FAILURE_REPORT_KIND) {
      log.error({ job: job.key, error }, 'failure report could not be delivered');
      return;
    }
    await scheduleJob(store.jobs, failureReportPayload, { key: `report:${job.key}`, kind: FAILURE_REPORT_KIND, runAt: clock.now(), payload: { key: job.key, kind: job.kind, attempts: job.attempts, error } }, clock.now());
  }

  async function run(job: Job): Promise<void> {
    const handler = handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job, services);
    } catch (err) {
      const error = describeError(err);
      const last = job.attempts >= maxAttempts || !handler || err instanceof MalformedPayloadError;
      const retryAt = last ? null : new Date(clock.now().getTime() + backoff(job.attempts));
      log.warn({ job: job.key, attempts: job.attempts, error, retryAt }, last ? 'job failed for good' : 'job failed; will retry');
      const still = await store.jobs.fail(job.id, owner, error, retryAt, clock.now());
      if (last && still) await report(job, error);
      return;
    }
    const ok = await store.jobs.complete(job.id, owner, clock.now());
    // a lost lease means the job ran past leaseMs or was cancelled meanwhile
    if (!ok) log.warn({ job: job.key }, 'job finished after its lease was lost');
  }

  function launch(job: Job): Promise<void> {
    held.add(job.id);
    const p = run(job)
      .catch((err: unknown) => log.error({ err, job: job.key }, 'job bookkeeping failed'))
      .finally(() => {
        held.delete(job.id);
        inFlight.delete(p);
        // refill in halves, so a steady stream of sends costs one lease query per half batch
        if (inFlight.size <= Math.floor(batch / 2)) poke();
      });
    inFlight.add(p);
    return p;
  }

  async function claim(limit: number): Promise<Job[]> {
    if (limit <= 0) return [];
    return store.jobs.lease(owner, clock.now(), limit, leaseMs);
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      let claimed: Job[] = [];
      try {
        claimed = await claim(batch - inFlight.size);
      } catch (err) {
        log.error({ err }, 'leasing jobs failed');
      }
      if (stopped) {
        // leased but not started: the lease expires and another instance takes them
        break;
      }
      // launch() catches and logs its own failures
      for (const job of claimed) void launch(job);
      // refill as soon as a slot frees up; wait for the poll interval when nothing was due
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (claimed.length === 0 || inFlight.size === 0) timer = setTimeout(resolve, pollMs);
      });
      if (timer) clearTimeout(timer);
      timer = null;
      wake = null;
    }
  }

  // A claimed batch waits its turn for the send budget in this process; while it waits, its
  // leases are extended every third of a lease, so only a dead instance's jobs fall due again.
  async function heartbeat(): Promise<void> {
    if (held.size === 0) return;
    try {
      await store.jobs.renew([...held], owner, clock.now(), leaseMs);
    } catch (err) {
      log.warn({ err }, 'extending job leases failed');
    }
  }
  const beat = pollMs > 0 ? setInterval(() => void heartbeat(), Math.max(10, Math.floor(leaseMs / 3))) : null;
  beat?.unref();

  const loopDone = pollMs > 0 ? loop() : Promise.resolve();

  return {
    async tick() {
      const jobs = await claim(batch);
      await Promise.all(jobs.map(launch));
      return jobs.length;
    },
    async stop() {
      stopped = true;
      poke();
      await loopDone;
      await Promise.all([...inFlight]);
      if (beat) clearInterval(beat);
    },
    get running() {
      return !stopped;
    },
  };
}

/** Runs tick() until nothing is due (tests with a manual clock). */
export async function drain(runner: JobRunner, maxRounds = 1000): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxRounds; i++) {
    const n = await runner.tick();
    if (n === 0) return total;
    total += n;
  }
  throw new Error(`jobs still due after ${maxRounds} rounds`);
}

const failureReportPayload = z.object({ key: z.string(), kind: z.string(), attempts: z.number().int(), error: z.string() });

/** The report to center staff when a job failed for good. */
export const sendFailureReport = defineJob(failureReportPayload, async ({ key, payload: p }, services: RunnerServices) => {
  const center = new Set((await services.store.roles.listByRole('center')).map((r) => r.openId));
  const text = `【任务失败】定时任务（${p.kind}，${p.key}）已尝试${p.attempts}次仍未成功，不再重试。错误：${p.error}。请检查收件人是否已与机器人建立会话，必要时另行通知。`;
  // a report re-run after a crash does not reach anyone twice
  for (const openId of center) await services.lark.send('open_id', openId, { kind: 'text', text }, { uuid: sendUuid(`${key}:${openId}`) });
  if (center.size === 0) services.log.error({ job: p.key, error: p.error }, 'job failed and no center staff to report to');
});
