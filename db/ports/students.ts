import type { FilingForm, FilingFormRecord } from '../../domain/filing-form';
import type { MaterialWaiver } from '../../domain/materials/issue-gate';
import type {
  CourseScore,
  Decimal,
  HeldCertificate,
  IssuedCertificate,
  Material,
  MaterialKind,
  MaterialMeta,
  MaterialStatus,
  RawGrade,
  StoredGrade,
  Student,
} from '../../domain/model';
import type { UpsertCounts } from '../mapping';
import type { Upload, UploadStatus } from '../records';

// Ports of what is known per student: the roster, grades, certificates, materials and the
// files uploaded; implemented in the matching db/repositories/*.repository.ts.

export type BindOutcome = 'bound' | 'already-bound-to-you' | 'student-taken' | 'user-taken' | 'unknown-student';

export interface StudentRepository {
  /** Roster import: adds and updates by 学号; a student's chat binding (openId) is never touched. */
  upsertMany(students: Student[]): Promise<UpsertCounts>;
  get(studentNo: string): Promise<Student | undefined>;
  getByOpenId(openId: string): Promise<Student | undefined>;
  listByMajor(college: string, major: string): Promise<Student[]>;
  listByCollege(college: string): Promise<Student[]>;
  listByNumbers(studentNos: string[]): Promise<Student[]>;
  /**
   * Binds a chat user to a student: of two people claiming one 学号, or one person
   * claiming two, exactly one binding wins.
   */
  bindOpenId(studentNo: string, openId: string): Promise<BindOutcome>;
  unbind(studentNo: string): Promise<boolean>;
  count(): Promise<number>;
}

export type GradeInput = RawGrade & { score: Decimal | null; flag: CourseScore['flag'] };

export interface GradeRepository {
  /**
   * A grade upload replaces everything known about its students for that scheme,
   * atomically: readers see the old grades or the new ones, never a mix.
   */
  replaceForScheme(schemeCode: string, studentNos: string[], grades: GradeInput[], uploadId: string | null): Promise<number>;
  listForScheme(schemeCode: string): Promise<StoredGrade[]>;
  listForStudent(studentNo: string): Promise<StoredGrade[]>;
}

/** Certificates students already hold (imported), one per student × kind × name × level. */
export interface CertificateRepository {
  upsertMany(certificates: HeldCertificate[]): Promise<UpsertCounts>;
  listForStudents(studentNos: string[]): Promise<HeldCertificate[]>;
  listForStudent(studentNo: string): Promise<HeldCertificate[]>;
}

/** Certificate numbers we issued; a number is never recorded twice. */
export interface IssuedCertificateRepository {
  record(certificates: IssuedCertificate[]): Promise<void>;
  listForBatch(batchId: number): Promise<IssuedCertificate[]>;
  listForStudent(studentNo: string): Promise<IssuedCertificate[]>;
}

/** What a review decision found: applied, or the material as it stands now (and the newest of its kind). */
export type MaterialDecision =
  | { ok: true; material: Material }
  | { ok: false; current: Material | undefined; latest: Material | undefined };

export interface NewMaterial {
  studentNo: string;
  kind: MaterialKind;
  storedPath: string;
  fileName: string;
  meta?: MaterialMeta;
  status?: MaterialStatus;
  reason?: string | null;
  now?: Date;
}

export interface MaterialRepository {
  /** Every upload is kept: a new file becomes the next version, older ones stay as history. */
  addVersion(input: NewMaterial): Promise<Material>;
  /** The newest version of each kind (undefined where nothing was sent). */
  latest(studentNo: string): Promise<Record<MaterialKind, Material | undefined>>;
  history(studentNo: string, kind: MaterialKind): Promise<Material[]>;
  get(id: number): Promise<Material | undefined>;
  /** The newest version of each kind for many students at once. */
  latestForStudents(studentNos: string[]): Promise<Material[]>;
  /**
   * A reviewer's decision as a compare-and-set: it applies only while the material is
   * still the newest version of its kind and still awaits review ('received'), so a
   * re-upload or a second reviewer's earlier decision makes it report the current state.
   */
  decide(id: number, status: Exclude<MaterialStatus, 'received'>, reason: string | null): Promise<MaterialDecision>;
  setStatus(id: number, status: MaterialStatus, reason?: string | null): Promise<Material | undefined>;
}

export interface FilingFormRepository {
  /** Each save is a new version; earlier answers stay in the history. */
  save(studentNo: string, data: FilingForm, now?: Date): Promise<FilingFormRecord>;
  latest(studentNo: string): Promise<FilingFormRecord | undefined>;
  history(studentNo: string): Promise<FilingFormRecord[]>;
}

export type NewMaterialWaiver = Omit<MaterialWaiver, 'at'> & { now?: Date };

export interface MaterialWaiverRepository {
  record(w: NewMaterialWaiver): Promise<MaterialWaiver>;
  /** every exception recorded for the batch, oldest first */
  listForBatch(batchId: number): Promise<MaterialWaiver[]>;
}

export type NewUpload = Omit<Upload, 'id' | 'createdAt' | 'status' | 'summary'> &
  Partial<Pick<Upload, 'id' | 'status' | 'summary'>> & { now?: Date };

export interface UploadRepository {
  create(input: NewUpload): Promise<Upload>;
  get(id: string): Promise<Upload | undefined>;
  /** Earlier uploads of the same bytes (newest first), to spot a file sent twice. */
  findBySha256(sha256: string): Promise<Upload[]>;
  /** Refused uploads that arrived before `cutoff` and still have a file on disk. */
  rejectedWithFileBefore(cutoff: Date): Promise<Upload[]>;
  /** The file is gone: the row keeps what was refused and why, and no longer points at it. */
  forgetFile(id: string): Promise<void>;
  setStatus(id: string, status: UploadStatus, summary?: Record<string, unknown>): Promise<Upload | undefined>;
}
