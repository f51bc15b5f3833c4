import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions, dialectOf, type Dialect } from '../ormconfig';
import { campaignRepository } from './repositories/campaign.repository';
import { cohortAdmissionRepository } from './repositories/cohort-admission.repository';
import {
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
import { metaRepository, setMetaSql } from './repositories/meta.repository';
import { buildRepositories, type MetaKey, type RepositoryMakers, type Store } from './ports';
import { migrations } from './migrations';
import { filingFormRepository, materialRepository } from './repositories/material.repository';
import { materialWaiverRepository } from './repositories/material-waiver.repository';
import { examPhotoRepository } from './repositories/exam-photo.repository';
import { examSittingRepository } from './repositories/exam-sitting.repository';
import { processedEventRepository } from './repositories/processed-event.repository';
import { sendSlotRepository } from './repositories/send-slot.repository';
import { uploadRepository } from './repositories/upload.repository';
import { studentRepository } from './repositories/student.repository';
import { boundDb, topLevelDb, type Db } from './runner';

// The one door to the database. Everything above db/ sees repositories returning
// plain domain objects, a transaction callback, and nothing of TypeORM.

const MAKERS: RepositoryMakers<Db> = {
  colleges: collegeRepository,
  occupations: occupationRepository,
  schemes: schemeRepository,
  campaigns: campaignRepository,
  cohortAdmissions: cohortAdmissionRepository,
  students: studentRepository,
  roles: roleRepository,
  targets: targetRepository,
  processedEvents: processedEventRepository,
  grades: gradeRepository,
  uploads: uploadRepository,
  certificates: certificateRepository,
  issuedCertificates: issuedCertificateRepository,
  materials: materialRepository,
  filingForms: filingFormRepository,
  materialWaivers: materialWaiverRepository,
  examPhotos: examPhotoRepository,
  examSittings: examSittingRepository,
  batches: batchRepository,
  sequences: sequenceRepository,
  exams: examRepository,
  jobs: jobRepository,
  audit: auditRepository,
  loginAttempts: loginAttemptRepository,
  chatState: chatStateRepository,
  meta: metaRepository,
  sendSlots: sendSlotRepository,
};

/** Names every migration this code knows (one landed between two others changes it too). */
const LATEST_SCHEMA = `${migrations.length}:${createHash('sha256').update(migrations.map((m) => m.name).join(',')).digest('hex').slice(0, 16)}`;

export async function openStore(url: string, opts: { logger?: Logger } = {}): Promise<Store> {
  const dialect = dialectOf(url);
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  let opened: Partial<Record<MetaKey, string>>;
  try {
    // a current schema costs one query; only an older (or new) database runs the migrations
    opened = await readMeta(dataSource);
    if (opened.schema !== LATEST_SCHEMA) {
      await exclusive(dataSource, dialect, 'cert_migrations', () => migrate(dataSource, dialect, opts.logger));
      opened = await readMeta(dataSource);
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const db = topLevelDb(dataSource, dialect);
  return {
    ...buildRepositories(MAKERS, db),
    dialect,
    opened,
    ping: () => db.run(async (em) => void (await em.query('SELECT 1'))),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
    transaction: (fn) => db.transaction((em: EntityManager) => fn(buildRepositories(MAKERS, boundDb(em, dialect)))),
    exclusive: (name, fn) => exclusive(dataSource, dialect, name, fn),
  };
}

async function readMeta(dataSource: DataSource): Promise<Partial<Record<MetaKey, string>>> {
  try {
    const rows = (await dataSource.query('SELECT meta_key, meta_value FROM app_meta')) as Array<{ meta_key: MetaKey; meta_value: string }>;
    return Object.fromEntries(rows.map((r) => [r.meta_key, r.meta_value]));
  } catch {
    return {}; // no app_meta yet: a new database, or one from before migration 0004
  }
}

async function exclusive<T>(dataSource: DataSource, dialect: Dialect, name: string, fn: () => Promise<T>): Promise<T> {
  if (dialect !== 'mysql') return sqliteExclusive(String(dataSource.options.database), name, fn);
  const runner = dataSource.createQueryRunner();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, 120) AS got', [name])) as Array<{ got: number | string | null }>;
    if (Number(row?.got) !== 1) throw new Error(`database lock ${name} not obtained within 120 s`);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * SQLite has no named locks, and TypeORM's migration transactions begin deferred, so two
 * processes creating the same tables would collide. The lock is an exclusive transaction on a
 * small file beside the database: other processes wait (polling, so the event loop stays free)
 * and a process that dies releases it with its file handles.
 */
async function sqliteExclusive<T>(database: string, name: string, fn: () => Promise<T>): Promise<T> {
  if (database === ':memory:') return fn();
  const { default: Sqlite } = await import('better-sqlite3');
  const lock = new Sqlite(`${database}.${name}.lock`, { timeout: 0 });
  try {
    for (let waited = 0; ; waited += 50) {
      try {
        lock.exec('BEGIN EXCLUSIVE');
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || waited > 120_000) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return await fn();
  } finally {
    lock.close();
  }
}

/** Runs pending migrations (under the caller's lock) and records the schema version reached. */
async function migrate(dataSource: DataSource, dialect: Dialect, logger?: Logger): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  for (const m of applied) logger?.info({ migration: m.name }, 'database migration applied');
  await dataSource.query(setMetaSql(dialect), ['schema', LATEST_SCHEMA]);
}

export type * from './records';
export type * from './ports';
