import { Mutex } from '../../db/runner';
import { buildRepositories, type Repositories, type RepositoryMakers, type Store } from '../../db/ports';
import * as batchTables from './memory-store/batches';
import * as opsTables from './memory-store/ops';
import * as peopleTables from './memory-store/people';
import * as referenceTables from './memory-store/reference';
import { copy, emptyTables, type Mem, type Tables } from './memory-store/tables';

// The whole Store in memory, for tests of what sits above the repositories (STYLE 9):
// services, cards built from services, jobs against a fake Lark. It keeps the semantics
// those rely on — unique keys, compare-and-set transitions, sequences, leases, SQL's
// ordering — and test/db/store-contract.test.ts runs one table of behaviours against it
// and against SQLite and MariaDB to keep it honest. Repository tests stay on real databases.

// each module exports one maker per repository, named as the Store names it
const MAKERS: RepositoryMakers<Mem> = { ...batchTables, ...opsTables, ...peopleTables, ...referenceTables };

export function memoryStore(): Store {
  let tables = emptyTables();
  let closed = false;
  // writers wait their turn, as on SQLite's single writer: a transaction holds the turn until it ends
  const writers = new Mutex();
  const named = new Map<string, Mutex>();
  const open = () => {
    if (closed) throw new Error('the memory store is closed');
  };
  // Each operation runs in one synchronous step, so a lone write is atomic by itself;
  // one that throws does so before it changes anything (the repositories check first).
  const top: Mem = {
    read: async (fn) => {
      open();
      return fn(tables);
    },
    write: (fn) =>
      writers.lock(async () => {
        open();
        return fn(tables);
      }),
  };
  return {
    ...buildRepositories(MAKERS, top),
    dialect: 'sqlite',
    opened: {},
    ping: async () => open(),
    close: async () => {
      closed = true;
    },
    // a transaction works on a copy of every table and swaps it in on success: a throw
    // leaves the tables as they were; other writers wait, readers see the last commit
    transaction: <T>(fn: (tx: Repositories) => Promise<T>) =>
      writers.lock(async () => {
        open();
        const draft: Tables = copy(tables);
        let ended = false;
        const bound: Mem = {
          read: async (f) => {
            if (ended) throw new Error('transaction already ended');
            return f(draft);
          },
          write: async (f) => {
            if (ended) throw new Error('transaction already ended');
            return f(draft);
          },
        };
        try {
          const result = await fn(buildRepositories(MAKERS, bound));
          tables = draft;
          return result;
        } finally {
          ended = true;
        }
      }),
    exclusive: <T>(name: string, fn: () => Promise<T>) => {
      const mutex = named.get(name) ?? new Mutex();
      named.set(name, mutex);
      return mutex.lock(fn);
    },
  };
}
