import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions, type TableIndexOptions } from 'typeorm';

// Written with TypeORM's portable Table API so the one migration serves SQLite and
// MariaDB/MySQL. Frozen: later changes go into new migrations, never edits here.

const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
const key = (name: string, length: number): TableColumnOptions => ({ ...str(name, length), isPrimary: true });
const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean' });
const instant = (name: string, isNullable = false) => str(name, 24, isNullable);
const date = (name: string, isNullable = false) => str(name, 10, isNullable);
const unique = (name: string, ...columnNames: string[]): TableIndexOptions => ({ name, columnNames, isUnique: true });
const index = (name: string, ...columnNames: string[]): TableIndexOptions => ({ name, columnNames });

const tables: Array<{ name: string; columns: TableColumnOptions[]; indices?: TableIndexOptions[] }> = [
  { name: 'colleges', columns: [id, str('name', 64), int('sort_order')], indices: [unique('uq_colleges_name', 'name')] },
  { name: 'occupations', columns: [key('name', 100), text('related'), text('x_certificates')] },
  {
    name: 'schemes',
    columns: [
      key('code', 32),
      str('college', 64),
      str('major', 100),
      str('occupation', 100),
      str('training_objective', 4, true),
      text('theory'),
      text('skill'),
      text('areas'),
      str('pass_theory', 16),
      str('pass_skill', 16),
      int('holding_months'),
      bool('course_cert_integration'),
      str('integration_course', 100, true),
      text('technical_group'),
      text('photo_spec'),
      str('status', 16),
      instant('updated_at'),
    ],
    indices: [index('ix_schemes_college_major', 'college', 'major')],
  },
  {
    name: 'campaigns',
    columns: [
      { name: 'year', type: 'integer', isPrimary: true },
      text('cohorts'),
      date('application_date'),
      date('materials_deadline', true),
      date('scores_deadline', true),
    ],
  },
  {
    name: 'students',
    columns: [
      key('student_no', 32),
      str('name', 64),
      str('id_number', 18),
      str('gender', 1),
      date('birth_date'),
      str('college', 64),
      str('major', 100),
      str('class_name', 100, true),
      int('entry_year'),
      str('programme', 16),
      str('phone', 32, true),
      str('ethnicity', 32, true),
      str('open_id', 64, true),
    ],
    // the unique index is what makes binding race-safe: two students can never share an open_id
    indices: [unique('uq_students_open_id', 'open_id'), index('ix_students_college_major', 'college', 'major')],
  },
  {
    name: 'grades',
    columns: [
      id,
      str('scheme_code', 32),
      str('student_no', 32),
      str('student_name', 64),
      str('course', 100),
      str('raw', 64),
      str('score', 16, true),
      str('flag', 8, true),
      str('sitting', 16),
      str('upload_id', 36, true),
      str('sheet', 100),
      int('row_no'),
      str('column_name', 8),
    ],
    indices: [index('ix_grades_scheme_student', 'scheme_code', 'student_no'), index('ix_grades_student', 'student_no')],
  },
  {
    name: 'uploads',
    columns: [
      key('id', 36),
      str('kind', 32),
      str('file_name', 255),
      str('sha256', 64),
      int('size'),
      str('stored_path', 500),
      str('uploaded_by', 64),
      str('college', 64, true),
      instant('created_at'),
      str('status', 16),
      text('summary'),
    ],
    indices: [index('ix_uploads_sha256', 'sha256')],
  },
  {
    name: 'certificates',
    columns: [id, str('student_no', 32), str('kind', 16), str('name', 100), str('level', 16), str('number', 64, true), date('issued_on')],
    indices: [unique('uq_certificates_identity', 'student_no', 'kind', 'name', 'level')],
  },
  {
    name: 'materials',
    columns: [
      id,
      str('student_no', 32),
      str('kind', 16),
      int('version'),
      str('status', 16),
      text('reason', true),
      str('stored_path', 500),
      str('file_name', 255),
      text('meta'),
      instant('created_at'),
    ],
    indices: [unique('uq_materials_version', 'student_no', 'kind', 'version')],
  },
  {
    name: 'filing_forms',
    columns: [id, str('student_no', 32), int('version'), text('data'), instant('created_at')],
    indices: [unique('uq_filing_forms_version', 'student_no', 'version')],
  },
  {
    name: 'batches',
    columns: [
      id,
      str('college', 64),
      str('scheme_code', 32),
      str('major', 100),
      str('occupation', 100),
      str('level', 4),
      str('status', 24),
      text('student_nos'),
      str('created_by', 64),
      instant('created_at'),
      instant('updated_at'),
      int('version'),
      str('submission_key', 191),
      text('review_message_ids'),
    ],
    indices: [
      unique('uq_batches_submission_key', 'submission_key'),
      index('ix_batches_status', 'status'),
      index('ix_batches_college', 'college'),
    ],
  },
  {
    name: 'batch_events',
    columns: [id, int('batch_id'), str('action', 32), str('actor_open_id', 64), str('actor_name', 64, true), text('reason', true), instant('at')],
    indices: [index('ix_batch_events_batch', 'batch_id')],
  },
  { name: 'sequences', columns: [key('name', 64), int('value')] },
  {
    name: 'certificates_issued',
    columns: [id, int('batch_id'), str('student_no', 32), str('number', 64), str('level', 4), date('issued_on')],
    indices: [
      unique('uq_certificates_issued_number', 'number'),
      index('ix_certificates_issued_batch', 'batch_id'),
      index('ix_certificates_issued_student', 'student_no'),
    ],
  },
  {
    name: 'roles',
    columns: [id, str('open_id', 64), str('name', 64), str('role', 16), str('college', 64, true)],
    indices: [unique('uq_roles_open_id_role', 'open_id', 'role'), index('ix_roles_role', 'role')],
  },
  {
    name: 'targets',
    columns: [id, int('year'), str('college', 64), int('graduates'), int('training'), int('certified'), int('advanced'), int('x_certified', true)],
    indices: [unique('uq_targets_year_college', 'year', 'college')],
  },
  {
    name: 'exam_plans',
    columns: [
      id,
      str('college', 64),
      str('certificate', 100),
      str('level', 16),
      str('owner', 64),
      int('headcount'),
      str('status', 16),
      text('data'),
      instant('created_at'),
      instant('updated_at'),
      int('version'),
    ],
    indices: [index('ix_exam_plans_college', 'college')],
  },
  {
    name: 'exam_sessions',
    columns: [id, int('plan_id'), str('kind', 16), instant('starts_at'), instant('ends_at'), str('place', 200), int('rooms'), str('status', 16), int('version')],
    indices: [index('ix_exam_sessions_plan', 'plan_id')],
  },
  {
    name: 'exam_candidates',
    columns: [id, int('plan_id'), str('student_no', 32), int('attempt')],
    indices: [unique('uq_exam_candidates_plan_student', 'plan_id', 'student_no')],
  },
  {
    name: 'exam_staff',
    columns: [id, int('plan_id'), str('name', 64), str('staff_no', 32, true), str('duty', 16), str('work', 200, true), int('sessions')],
    indices: [index('ix_exam_staff_plan', 'plan_id')],
  },
  {
    name: 'jobs',
    columns: [
      id,
      str('job_key', 191),
      str('kind', 64),
      instant('run_at'),
      text('payload'),
      str('status', 16),
      str('lease_owner', 100, true),
      str('lease_token', 64, true),
      instant('lease_until', true),
      int('attempts'),
      text('last_error', true),
      instant('updated_at'),
    ],
    indices: [unique('uq_jobs_key', 'job_key'), index('ix_jobs_due', 'status', 'run_at'), index('ix_jobs_lease_token', 'lease_token')],
  },
  { name: 'processed_events', columns: [key('event_key', 191), str('kind', 32), instant('at')] },
  {
    name: 'audit_log',
    columns: [
      id,
      instant('at'),
      str('actor_open_id', 64),
      str('actor_name', 64, true),
      str('action', 64),
      str('entity', 32),
      str('entity_id', 64, true),
      text('detail'),
    ],
    indices: [index('ix_audit_entity', 'entity', 'entity_id'), index('ix_audit_actor', 'actor_open_id')],
  },
  {
    name: 'login_attempts',
    columns: [id, str('open_id', 64), instant('at'), bool('ok')],
    indices: [index('ix_login_attempts_open_id_at', 'open_id', 'at')],
  },
];

export class InitialSchema1716940800000 implements MigrationInterface {
  name = 'InitialSchema1716940800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    for (const table of tables) {
      await queryRunner.createTable(new Table(table));
      // the server default may be latin1 or utf8mb3; 4-byte characters (𠮷) need utf8mb4
      if (mysql) {
        await queryRunner.query(`ALTER TABLE \`${table.name}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...tables].reverse()) await queryRunner.dropTable(table.name);
  }
}
