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
  /** how long a claim waited for its turn on its connection (SQLite's one, MySQL's own) */
  claimTurnMs: number[];
  /** MySQL: how long everything else waited for a pool connection */
  poolWaitMs: number[];
}

const fresh = (): DbCounts => ({ statements: 0, commits: 0, commitMs: [], claimStatements: 0, claimTurnMs: [], poolWaitMs: [] });
let counts: DbCounts | null = null;

for (const r of runners) {
  const query = r.prototype.query;
  r.prototype.query = function (this: Runner, sql: string, ...rest: unknown[]) {
    const into = counts;
    if (!into) return query.call(this, sql, ...rest);
    into.statements++;
    if (/^\s*(INSERT INTO processed_events|SELECT lease_token FROM processed_events WHERE lease_token IN)/i.test(sql)) into.claimStatements++;
    if (!/^\s*COMMIT/i.test(sql) && (this.isTransactionActive || !/^\s*(INSERT|UPDATE|DELETE|REPLACE)/i.test(sql))) return query.call(this, sql, ...rest);
    into.commits++;
    const started = performance.now();
    const done = query.call(this, sql, ...rest);
    void done.then(() => into.commitMs.push(performance.now() - started), () => undefined);
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
