import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { JobEntity, type JobRow } from '../entities';
import { iso, JSON_OBJECT, num, readEnum, readJson, toJson } from '../mapping';
import { JOB_STATUSES, type Job, type JobStatus } from '../records';
import { isDuplicateKey, type Db } from '../runner';
import type { JobRepository, NewJob } from '../ports/operations';

// Scheduled work (exam reminders, bulk sends) shared by every running instance.
// A job is claimed by a lease: whoever's UPDATE flips it to `leased` owns it until
// lease_until; a crashed owner's lease simply expires and the job is claimed again.

const fromRow = (r: JobRow): Job => ({
  id: num(r.id),
  key: r.job_key,
  kind: r.kind,
  runAt: r.run_at,
  payload: readJson('jobs.payload', r.payload, JSON_OBJECT, {}),
  status: readEnum('jobs.status', r.status, JOB_STATUSES),
  leaseOwner: r.lease_owner ?? null,
  leaseUntil: r.lease_until ?? null,
  attempts: num(r.attempts),
  lastError: r.last_error ?? null,
  updatedAt: r.updated_at,
});

// '!' rather than backslash: a backslash is itself an escape inside MySQL string literals
const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

export function jobRepository(db: Db): JobRepository {
  return {
    /**
     * Idempotent on key. A pending (or cancelled/failed) job with that key is
     * rescheduled with the new time and payload; a job that is running or done is
     * left alone, so a reminder is never sent twice.
     */
    schedule: (job: NewJob, now?: Date): Promise<Job> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(JobEntity);
        const runAt = iso(job.runAt);
        const payload = toJson(job.payload ?? {});
        const existing = await repo.findOneBy({ job_key: job.key });
        if (!existing) {
          try {
            await repo.insert({
              job_key: job.key,
              kind: job.kind,
              run_at: runAt,
              payload,
              status: 'pending',
              lease_owner: null,
              lease_token: null,
              lease_until: null,
              attempts: 0,
              last_error: null,
              updated_at: iso(now),
            });
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
          }
        } else if (['pending', 'cancelled', 'failed'].includes(existing.status)) {
          const same = existing.status === 'pending' && existing.run_at === runAt && existing.payload === payload && existing.kind === job.kind;
          if (!same) {
            await repo.update(
              { id: existing.id },
              { kind: job.kind, run_at: runAt, payload, status: 'pending', attempts: existing.status === 'pending' ? existing.attempts : 0, last_error: null, updated_at: iso(now) },
            );
          }
        }
        // another instance may have inserted it meanwhile (instances starting together): on
        // InnoDB only a locking read sees a row committed after this transaction's snapshot
        const locking = db.dialect === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
        return fromRow(await repo.findOneOrFail({ where: { job_key: job.key }, ...locking }));
      }),
    /**
     * Claims up to `limit` due jobs for `owner`. The claim is a single UPDATE, so two
     * processes leasing at once get disjoint sets; the rows are read back by the
     * token of this very claim. It runs as a transaction because InnoDB may pick two
     * concurrent claims as deadlock victims, and a transaction is retried.
     */
    lease: (owner: string, now: Date, limit: number, leaseMs: number): Promise<Job[]> =>
      db.atomic(async (em) => {
        const token = randomUUID();
        const at = iso(now);
        const set = `status = 'leased', lease_owner = ?, lease_token = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?`;
        const due = `(status = 'pending' AND run_at <= ?) OR (status = 'leased' AND lease_until <= ?)`;
        const params = [owner, token, iso(new Date(now.getTime() + leaseMs)), at, at, at, limit];
        if (db.dialect === 'mysql') {
          await em.query(`UPDATE jobs SET ${set} WHERE ${due} ORDER BY run_at, id LIMIT ?`, params);
        } else {
          await em.query(`UPDATE jobs SET ${set} WHERE id IN (SELECT id FROM jobs WHERE ${due} ORDER BY run_at, id LIMIT ?)`, params);
        }
        const rows = await em.getRepository(JobEntity).find({ where: { lease_token: token }, order: { run_at: 'ASC', id: 'ASC' } });
        return rows.map(fromRow);
      }),
    renew: async (ids: number[], owner: string, now: Date, leaseMs: number): Promise<number> => {
      if (ids.length === 0) return 0;
      const result = await db.run((em) =>
        em.getRepository(JobEntity).update({ id: In(ids), lease_owner: owner, status: 'leased' }, { lease_until: iso(new Date(now.getTime() + leaseMs)), updated_at: iso(now) }),
      );
      return result.affected ?? 0;
    },
    /** false when the lease was lost (expired and claimed by someone else, or cancelled) */
    complete: (id: number, owner: string, now?: Date): Promise<boolean> =>
      db.atomic(async (em) => {
        const result = await em
          .getRepository(JobEntity)
          .update({ id, lease_owner: owner, status: 'leased' }, { status: 'done', lease_until: null, updated_at: iso(now) });
        return (result.affected ?? 0) > 0;
      }),
    /** With retryAt the job goes back to pending for then; with null it stays failed. */
    fail: (id: number, owner: string, error: string, retryAt: Date | null, now?: Date): Promise<boolean> =>
      db.atomic(async (em) => {
        const change: Partial<JobRow> = retryAt
          ? { status: 'pending', run_at: iso(retryAt), lease_until: null, last_error: error, updated_at: iso(now) }
          : { status: 'failed', lease_until: null, last_error: error, updated_at: iso(now) };
        const result = await em.getRepository(JobEntity).update({ id, lease_owner: owner, status: 'leased' }, change);
        return (result.affected ?? 0) > 0;
      }),
    /** Cancels every pending or running job whose key starts with the prefix; returns how many. */
    cancel: (keyPrefix: string, now?: Date): Promise<number> =>
      db.atomic(async (em) => {
        const result = await em
          .getRepository(JobEntity)
          .createQueryBuilder()
          .update()
          .set({ status: 'cancelled', updated_at: iso(now) })
          .where("job_key LIKE :prefix ESCAPE '!'", { prefix: `${escapeLike(keyPrefix)}%` })
          .andWhere('status IN (:...statuses)', { statuses: ['pending', 'leased'] })
          .execute();
        return result.affected ?? 0;
      }),
    get: (key: string): Promise<Job | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(JobEntity).findOneBy({ job_key: key });
        return row ? fromRow(row) : undefined;
      }),
    list: (filter: { status?: JobStatus | JobStatus[]; kind?: string; keyPrefix?: string; limit?: number } = {}): Promise<Job[]> =>
      db.run(async (em) => {
        const qb = em.getRepository(JobEntity).createQueryBuilder('j');
        if (filter.status) qb.andWhere('j.status IN (:...statuses)', { statuses: Array.isArray(filter.status) ? filter.status : [filter.status] });
        if (filter.kind) qb.andWhere('j.kind = :kind', { kind: filter.kind });
        if (filter.keyPrefix) qb.andWhere("j.job_key LIKE :prefix ESCAPE '!'", { prefix: `${escapeLike(filter.keyPrefix)}%` });
        const rows = await qb.orderBy('j.run_at', 'ASC').addOrderBy('j.id', 'ASC').take(filter.limit ?? 500).getMany();
        return rows.map(fromRow);
      }),
  };
}
