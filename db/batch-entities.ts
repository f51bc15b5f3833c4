import { EntitySchema } from 'typeorm';
import { id, str, text, int, instant, date } from './columns';

// Batches and what issuing them records: the batch, its event log, the certificate
// number sequences and the certificates issued.

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
