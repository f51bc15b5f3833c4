import { EntitySchema } from 'typeorm';
import { BatchEntity, BatchEventEntity, IssuedCertificateEntity, SequenceEntity } from './batch-entities';
import { id, str, text, int, bool, instant, date } from './columns';
import { ExamCandidateEntity, ExamPlanEntity, ExamSessionEntity, ExamStaffEntity } from './exam-entities';
import { AuditEntity, JobEntity, LoginAttemptEntity, ProcessedEventEntity } from './work-entities';
import { BatchResultEntity, CohortAdmissionEntity, SchemeDraftEntity } from './year-entities';

export * from './batch-entities';
export * from './exam-entities';
export * from './work-entities';
export * from './year-entities';

// Persistence rows only: repositories map them to the plain objects of
// domain/model.ts. EntitySchema instead of decorators because tsx/vitest emit no
// decorator metadata, and every column names its type so both dialects agree.
//
// Instants are ISO-8601 UTC strings (`2024-05-31T01:02:03.000Z`) and calendar dates
// `YYYY-MM-DD`, kept as text: they sort and compare correctly as strings on both
// databases and no driver time-zone conversion can shift them. JSON is text too.

export interface CollegeRow { id: number; name: string; sort_order: number }
export const CollegeEntity = new EntitySchema<CollegeRow>({
  name: 'CollegeRow',
  tableName: 'colleges',
  columns: { id, name: str(64), sort_order: int() },
});

export interface OccupationRow { name: string; related: string; x_certificates: string }
export const OccupationEntity = new EntitySchema<OccupationRow>({
  name: 'OccupationRow',
  tableName: 'occupations',
  columns: { name: { ...str(100), primary: true }, related: text(), x_certificates: text() },
});

export interface SchemeRow {
  code: string;
  college: string;
  major: string;
  occupation: string;
  training_objective: string | null;
  theory: string;
  skill: string;
  areas: string;
  pass_theory: string;
  pass_skill: string;
  holding_months: number;
  course_cert_integration: boolean;
  integration_course: string | null;
  technical_group: string;
  photo_spec: string;
  status: string;
  updated_at: string;
  version: number;
  approved_by: string | null;
  approved_at: string | null;
}
export const SchemeEntity = new EntitySchema<SchemeRow>({
  name: 'SchemeRow',
  tableName: 'schemes',
  columns: {
    code: { ...str(32), primary: true },
    college: str(64),
    major: str(100),
    occupation: str(100),
    training_objective: str(4, true),
    theory: text(),
    skill: text(),
    areas: text(),
    pass_theory: str(16),
    pass_skill: str(16),
    holding_months: int(),
    course_cert_integration: bool,
    integration_course: str(100, true),
    technical_group: text(),
    photo_spec: text(),
    status: str(16),
    updated_at: instant(),
    version: int(),
    approved_by: str(64, true),
    approved_at: instant(true),
  },
});

export interface CampaignRow {
  year: number;
  cohorts: string;
  application_date: string;
  materials_deadline: string | null;
  scores_deadline: string | null;
  /** current (exactly one), open or closed */
  state: string;
}
export const CampaignEntity = new EntitySchema<CampaignRow>({
  name: 'CampaignRow',
  tableName: 'campaigns',
  columns: {
    year: { type: 'integer', primary: true },
    cohorts: text(),
    application_date: date(),
    materials_deadline: date(true),
    scores_deadline: date(true),
    state: str(16),
  },
});

export interface StudentRow {
  student_no: string;
  name: string;
  id_number: string;
  gender: string;
  birth_date: string;
  college: string;
  major: string;
  class_name: string | null;
  entry_year: number;
  programme: string;
  phone: string | null;
  ethnicity: string | null;
  open_id: string | null;
}
export const StudentEntity = new EntitySchema<StudentRow>({
  name: 'StudentRow',
  tableName: 'students',
  columns: {
    student_no: { ...str(32), primary: true },
    name: str(64),
    id_number: str(18),
    gender: str(1),
    birth_date: date(),
    college: str(64),
    major: str(100),
    class_name: str(100, true),
    entry_year: int(),
    programme: str(16),
    phone: str(32, true),
    ethnicity: str(32, true),
    open_id: str(64, true),
  },
});

