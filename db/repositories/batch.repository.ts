import { In, type FindManyOptions } from 'typeorm';
import type { FrozenBatch } from '../../domain/batch-results';
import { BATCH_STATUS_LABEL, LEVEL_LABEL, type Batch, type BatchEvent, type BatchStatus } from '../../domain/model';
import { BatchEntity, BatchEventEntity, BatchResultEntity, type BatchEventRow, type BatchRow } from '../entities';
import { iso, keysOf, num, readEnum, readJson, STRING_LIST, toJson } from '../mapping';
import { isDuplicateKey, type Db } from '../runner';
import { frozenBatchSchema } from './batch-result.schema';
import type { Actor, BatchRepository, NewBatch, SequenceRepository, TransitionResult } from '../ports/batches';

const fromRow = (r: BatchRow): Batch => ({
  id: num(r.id),
  college: r.college,
  schemeCode: r.scheme_code,
  major: r.major,
  occupation: r.occupation,
  level: readEnum('batches.level', r.level, keysOf(LEVEL_LABEL)),
  status: readEnum('batches.status', r.status, keysOf(BATCH_STATUS_LABEL)),
  studentNos: readJson('batches.student_nos', r.student_nos, STRING_LIST, []),
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: num(r.version),
  submissionKey: r.submission_key,
  reviewMessageIds: readJson('batches.review_message_ids', r.review_message_ids, STRING_LIST, []),
});

const eventFromRow = (r: BatchEventRow): BatchEvent => ({
  batchId: num(r.batch_id),
  action: r.action,
  actorOpenId: r.actor_open_id,
  actorName: r.actor_name ?? null,
  reason: r.reason ?? null,
  at: r.at,
});

