import { resolve } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import type { Dialect } from '../ormconfig';

// How a repository reaches the database. Repositories never start transactions
// themselves: they ask for `run` (plain work) or `atomic` (work that must be all or
// nothing). At the top level `atomic` opens a transaction; inside Store.transaction
// both just use the transaction's EntityManager, so the caller's transaction covers it.

export interface Db {
  readonly dialect: Dialect;
  run<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
  atomic<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
}

/** Serialises async work: SQLite in TypeORM is one connection shared by every caller. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  lock<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

// better-sqlite3 is synchronous: a second connection in the same process waiting on
// the file lock blocks the event loop, so the holder can never commit. Stores opened
// on the same file in one process therefore share one mutex; other processes are
// handled by SQLite's own locking and busy timeout.
const sqliteLocks = new Map<string, Mutex>();

const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

function driverCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isDuplicateKey(error: unknown): boolean {
  const code = driverCode(error);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function topLevelDb(dataSource: DataSource, dialect: Dialect): Db & { transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> } {
  if (dialect === 'sqlite') {
    const database = String(dataSource.options.database);
    const file = database === ':memory:' ? undefined : resolve(database);
    const mutex = (file && sqliteLocks.get(file)) || new Mutex();
    if (file) sqliteLocks.set(file, mutex);
    const transaction = <T>(fn: (em: EntityManager) => Promise<T>) => mutex.lock(() => sqliteImmediate(dataSource, fn));
    return {
      dialect,
      // one shared connection: while a transaction is open, any other statement would
      // silently join it (and roll back with it), so everything waits its turn
      run: (fn) => mutex.lock(() => fn(dataSource.manager)),
      atomic: transaction,
      transaction,
    };
  }
  const transaction = async <T>(fn: (em: EntityManager) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await dataSource.transaction(fn);
      } catch (error) {
        // InnoDB picks a deadlock victim and expects the client to retry it
        if (attempt < 8 && MYSQL_RETRYABLE.has(driverCode(error) ?? '')) {
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
          continue;
        }
        throw error;
      }
    }
  };
  return { dialect, run: (fn) => fn(dataSource.manager), atomic: transaction, transaction };
}

export function boundDb(em: EntityManager, dialect: Dialect): Db {
  return { dialect, run: (fn) => fn(em), atomic: (fn) => fn(em) };
}

/**
 * BEGIN IMMEDIATE takes the write lock up front, so a second process waits (busy
 * timeout) instead of failing later when a read transaction tries to upgrade.
 * TypeORM only issues a deferred BEGIN, so the runner's flags are set by hand.
 */
async function sqliteImmediate<T>(dataSource: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const flags = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  await runner.query('BEGIN IMMEDIATE');
  flags.isTransactionActive = true;
  flags.transactionDepth = 1;
  try {
    const result = await fn(runner.manager);
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK');
    throw error;
  } finally {
    flags.isTransactionActive = false;
    flags.transactionDepth = 0;
  }
}

/**
 * Group commit: writes queued while one batch is being committed go together in the next
 * transaction, so a burst costs one commit (one fsync on SQLite, which blocks the event
 * loop) instead of one each. Each write keeps its own result or error: an op that throws
 * fails alone (a duplicate key only undoes its own statement, on SQLite and InnoDB alike)
 * unless the whole transaction fails, which fails the batch.
 */
export function groupCommit(db: Db): <T>(op: (em: EntityManager) => Promise<T>) => Promise<T> {
  type Entry = { op: (em: EntityManager) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  let queue: Entry[] = [];
  let flushing = false;
  const flush = async (): Promise<void> => {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const outcomes = await db.atomic(async (em) => {
          const out: Array<{ ok: unknown } | { err: unknown }> = [];
          for (const entry of batch) {
            try {
              out.push({ ok: await entry.op(em) });
            } catch (err) {
              // a failed transaction (deadlock, lost connection) fails the batch: retried whole
              if (!isDuplicateKey(err)) throw err;
              out.push({ err });
            }
          }
          return out;
        });
        outcomes.forEach((o, i) => ('err' in o ? batch[i]!.reject(o.err) : batch[i]!.resolve(o.ok)));
      } catch (err) {
        for (const entry of batch) entry.reject(err);
      }
    }
    flushing = false;
  };
  return <T>(op: (em: EntityManager) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      if (!flushing) setImmediate(() => void (flushing || flush()));
    });
}