export interface GradeRow {
  id: number;
  scheme_code: string;
  student_no: string;
  student_name: string;
  course: string;
  raw: string;
  score: string | null;
  flag: string | null;
  sitting: string;
  upload_id: string | null;
  sheet: string;
  row_no: number;
  column_name: string;
}
export const GradeEntity = new EntitySchema<GradeRow>({
  name: 'GradeRow',
  tableName: 'grades',
  columns: {
    id,
    scheme_code: str(32),
    student_no: str(32),
    student_name: str(64),
    course: str(100),
    raw: str(64),
    score: str(16, true),
    flag: str(8, true),
    sitting: str(16),
    upload_id: str(36, true),
    sheet: str(100),
    row_no: int(),
    column_name: str(8),
  },
});

export interface UploadRow {
  id: string;
  kind: string;
  file_name: string;
  sha256: string;
  size: number;
  stored_path: string;
  uploaded_by: string;
  college: string | null;
  created_at: string;
  status: string;
  summary: string;
}
export const UploadEntity = new EntitySchema<UploadRow>({
  name: 'UploadRow',
  tableName: 'uploads',
  columns: {
    id: { ...str(36), primary: true },
    kind: str(32),
    file_name: str(255),
    sha256: str(64),
    size: int(),
    stored_path: str(500),
    uploaded_by: str(64),
    college: str(64, true),
    created_at: instant(),
    status: str(16),
    summary: text(),
  },
});

export interface CertificateRow {
  id: number;
  student_no: string;
  kind: string;
  name: string;
  level: string;
  number: string | null;
  issued_on: string;
}
export const CertificateEntity = new EntitySchema<CertificateRow>({
  name: 'CertificateRow',
  tableName: 'certificates',
  columns: {
    id,
    student_no: str(32),
    kind: str(16),
    name: str(100),
    level: str(16),
    number: str(64, true),
    issued_on: date(),
  },
});

export interface MaterialRow {
  id: number;
  student_no: string;
  kind: string;
  version: number;
  status: string;
  reason: string | null;
  stored_path: string;
  file_name: string;
  meta: string;
  created_at: string;
}
export const MaterialEntity = new EntitySchema<MaterialRow>({
  name: 'MaterialRow',
  tableName: 'materials',
  columns: {
    id,
    student_no: str(32),
    kind: str(16),
    version: int(),
    status: str(16),
    reason: text(true),
    stored_path: str(500),
    file_name: str(255),
    meta: text(),
    created_at: instant(),
  },
});

export interface FilingFormRow { id: number; student_no: string; version: number; data: string; created_at: string }
export const FilingFormEntity = new EntitySchema<FilingFormRow>({
  name: 'FilingFormRow',
  tableName: 'filing_forms',
  columns: { id, student_no: str(32), version: int(), data: text(), created_at: instant() },
});

export interface RoleRow { id: number; open_id: string; name: string; role: string; college: string | null }
export const RoleEntity = new EntitySchema<RoleRow>({
  name: 'RoleRow',
  tableName: 'roles',
  columns: { id, open_id: str(64), name: str(64), role: str(16), college: str(64, true) },
});

export interface TargetRow {
  id: number;
  year: number;
  college: string;
  graduates: number;
  training: number;
  certified: number;
  advanced: number;
  x_certified: number | null;
}
export const TargetEntity = new EntitySchema<TargetRow>({
  name: 'TargetRow',
  tableName: 'targets',
  columns: {
    id,
    year: int(),
    college: str(64),
    graduates: int(),
    training: int(),
    certified: int(),
    advanced: int(),
    x_certified: int(true),
  },
});

export const entities = [
  CollegeEntity,
  OccupationEntity,
  SchemeEntity,
  SchemeDraftEntity,
  CampaignEntity,
  CohortAdmissionEntity,
  StudentEntity,
  GradeEntity,
  UploadEntity,
  CertificateEntity,
  MaterialEntity,
  FilingFormEntity,
  BatchEntity,
  BatchEventEntity,
  BatchResultEntity,
  SequenceEntity,
  IssuedCertificateEntity,
  RoleEntity,
  TargetEntity,
  ExamPlanEntity,
  ExamSessionEntity,
  ExamCandidateEntity,
  ExamStaffEntity,
  JobEntity,
  ProcessedEventEntity,
  AuditEntity,
  LoginAttemptEntity,
];
