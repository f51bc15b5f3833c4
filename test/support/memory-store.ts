import { Mutex } from '../../db/runner';
import type { Repositories, Store } from '../../db/store';
import { batches, examPhotos, exams, examSittings, sequences } from './memory-store/batches';
import { audit, chatState, jobs, loginAttempts, meta, processedEvents, sendSlots } from './memory-store/ops';
import { certificates, filingForms, grades, issuedCertificates, materials, materialWaivers, students, uploads } from './memory-store/people';
import { campaigns, cohortAdmissions, colleges, occupations, roles, schemes, targets } from './memory-store/reference';
import { copy, emptyTables, type Mem, type Tables } from './memory-store/tables';

// The whole Store in memory, for tests of what sits above the repositories (STYLE 9):
// services, cards built from services, jobs against a fake Lark. It keeps the semantics
// those rely on — unique keys, compare-and-set transitions, sequences, leases, SQL's
// ordering — and test/db/store-contract.test.ts runs one table of behaviours against it
// and against SQLite and MariaDB to keep it honest. Repository tests stay on real databases.

function repositories(mem: Mem): Repositories {
  return {
    colleges: colleges(mem),
    occupations: occupations(mem),
    schemes: schemes(mem),
    campaigns: campaigns(mem),
    cohortAdmissions: cohortAdmissions(mem),
    students: students(mem),
    roles: roles(mem),
    targets: targets(mem),
    processedEvents: processedEvents(mem),
    grades: grades(mem),
    uploads: uploads(mem),
    certificates: certificates(mem),
    issuedCertificates: issuedCertificates(mem),
    materials: materials(mem),
    filingForms: filingForms(mem),
    materialWaivers: materialWaivers(mem),
    examPhotos: examPhotos(mem),
    examSittings: examSittings(mem),
    batches: batches(mem),
    sequences: sequences(mem),
    exams: exams(mem),
    jobs: jobs(mem),
    audit: audit(mem),
    loginAttempts: loginAttempts(mem),
    chatState: chatState(mem),
    meta: meta(mem),
    sendSlots: sendSlots(mem),
  };
}

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
    ...repositories(top),
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
          const result = await fn(repositories(bound));
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
