import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Mutex } from '../../db/runner';

// What the database is asked while the webhook bench runs, and what waited for it: figures
// that do not change with the machine's load (statements and commits per event), and
// the waits that do (the claims' turn for their connection, the pool for everything else).
// TypeORM's query runners and db/runner's Mutex are wrapped in this process, for the bench only.

interface Runner {
  isTransactionActive?: boolean;
  databaseConnection?: unknown;
  databaseConnectionPromise?: unknown;
}
type Query = (this: Runner, sql: string, ...rest: unknown[]) => Promise<unknown>;
type Connect = (this: Runner) => Promise<unknown>;

const require = createRequire(import.meta.url);
const runners = [
  (require('typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner.js') as { BetterSqlite3QueryRunner: { prototype: { query: Query } } }).BetterSqlite3QueryRunner,
  (require('typeorm/driver/mysql/MysqlQueryRunner.js') as { MysqlQueryRunner: { prototype: { query: Query; connect: Connect } } }).MysqlQueryRunner,
];
const mysqlRunner = runners[1] as { prototype: { query: Query; connect: Connect } };

export interface DbCounts {
  statements: number;
  /** COMMITs and writes outside a transaction: on SQLite each is an fsync that blocks the event loop */
  commits: number;
  /** how long each took (SQLite: the event loop waits for it) */
  commitMs: number[];
  /** INSERT and read-back of the claims: what an acknowledgement waits for */
  claimStatements: number;
  /** each claim INSERT: when it was sent, when its answer was read, and its parameters (the claims' keys among them) */
  claimInserts: Array<{ sent: number; done: number; params: unknown[] }>;
  /** how long a claim waited for its turn on its connection (SQLite's one, MySQL's own) */
  claimTurnMs: number[];
  /** MySQL: how long everything else waited for a pool connection */
  poolWaitMs: number[];
}

const fresh = (): DbCounts => ({ statements: 0, commits: 0, commitMs: [], claimStatements: 0, claimInserts: [], claimTurnMs: [], poolWaitMs: [] });
let counts: DbCounts | null = null;

for (const r of runners) {
  const query = r.prototype.query;
  r.prototype.query = function (this: Runner, sql: string, ...rest: unknown[]) {
    const into = counts;
    if (!into) return query.call(this, sql, ...rest);
    into.statements++;
    if (/^\s*(INSERT INTO processed_events|SELECT lease_token FROM processed_events WHERE lease_token IN)/i.test(sql)) into.claimStatements++;
    const claims = /^\s*INSERT INTO processed_events/i.test(sql) ? { sent: performance.now(), params: Array.isArray(rest[0]) ? rest[0] : [] } : null;
    const commits = /^\s*COMMIT/i.test(sql) || (!this.isTransactionActive && /^\s*(INSERT|UPDATE|DELETE|REPLACE)/i.test(sql));
    const started = performance.now();
    const done = query.call(this, sql, ...rest);
    const answered = (ok: boolean) => {
      const at = performance.now();
      if (claims) into.claimInserts.push({ ...claims, done: at });
      if (commits && ok) into.commitMs.push(at - started);
    };
    if (commits) into.commits++;
    if (claims || commits) void done.then(() => answered(true), () => answered(false));
    return done;
  };
}
const connect = mysqlRunner.prototype.connect;
mysqlRunner.prototype.connect = function (this: Runner) {
  const waiting = counts && !this.databaseConnection && !this.databaseConnectionPromise ? counts : null;
  const started = performance.now();
  const got = connect.call(this);
  if (waiting) void got.then(() => waiting.poolWaitMs.push(performance.now() - started), () => undefined);
  return got;
};
const lock = Mutex.prototype.lock;
Mutex.prototype.lock = function <T>(this: Mutex, fn: () => Promise<T>, urgent = false): Promise<T> {
  const into = urgent ? counts : null;
  const asked = performance.now();
  return lock.call(this, into ? () => (into.claimTurnMs.push(performance.now() - asked), fn()) : fn, urgent) as Promise<T>;
};

/** Starts counting (from zero); `stop` ends it and hands the counts over. */
export function countDatabaseWork(): { stop(): DbCounts } {
  counts = fresh();
  const mine = counts;
  return {
    stop: () => {
      if (counts === mine) counts = null;
      return mine;
    },
  };
}

/**
 * MySQL: the server's own counters of row-lock waits and data-file fsyncs (redo log included);
 * `stop` hands over how much each grew. They count the whole server: other databases' work too.
 */
export async function innodbCounters(url: string): Promise<{ stop(): Promise<Record<string, number>> }> {
  const { createConnection } = await import('mysql2/promise');
  const names = ['Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_data_fsyncs', 'Innodb_deadlocks', 'Innodb_buffer_pool_pages_flushed'];
  const connection = await createConnection(url);
  const read = async () => {
    const [rows] = await connection.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (${names.map(() => '?').join(', ')})`, names);
    return new Map((rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, Number(r.Value)]));
  };
  const before = await read();
  return {
    async stop() {
      const after = await read();
      await connection.end();
      return Object.fromEntries(names.map((n) => [n, (after.get(n) ?? NaN) - (before.get(n) ?? NaN)]));
    },
  };
}
