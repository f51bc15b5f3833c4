import type { SittingOutcome } from '../../domain/imports/x-results.reader';
import type { ExamSessionStatus, ExamStaffMember, StoredExamCandidate, StoredExamPlan, StoredExamSession } from '../../domain/model/exam-plan';

// Ports of the 1+X exam plans, their candidates' photos and what happened at the sittings;
// implemented in db/repositories/exam*.repository.ts.

export type NewExamPlan = Pick<StoredExamPlan, 'college' | 'certificate' | 'level' | 'owner' | 'headcount'> & Partial<Pick<StoredExamPlan, 'status' | 'data'>>;
export type ExamPlanChange = Partial<Omit<StoredExamPlan, 'id' | 'createdAt' | 'updatedAt' | 'version'>>;
export type NewExamSession = Omit<StoredExamSession, 'id' | 'status' | 'version'> & { status?: ExamSessionStatus };
export type ExamSessionChange = Partial<Pick<StoredExamSession, 'kind' | 'startsAt' | 'endsAt' | 'place' | 'rooms' | 'status'>>;

export interface ExamRepository {
  createPlan(input: NewExamPlan, now?: Date): Promise<StoredExamPlan>;
  getPlan(id: number): Promise<StoredExamPlan | undefined>;
  listPlans(filter?: { college?: string; status?: string }): Promise<StoredExamPlan[]>;
  /** With expectedVersion the change applies only if nobody changed the plan meanwhile (undefined otherwise). */
  updatePlan(id: number, change: ExamPlanChange, opts?: { expectedVersion?: number; now?: Date }): Promise<StoredExamPlan | undefined>;
  addSession(input: NewExamSession): Promise<StoredExamSession>;
  getSession(id: number): Promise<StoredExamSession | undefined>;
  listSessions(planId: number): Promise<StoredExamSession[]>;
  /** Every change bumps the version, so reminders scheduled for an older version can tell they are stale. */
  updateSession(id: number, change: ExamSessionChange, opts?: { expectedVersion?: number }): Promise<StoredExamSession | undefined>;
  /** Replaces the plan's candidate list. */
  setCandidates(planId: number, candidates: Array<Omit<StoredExamCandidate, 'planId'>>): Promise<void>;
  listCandidates(planId: number): Promise<StoredExamCandidate[]>;
  /** Replaces the plan's staff list. */
  setStaff(planId: number, staff: Array<Omit<ExamStaffMember, 'id' | 'planId'>>): Promise<ExamStaffMember[]>;
  listStaff(planId: number): Promise<ExamStaffMember[]>;
}

/** A 1+X candidate's photo for a plan; each upload is a new version. */
export interface ExamPhoto {
  planId: number;
  studentNo: string;
  version: number;
  storedPath: string;
  fileName: string;
  meta: Record<string, unknown>;
  createdAt: string;
}

export interface ExamPhotoRepository {
  add(p: Omit<ExamPhoto, 'version' | 'createdAt'> & { now?: Date }): Promise<ExamPhoto>;
  /** the newest photo of each candidate of the plan */
  latestForPlan(planId: number): Promise<Map<string, ExamPhoto>>;
}

/** One candidate's outcome at one plan's sitting. */
export interface ExamSitting {
  planId: number;
  studentNo: string;
  certificate: string;
  level: string;
  outcome: SittingOutcome;
  score: string | null;
  certificateNo: string | null;
  issuedOn: string | null;
  recordedAt: string;
}

export interface ExamSittingRepository {
  /** Replaces the plan's recorded sittings with these (all at once), so an import run twice changes nothing. */
  recordForPlan(planId: number, sittings: Array<Omit<ExamSitting, 'planId' | 'recordedAt'>>, now?: Date): Promise<void>;
  listForPlan(planId: number): Promise<ExamSitting[]>;
  /** every recorded sitting of these students for one certificate and level */
  listFor(certificate: string, level: string, studentNos: readonly string[]): Promise<ExamSitting[]>;
}
