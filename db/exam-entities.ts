import { EntitySchema } from 'typeorm';
import { id, str, text, int, instant } from './columns';

// 1+X exam plans: the plan, its sessions, candidates and staff.

export interface ExamPlanRow {
  id: number;
  college: string;
  certificate: string;
  level: string;
  owner: string;
  headcount: number;
  status: string;
  data: string;
  created_at: string;
  updated_at: string;
  version: number;
}
export const ExamPlanEntity = new EntitySchema<ExamPlanRow>({
  name: 'ExamPlanRow',
  tableName: 'exam_plans',
  columns: {
    id,
    college: str(64),
    certificate: str(100),
    level: str(16),
    owner: str(64),
    headcount: int(),
    status: str(16),
    data: text(),
    created_at: instant(),
    updated_at: instant(),
    version: int(),
  },
});

export interface ExamSessionRow {
  id: number;
  plan_id: number;
  kind: string;
  starts_at: string;
  ends_at: string;
  place: string;
  rooms: number;
  status: string;
  version: number;
}
export const ExamSessionEntity = new EntitySchema<ExamSessionRow>({
  name: 'ExamSessionRow',
  tableName: 'exam_sessions',
  columns: {
    id,
    plan_id: int(),
    kind: str(16),
    starts_at: instant(),
    ends_at: instant(),
    place: str(200),
    rooms: int(),
    status: str(16),
    version: int(),
  },
});

export interface ExamCandidateRow { id: number; plan_id: number; student_no: string; attempt: number }
export const ExamCandidateEntity = new EntitySchema<ExamCandidateRow>({
  name: 'ExamCandidateRow',
  tableName: 'exam_candidates',
  columns: { id, plan_id: int(), student_no: str(32), attempt: int() },
});

export interface ExamStaffRow {
  id: number;
  plan_id: number;
  name: string;
  staff_no: string | null;
  duty: string;
  work: string | null;
  sessions: number;
}
export const ExamStaffEntity = new EntitySchema<ExamStaffRow>({
  name: 'ExamStaffRow',
  tableName: 'exam_staff',
  columns: {
    id,
    plan_id: int(),
    name: str(64),
    staff_no: str(32, true),
    duty: str(16),
    work: str(200, true),
    sessions: int(),
  },
});
