import type { Dialect } from '../../ormconfig';
import type { BatchRepository, SequenceRepository } from './batches';
import type { ExamPhotoRepository, ExamRepository, ExamSittingRepository } from './exams';
import type {
  AuditRepository,
  ChatStateRepository,
  JobRepository,
  LoginAttemptRepository,
  MetaKey,
  MetaRepository,
  ProcessedEventRepository,
  SendSlotRepository,
} from './operations';
import type {
  CampaignRepository,
  CohortAdmissionRepository,
  CollegeRepository,
  OccupationRepository,
  RoleRepository,
  SchemeRepository,
  TargetRepository,
} from './reference';
import type {
  CertificateRepository,
  FilingFormRepository,
  GradeRepository,
  IssuedCertificateRepository,
  MaterialRepository,
  MaterialWaiverRepository,
  StudentRepository,
  UploadRepository,
} from './students';

// The persistence layer's ports (STYLE 8, 9): what everything above db/ may ask of the
// database, in plain domain types. db/store.ts implements them on TypeORM; a service or job
// names the few it uses (Pick<Store, 'batches' | 'jobs'>), so an in-memory fake of those
// is enough to test it.

export interface Repositories {
  colleges: CollegeRepository;
  occupations: OccupationRepository;
  schemes: SchemeRepository;
  campaigns: CampaignRepository;
  cohortAdmissions: CohortAdmissionRepository;
  students: StudentRepository;
  roles: RoleRepository;
  targets: TargetRepository;
  processedEvents: ProcessedEventRepository;
  grades: GradeRepository;
  uploads: UploadRepository;
  certificates: CertificateRepository;
  issuedCertificates: IssuedCertificateRepository;
  materials: MaterialRepository;
  filingForms: FilingFormRepository;
  materialWaivers: MaterialWaiverRepository;
  examPhotos: ExamPhotoRepository;
  examSittings: ExamSittingRepository;
  batches: BatchRepository;
  sequences: SequenceRepository;
  exams: ExamRepository;
  jobs: JobRepository;
  audit: AuditRepository;
  loginAttempts: LoginAttemptRepository;
  chatState: ChatStateRepository;
  meta: MetaRepository;
  sendSlots: SendSlotRepository;
}

/** What builds each repository on a way in to the data (db/store.ts: a Db; the tests' memory store: its tables). */
export type RepositoryMakers<On> = { [K in keyof Repositories]: (on: On) => Repositories[K] };

/** Every repository, built on `on`. */
export function buildRepositories<On>(makers: RepositoryMakers<On>, on: On): Repositories {
  return Object.fromEntries(Object.entries(makers).map(([name, make]) => [name, make(on)])) as unknown as Repositories;
}

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
  /**
   * Runs fn while no other process sharing the database runs an exclusive section of the
   * same name (MySQL: a named lock; SQLite: a write transaction already excludes the others,
   * so fn's own transaction is the lock there).
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** what app_meta said when the store was opened (one query; empty before migration 0004) */
  readonly opened: Partial<Record<MetaKey, string>>;
}

export type * from './batches';
export type * from './exams';
export type * from './operations';
export type * from './reference';
export type * from './students';
