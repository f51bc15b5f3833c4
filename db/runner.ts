import { resolve } from 'node:path';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Dialect } from '../ormconfig';

// How a repository reaches the database. Repositories never start transactions
// themselves: they ask for `run` (plain work) or `atomic` (work that must be all or
// nothing). At the top level `atomic` opens a transaction; inside Store.transaction
// both just use the transaction's EntityManager, so the caller's transaction covers it.

export interface Db {
  readonly dialect: Dialect;
  run<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
  atomic<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
  /**
   * Work an acknowledgement waits for, as single statements (no transaction of its own), on an
   * EntityManager bound to its query runner (so a write can tell the rows it changed). It
   * never queues behind other work: on SQLite it is next in line for the one connection, on
   * MySQL it has a connection of its own that handlers filling the pool cannot take. On MySQL
   * it runs again on a new connection when the first one was lost (or picked as a deadlock
   * victim), so it must be safe to repeat.
   */
  urgent<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * Serialises async work: SQLite in TypeORM is one connection shared by every caller. Urgent
 * work (what an acknowledgement waits for) goes before everything still waiting.
 */
export class Mutex {
  private held = false;
  private readonly urgent: Array<() => void> = [];
  private readonly waiting: Array<() => void> = [];

  lock<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
    const turn = new Promise<void>((resolve) => (urgent ? this.urgent : this.waiting).push(resolve));
    if (!this.held) this.next();
    return turn.then(fn).finally(() => this.next());
  }

  private next(): void {
    const go = this.urgent.shift() ?? this.waiting.shift();
    this.held = go !== undefined;
    go?.();
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

/** mysql2 marks errors after which the connection is unusable as fatal */
function connectionLost(error: unknown): boolean {
  const e = error as { fatal?: unknown; driverError?: { fatal?: unknown } };
  return (e?.driverError?.fatal ?? e?.fatal) === true;
}

const backOff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));

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
    // the one connection's runner (better-sqlite3 has one), so that a write can tell the rows it changed
    let connection: EntityManager | undefined;
    return {
      dialect,
      // one shared connection: while a transaction is open, any other statement would
      // silently join it (and roll back with it), so everything waits its turn
      run: (fn) => mutex.lock(() => fn(dataSource.manager)),
      urgent: (fn) => mutex.lock(() => fn((connection ??= dataSource.createQueryRunner().manager)), true),
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
          await backOff(attempt);
          continue;
        }
        throw error;
      }
    }
  };
  return { dialect, run: (fn) => fn(dataSource.manager), urgent: ownConnection(dataSource), atomic: transaction, transaction };
}

export function boundDb(em: EntityManager, dialect: Dialect): Db {
  return { dialect, run: (fn) => fn(em), urgent: (fn) => fn(em), atomic: (fn) => fn(em) };
}

/**
 * A pool connection taken once and kept (the pool ends it on close), one statement at a time.
 * A lost one is dropped and the work run again on a fresh one; so is a deadlock victim.
 */
function ownConnection(dataSource: DataSource): Db['urgent'] {
  const turn = new Mutex();
  let runner: QueryRunner | null = null;
  const urgent = true; // all of this connection's work is
  return (fn) =>
    turn.lock(async () => {
      for (let attempt = 1; ; attempt++) {
        runner ??= dataSource.createQueryRunner();
        try {
          return await fn(runner.manager);
        } catch (error) {
          const lost = connectionLost(error);
          if (lost) {
            await runner.release();
            runner = null;
          }
          if (attempt < 4 && (lost || MYSQL_RETRYABLE.has(driverCode(error) ?? ''))) {
            await backOff(attempt);
            continue;
          }
          throw error;
        }
      }
    }, urgent);
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

/** One item's own failure in a batch: the others keep their results. */
export class ItemFailed {
  constructor(readonly error: unknown) {}
}

/**
 * Collects what arrives while one batch is being written and hands it to `write` as the next
 * batch, so a burst costs one write instead of one each. `write` answers item by item (an
 * ItemFailed fails that item alone); when it throws, the whole batch fails. With `gapMs`, a
 * batch starts no sooner than that after the one before: under load, fewer and larger writes.
 */
export function batcher<I, O>(write: (items: I[]) => Promise<Array<O | ItemFailed>>, opts: { gapMs?: number } = {}): (item: I) => Promise<O> {
  type Entry = { item: I; resolve: (v: O) => void; reject: (e: unknown) => void };
  const gapMs = opts.gapMs ?? 0;
  let queue: Entry[] = [];
  let scheduled = false;
  let lastStart = -Infinity;
  const schedule = () => {
    scheduled = true;
    const wait = lastStart + gapMs - performance.now();
    if (wait > 0) setTimeout(() => void flush(), wait);
    else setImmediate(() => void flush());
  };
  const flush = async (): Promise<void> => {
    lastStart = performance.now();
    const batch = queue;
    queue = [];
    try {
      const outcomes = await write(batch.map((e) => e.item));
      outcomes.forEach((o, i) => (o instanceof ItemFailed ? batch[i]!.reject(o.error) : batch[i]!.resolve(o)));
    } catch (err) {
      for (const entry of batch) entry.reject(err);
    }
    if (queue.length > 0) schedule();
    else scheduled = false;
  };
  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!scheduled) schedule();
    });
}
