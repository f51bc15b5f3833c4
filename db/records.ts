import type { IsoInstant } from '../domain/model';
import type { ExamPlanData } from '../domain/model/exam-plan';

// Records that belong to running the product rather than to the certification
// rules, so they live beside the repositories instead of in domain/model.ts.

export type UploadStatus = 'received' | 'processing' | 'accepted' | 'rejected' | 'failed';

export interface Upload {
  id: string;
  /** e.g. grades, roster, scheme, photo */
  kind: string;
  fileName: string;
  sha256: string;
  size: number;
  storedPath: string;
  /** open_id of the sender */
  uploadedBy: string;
  college: string | null;
  createdAt: IsoInstant;
  status: UploadStatus;
  summary: Record<string, unknown>;
}

export type JobStatus = 'pending' | 'leased' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: number;
  /** idempotency key, e.g. exam-reminder:12:day-before */
  key: string;
  kind: string;
  runAt: IsoInstant;
  payload: Record<string, unknown>;
  status: JobStatus;
  leaseOwner: string | null;
  leaseUntil: IsoInstant | null;
  attempts: number;
  lastError: string | null;
  updatedAt: IsoInstant;
}

export interface AuditEntry {
  id: number;
  at: IsoInstant;
  actorOpenId: string;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: Record<string, unknown>;
}

export type ExamSessionKind = 'theory' | 'practical';
export type ExamSessionStatus = 'scheduled' | 'moved' | 'cancelled';
export type ExamDuty = 'chief' | 'inspector' | 'invigilator' | 'staff';

export interface ExamPlan {
  id: number;
  college: string;
  /** 1+X certificate name */
  certificate: string;
  level: string;
  /** open_id of the responsible teacher */
  owner: string;
  headcount: number;
  status: string;
  /** what else the plan carries (classes, room needs, quota request …) */
  data: ExamPlanData;
  createdAt: IsoInstant;
  updatedAt: IsoInstant;
  version: number;
}

export interface ExamSession {
  id: number;
  planId: number;
  kind: ExamSessionKind;
  startsAt: IsoInstant;
  endsAt: IsoInstant;
  place: string;
  rooms: number;
  status: ExamSessionStatus;
  version: number;
}

export interface ExamCandidate {
  planId: number;
  studentNo: string;
  /** 1 for a first sitting; the school pays only first attempts */
  attempt: number;
}

export interface ExamStaffMember {
  id: number;
  planId: number;
  name: string;
  staffNo: string | null;
  duty: ExamDuty;
  work: string | null;
  sessions: number;
}
