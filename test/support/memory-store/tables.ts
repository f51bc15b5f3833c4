import type { FrozenBatch } from '../../../domain/batch-results';
import type { FilingFormRecord } from '../../../domain/filing-form';
import type { CohortAdmission } from '../../../domain/campaign';
import type { MaterialWaiver } from '../../../domain/materials/issue-gate';
import type {
  Batch,
  BatchEvent,
  CollegeTarget,
  HeldCertificate,
  IssuedCertificate,
  Material,
  Occupation,
  RoleAssignment,
  Scheme,
  Student,
  StoredGrade,
} from '../../../domain/model';
import type { ExamPhoto, ExamSitting, MetaKey, SchemeDraft, SchemeStatus, StoredCampaign } from '../../../db/ports';
import type { InboxStatus } from '../../../db/records';
import type { Job, Upload } from '../../../db/records';
import type { AuditEntry } from '../../../domain/model/audit-entry';
import type { ExamStaffMember, StoredExamCandidate, StoredExamPlan, StoredExamSession } from '../../../domain/model/exam-plan';

// The in-memory store's tables: plain rows, cloned whole for a transaction (so a throw
// discards every write of it) and copied on the way out (so a caller never holds a row).

export interface SchemeRecord {
  /** the scheme as saved, its occupation reduced to the name (joined on read, as the SQL does) */
  scheme: Omit<Scheme, 'occupation'> & { occupation: string };
  status: SchemeStatus;
  updatedAt: string;
  version: number;
  approvedBy: string | null;
  approvedAt: string | null;
}

export interface EventRecord {
  key: string;
  kind: string;
  at: string;
  status: InboxStatus | null;
  payload: string | null;
  payloadSha256: string | null;
  messageId: string | null;
  owner: string | null;
  leaseToken: string | null;
  leaseUntil: string | null;
  attempts: number;
  lastError: string | null;
}

export interface Tables {
  /** the last id handed out per auto-increment table */
  ids: Record<string, number>;
  colleges: Array<{ id: number; name: string; sortOrder: number }>;
  occupations: Map<string, Occupation>;
  schemes: Map<string, SchemeRecord>;
  schemeDrafts: Map<string, SchemeDraft>;
  roles: Array<RoleAssignment & { id: number }>;
  targets: Array<CollegeTarget & { id: number }>;
  campaigns: Map<number, StoredCampaign>;
  cohortAdmissions: Array<CohortAdmission & { id: number }>;
  students: Map<string, Student>;
  processedEvents: Map<string, EventRecord>;
  grades: Array<StoredGrade & { id: number }>;
  uploads: Map<string, Upload>;
  certificates: Array<HeldCertificate & { id: number }>;
  issuedCertificates: Array<IssuedCertificate & { id: number }>;
  materials: Material[];
  filingForms: FilingFormRecord[];
  materialWaivers: MaterialWaiver[];
  examPhotos: ExamPhoto[];
  examSittings: ExamSitting[];
  batches: Map<number, Batch>;
  batchEvents: Array<BatchEvent & { id: number }>;
  batchResults: Map<number, { data: FrozenBatch; createdAt: string }>;
  sequences: Map<string, number>;
  examPlans: Map<number, StoredExamPlan>;
  examSessions: Map<number, StoredExamSession>;
  examCandidates: StoredExamCandidate[];
  examStaff: ExamStaffMember[];
  jobs: Map<number, Job & { leaseToken: string | null }>;
  audit: AuditEntry[];
  loginAttempts: Array<{ id: number; openId: string; ok: boolean; at: string }>;
  chatState: Map<string, { value: string; updatedAt: string }>;
  meta: Map<MetaKey, string>;
  sendSlots: Map<string, number>;
}

export function emptyTables(): Tables {
  return {
    ids: {},
    colleges: [],
    occupations: new Map(),
    schemes: new Map(),
    schemeDrafts: new Map(),
    roles: [],
    targets: [],
    campaigns: new Map(),
    cohortAdmissions: [],
    students: new Map(),
    processedEvents: new Map(),
    grades: [],
    uploads: new Map(),
    certificates: [],
    issuedCertificates: [],
    materials: [],
    filingForms: [],
    materialWaivers: [],
    examPhotos: [],
    examSittings: [],
    batches: new Map(),
    batchEvents: [],
    batchResults: new Map(),
    sequences: new Map(),
    examPlans: new Map(),
    examSessions: new Map(),
    examCandidates: [],
    examStaff: [],
    jobs: new Map(),
    audit: [],
    loginAttempts: [],
    chatState: new Map(),
    meta: new Map(),
    sendSlots: new Map(),
  };
}

/**
 * How a repository reaches the tables: `read` sees them as they are, `write` changes them
 * (waiting for an open transaction to finish first, as SQLite's single writer does).
 */
export interface Mem {
  read<T>(fn: (t: Tables) => T): Promise<T>;
  write<T>(fn: (t: Tables) => T): Promise<T>;
}

export const copy = <T>(value: T): T => structuredClone(value);

/** The next auto-increment id of a table. */
export const nextId = (t: Tables, table: string): number => (t.ids[table] = (t.ids[table] ?? 0) + 1);

/** What a unique index refuses, shaped like the driver's error so `isDuplicateKey` knows it. */
export function duplicateKey(index: string): Error {
  return Object.assign(new Error(`UNIQUE constraint failed: ${index}`), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
}

/** Binary text order, as SQLite compares (tests keep to data both dialects order alike). */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts a copy by the keys in turn, like ORDER BY k1, k2 … */
export function ordered<T>(rows: Iterable<T>, ...keys: Array<(row: T) => string | number>): T[] {
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : byText(String(x), String(y));
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** A JSON column's round trip: what the database hands back (undefined fields gone). */
export const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
