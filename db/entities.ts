import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import { BatchResultEntity, CohortAdmissionEntity, SchemeDraftEntity } from './year-entities';

export * from './year-entities';

// Persistence rows only: repositories map them to the plain objects of
// domain/model.ts. EntitySchema instead of decorators because tsx/vitest emit no
// decorator metadata, and every column names its type so both dialects agree.
//
// Instants are ISO-8601 UTC strings (`2024-05-31T01:02:03.000Z`) and calendar dates
// `YYYY-MM-DD`, kept as text: they sort and compare correctly as strings on both
// databases and no driver time-zone conversion can shift them. JSON is text too.

const id: EntitySchemaColumnOptions = { type: 'integer', primary: true, generated: 'increment' };
const str = (length: number, nullable = false): EntitySchemaColumnOptions => ({ type: 'varchar', length, nullable });
const text = (nullable = false): EntitySchemaColumnOptions => ({ type: 'text', nullable });
const int = (nullable = false): EntitySchemaColumnOptions => ({ type: 'integer', nullable });
const bool: EntitySchemaColumnOptions = { type: 'boolean' };
const instant = (nullable = false): EntitySchemaColumnOptions => str(24, nullable);
const date = (nullable = false): EntitySchemaColumnOptions => str(10, nullable);

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

export interface BatchRow {
  id: number;
  college: string;
  scheme_code: string;
  major: string;
  occupation: string;
  level: string;
  status: string;
  student_nos: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
  submission_key: string;
  review_message_ids: string;
}
export const BatchEntity = new EntitySchema<BatchRow>({
  name: 'BatchRow',
  tableName: 'batches',
  columns: {
    id,
    college: str(64),
    scheme_code: str(32),
    major: str(100),
    occupation: str(100),
    level: str(4),
    status: str(24),
    student_nos: text(),
    created_by: str(64),
    created_at: instant(),
    updated_at: instant(),
    version: int(),
    submission_key: str(191),
    review_message_ids: text(),
  },
});

export interface BatchEventRow {
  id: number;
  batch_id: number;
  action: string;
  actor_open_id: string;
  actor_name: string | null;
  reason: string | null;
  at: string;
}
export const BatchEventEntity = new EntitySchema<BatchEventRow>({
  name: 'BatchEventRow',
  tableName: 'batch_events',
  columns: {
    id,
    batch_id: int(),
    action: str(32),
    actor_open_id: str(64),
    actor_name: str(64, true),
    reason: text(true),
    at: instant(),
  },
});

export interface SequenceRow { name: string; value: number }
export const SequenceEntity = new EntitySchema<SequenceRow>({
  name: 'SequenceRow',
  tableName: 'sequences',
  columns: { name: { ...str(64), primary: true }, value: int() },
});

export interface IssuedCertificateRow {
  id: number;
  batch_id: number;
  student_no: string;
  number: string;
  level: string;
  issued_on: string;
}
export const IssuedCertificateEntity = new EntitySchema<IssuedCertificateRow>({
  name: 'IssuedCertificateRow',
  tableName: 'certificates_issued',
  columns: { id, batch_id: int(), student_no: str(32), number: str(64), level: str(4), issued_on: date() },
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

export interface JobRow {
  id: number;
  job_key: string;
  kind: string;
  run_at: string;
  payload: string;
  status: string;
  lease_owner: string | null;
  lease_token: string | null;
  lease_until: string | null;
  attempts: number;
  last_error: string | null;
  updated_at: string;
}
export const JobEntity = new EntitySchema<JobRow>({
  name: 'JobRow',
  tableName: 'jobs',
  columns: {
    id,
    job_key: str(191),
    kind: str(64),
    run_at: instant(),
    payload: text(),
    status: str(16),
    lease_owner: str(100, true),
    lease_token: str(64, true),
    lease_until: instant(true),
    attempts: int(),
    last_error: text(true),
    updated_at: instant(),
  },
});

export interface ProcessedEventRow { event_key: string; kind: string; at: string }
export const ProcessedEventEntity = new EntitySchema<ProcessedEventRow>({
  name: 'ProcessedEventRow',
  tableName: 'processed_events',
  columns: { event_key: { ...str(191), primary: true }, kind: str(32), at: instant() },
});

export interface AuditRow {
  id: number;
  at: string;
  actor_open_id: string;
  actor_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string;
}
export const AuditEntity = new EntitySchema<AuditRow>({
  name: 'AuditRow',
  tableName: 'audit_log',
  columns: {
    id,
    at: instant(),
    actor_open_id: str(64),
    actor_name: str(64, true),
    action: str(64),
    entity: str(32),
    entity_id: str(64, true),
    detail: text(),
  },
});

export interface LoginAttemptRow { id: number; open_id: string; at: string; ok: boolean }
export const LoginAttemptEntity = new EntitySchema<LoginAttemptRow>({
  name: 'LoginAttemptRow',
  tableName: 'login_attempts',
  columns: { id, open_id: str(64), at: instant(), ok: bool },
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
