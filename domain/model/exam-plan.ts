import type { AssessorAgreement, QuotaIncreaseRequest } from '../exam/plan-rules';
import type { StaffRole } from '../exam/staffing';
import type { WorkItem } from '../exam/work-items';
import type { IsoDate, IsoInstant, Part, PhotoSpec } from '../model';

// A 1+X exam plan as stored, with its sessions (场次), candidates and staff: what the exam
// repository returns. The plan as staff type it and as the rules check it is ExamPlan in
// exam/plan-rules.ts; this is the record it was saved as.

export const EXAM_SESSION_KINDS = ['theory', 'practical'] as const;
export type ExamSessionKind = (typeof EXAM_SESSION_KINDS)[number];
export const EXAM_SESSION_STATUSES = ['scheduled', 'moved', 'cancelled'] as const;
export type ExamSessionStatus = (typeof EXAM_SESSION_STATUSES)[number];
export const EXAM_DUTIES = ['chief', 'inspector', 'invigilator', 'staff'] as const;
export type ExamDuty = (typeof EXAM_DUTIES)[number];

export interface StoredExamPlan {
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

export interface StoredExamSession {
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

export interface StoredExamCandidate {
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

// What a stored plan carries beyond its columns (exam_plans.data). Every key is optional: a
// plan is created with few of them and the features add theirs as it goes on.

/** When a part is held, as staff typed it (Beijing date and HH:MM). */
export interface PlannedTime {
  date: IsoDate;
  time: string;
}

/** Which sessions an assigned person works and which Feishu user they are (exam_staff keeps the rest). */
export interface StaffDetail {
  staffNo: string;
  role: StaffRole;
  parts: Part[];
  openId: string | null;
}

/** A 调增申请 with who filed and decided it. */
export interface StoredQuotaRequest extends QuotaIncreaseRequest {
  filedBy: string;
  /** 教务处's decision */
  decidedBy?: string | null;
  decidedOn?: IsoDate | null;
  /** the province's (省推进办) decision: its date and document */
  provinceOn?: IsoDate | null;
  provinceDocument?: string | null;
  provinceRecordedBy?: string | null;
}

export interface ExamPlanData {
  // written when the plan is filed (exam-plan.service savePlan)
  /** makes a repeated submission return the plan it already made */
  key?: string;
  classes?: string[];
  theory?: PlannedTime | null;
  practical?: PlannedTime | null;
  place?: string;
  physicalRooms?: number;
  roomNeeds?: string;
  /** the approved pilot quota; null when the platform sets none for this certificate */
  pilotQuota?: number | null;
  agreement?: AssessorAgreement | null;
  /** the warnings the plan was filed with */
  warnings?: string[];
  filedBy?: string;
  // written later by the features
  staffing?: StaffDetail[];
  quotaRequest?: StoredQuotaRequest;
  /** the college's edited 实施方案 work items */
  workItems?: WorkItem[];
  /** the certificate's photo spec (`xcert photo-spec`) */
  photoSpec?: PhotoSpec;
  // read by the features, but no code writes them: only a row edited by hand (or a test) has them
  /** the 负责人's name for the forms; the plan's owner column holds an open_id */
  ownerName?: string;
  /** names of the physical rooms, in seat order */
  roomNames?: string[];
  /** extra recipients of the exam's notices and reminders */
  staffOpenIds?: string[];
  /** why the quota increase is asked for (调增原因) */
  quotaReason?: string;
}