export function batchRepository(db: Db): BatchRepository {
  const list = (options: FindManyOptions<BatchRow>) =>
    db.run(async (em) => (await em.getRepository(BatchEntity).find(options)).map(fromRow));
  const get = (id: number) =>
    db.run(async (em) => {
      const row = await em.getRepository(BatchEntity).findOneBy({ id });
      return row ? fromRow(row) : undefined;
    });

  return {
    create: (input: NewBatch): Promise<{ batch: Batch; created: boolean }> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(BatchEntity);
        const existing = await repo.findOneBy({ submission_key: input.submissionKey });
        if (existing) return { batch: fromRow(existing), created: false };
        const at = iso(input.now);
        try {
          const result = await repo.insert({
            college: input.college,
            scheme_code: input.schemeCode,
            major: input.major,
            occupation: input.occupation,
            level: input.level,
            status: 'submitted',
            student_nos: toJson(input.studentNos),
            created_by: input.createdBy,
            created_at: at,
            updated_at: at,
            version: 1,
            submission_key: input.submissionKey,
            review_message_ids: toJson([]),
          });
          const id = num(result.identifiers[0]?.id);
          await em.getRepository(BatchEventEntity).insert({
            batch_id: id,
            action: 'submit',
            actor_open_id: input.createdBy,
            actor_name: input.createdByName ?? null,
            reason: null,
            at,
          });
          if (input.results) await em.getRepository(BatchResultEntity).insert({ batch_id: id, data: toJson(input.results), created_at: at });
          return { batch: fromRow(await repo.findOneByOrFail({ id })), created: true };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          // another instance inserted the same submission between our read and insert; a
          // locking read sees its committed row, which our transaction's snapshot would not
          const row = await repo
            .createQueryBuilder('b')
            .where('b.submission_key = :key', { key: input.submissionKey })
            .setLock('pessimistic_write')
            .getOneOrFail();
          return { batch: fromRow(row), created: false };
        }
      }),
    get,
    /** The results the batch was submitted with; undefined for a batch from before results were kept. */
    results: (id: number): Promise<FrozenBatch | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(BatchResultEntity).findOneBy({ batch_id: id });
        return row ? readJson('batch_results.data', row.data, frozenBatchSchema) : undefined;
      }),
    /** Freezes the results again (a returned batch resubmitted unchanged takes what it is resubmitted with). */
    saveResults: (id: number, results: FrozenBatch, now?: Date): Promise<void> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(BatchResultEntity);
        const row = { batch_id: id, data: toJson(results), created_at: iso(now) };
        if (await repo.findOneBy({ batch_id: id })) await repo.update({ batch_id: id }, row);
        else await repo.insert(row);
      }),
    listByStatus: (status: BatchStatus | BatchStatus[]): Promise<Batch[]> =>
      list({ where: { status: In(Array.isArray(status) ? status : [status]) }, order: { id: 'ASC' } }),
    listByCollege: (college: string): Promise<Batch[]> => list({ where: { college }, order: { id: 'ASC' } }),
    /**
     * Compare-and-set on status: the UPDATE only matches while the batch is still in
     * one of `from` (and at `version`, when given), so of two reviewers clicking at
     * once exactly one decision is recorded; the other gets the batch as it now is.
     */
    transition: (
      id: number,
      change: { from: BatchStatus[]; to: BatchStatus; actor: Actor; reason?: string | null; action?: string; version?: number; now?: Date },
    ): Promise<TransitionResult> =>
      db.atomic(async (em) => {
        const at = iso(change.now);
        const qb = em
          .getRepository(BatchEntity)
          .createQueryBuilder()
          .update()
          .set({ status: change.to, updated_at: at, version: () => 'version + 1' })
          .where('id = :id', { id })
          .andWhere('status IN (:...from)', { from: change.from });
        if (change.version !== undefined) qb.andWhere('version = :version', { version: change.version });
        const result = await qb.execute();
        const row = await em.getRepository(BatchEntity).findOneBy({ id });
        if (!row) throw new Error(`batch ${id} does not exist`);
        if ((result.affected ?? 0) === 0) return { ok: false, current: fromRow(row) };
        await em.getRepository(BatchEventEntity).insert({
          batch_id: id,
          action: change.action ?? change.to,
          actor_open_id: change.actor.openId,
          actor_name: change.actor.name,
          reason: change.reason ?? null,
          at,
        });
        return { ok: true, batch: fromRow(row) };
      }),
    /** Remembers the review cards sent for a batch so they can be updated later. */
    addReviewMessageId: (id: number, messageId: string): Promise<void> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(BatchEntity);
        const row = await repo.findOneByOrFail({ id });
        const ids = readJson('batches.review_message_ids', row.review_message_ids, STRING_LIST, []);
        if (!ids.includes(messageId)) await repo.update({ id }, { review_message_ids: toJson([...ids, messageId]) });
      }),
    log: (id: number): Promise<BatchEvent[]> =>
      db.run(async (em) => (await em.getRepository(BatchEventEntity).find({ where: { batch_id: id }, order: { id: 'ASC' } })).map(eventFromRow)),
  };
}

/** Named counters (certificate serials …), each value handed out once across processes. */
export function sequenceRepository(db: Db): SequenceRepository {
  return {
    next: (name: string): Promise<number> =>
      db.atomic(async (em) => {
        if (db.dialect === 'sqlite') {
          const rows = (await em.query(
            'INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
            [name],
          )) as Array<{ value: unknown }>;
          return num(rows[0]!.value);
        }
        // LAST_INSERT_ID(expr) remembers the value per connection, so the SELECT reads
        // our own increment even while other connections bump the same row
        const bump = () => em.query('UPDATE sequences SET value = LAST_INSERT_ID(value + 1) WHERE name = ?', [name]) as Promise<{ affectedRows: number }>;
        if ((await bump()).affectedRows === 0) {
          try {
            await em.query('INSERT INTO sequences (name, value) VALUES (?, 1)', [name]);
            return 1;
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
            await bump();
          }
        }
        const [row] = (await em.query('SELECT LAST_INSERT_ID() AS value')) as Array<{ value: unknown }>;
        return num(row!.value);
      }),
    /** The last value handed out (0 when none yet). */
    peek: (name: string): Promise<number> =>
      db.run(async (em) => {
        const [row] = (await em.query('SELECT value FROM sequences WHERE name = ?', [name])) as Array<{ value: unknown }>;
        return row ? num(row.value) : 0;
      }),
  };
}
