import { EntitySchema } from 'typeorm';
import { id, str, text, int, bool, instant } from './columns';

// The bot's own bookkeeping: durable jobs, processed events (idempotency), the audit log
// and binding attempts.

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
