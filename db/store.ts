import 'reflect-metadata';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions, dialectOf, type Dialect } from '../ormconfig';
import {
  campaignRepository,
  collegeRepository,
  occupationRepository,
  roleRepository,
  schemeRepository,
  targetRepository,
} from './repositories/reference.repository';
import { auditRepository, loginAttemptRepository } from './repositories/audit.repository';
import { chatStateRepository } from './repositories/chat-state.repository';
import { batchRepository, sequenceRepository } from './repositories/batch.repository';
import { certificateRepository, issuedCertificateRepository } from './repositories/certificate.repository';
import { examRepository } from './repositories/exam.repository';
import { gradeRepository } from './repositories/grade.repository';
import { jobRepository } from './repositories/job.repository';
import { metaRepository } from './repositories/meta.repository';
import { filingFormRepository, materialRepository } from './repositories/material.repository';
import { materialWaiverRepository } from './repositories/material-waiver.repository';
import { processedEventRepository } from './repositories/processed-event.repository';
import { uploadRepository } from './repositories/upload.repository';
import { studentRepository } from './repositories/student.repository';
import { boundDb, topLevelDb, type Db } from './runner';

// The one door to the database. Everything above db/ sees repositories returning
// plain domain objects, a transaction callback, and nothing of TypeORM.

function repositories(db: Db) {
  return {
    colleges: collegeRepository(db),
    occupations: occupationRepository(db),
    schemes: schemeRepository(db),
    campaigns: campaignRepository(db),
    students: studentRepository(db),
    roles: roleRepository(db),
    targets: targetRepository(db),
    processedEvents: processedEventRepository(db),
    grades: gradeRepository(db),
    uploads: uploadRepository(db),
    certificates: certificateRepository(db),
    issuedCertificates: issuedCertificateRepository(db),
    materials: materialRepository(db),
    filingForms: filingFormRepository(db),
    materialWaivers: materialWaiverRepository(db),
    batches: batchRepository(db),
    sequences: sequenceRepository(db),
    exams: examRepository(db),
    jobs: jobRepository(db),
    audit: auditRepository(db),
    loginAttempts: loginAttemptRepository(db),
    chatState: chatStateRepository(db),
    meta: metaRepository(db),
  };
}

export type Repositories = ReturnType<typeof repositories>;

export interface Store extends Repositories {
  readonly dialect: Dialect;
  /** resolves once the database answers a trivial query */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs fn with repositories bound to one transaction: all of its writes commit
   * together, and an exception rolls every one of them back (and is rethrown).
   */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
}

export async function openStore(url: string, opts: { logger?: Logger } = {}): Promise<Store> {
  const dialect = dialectOf(url);
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  try {
    await migrate(dataSource, dialect, opts.logger);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const db = topLevelDb(dataSource, dialect);
  return {
    ...repositories(db),
    dialect,
    ping: () => db.run(async (em) => void (await em.query('SELECT 1'))),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
    transaction: (fn) => db.transaction((em: EntityManager) => fn(repositories(boundDb(em, dialect)))),
  };
}

async function migrate(dataSource: DataSource, dialect: Dialect, logger?: Logger): Promise<void> {
  // two instances starting together must not both create the tables: MySQL has a
  // named lock for that; SQLite's migration transaction already holds the file lock
  const runner = dialect === 'mysql' ? dataSource.createQueryRunner() : undefined;
  try {
    if (runner) await runner.query("SELECT GET_LOCK('cert_migrations', 60)");
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) logger?.info({ migration: m.name }, 'database migration applied');
  } finally {
    if (runner) {
      await runner.query("SELECT RELEASE_LOCK('cert_migrations')");
      await runner.release();
    }
  }
}

export type * from './records';
export type { BindOutcome } from './repositories/student.repository';
export type { SchemeStatus, StoredScheme } from './repositories/reference.repository';
export type { Actor, NewBatch, TransitionResult } from './repositories/batch.repository';
export type { GradeInput } from './repositories/grade.repository';
export type { NewMaterial } from './repositories/material.repository';
export type { NewJob } from './repositories/job.repository';
export type { NewUpload } from './repositories/upload.repository';
export type { NewAuditEntry } from './repositories/audit.repository';
export type { UpsertCounts, UpsertOutcome } from './mapping';
