import { EntitySchema } from 'typeorm';
import { id, str, text, int, instant } from './columns';

// The tables of campaign years (migration 0005): a scheme's pending change, the center's
// cohort admissions, and the results a batch was submitted with. Same conventions as
// entities.ts: every column names its type; instants and JSON are text.

/** A change to an approved scheme, waiting for approval; the approved version stays in force. */
export interface SchemeDraftRow { code: string; version: number; data: string; changes: string; created_at: string }
export const SchemeDraftEntity = new EntitySchema<SchemeDraftRow>({
  name: 'SchemeDraftRow',
  tableName: 'scheme_drafts',
  columns: { code: { ...str(32), primary: true }, version: int(), data: text(), changes: text(), created_at: instant() },
});

/** The center admits a student outside the campaign's cohorts (延期毕业, 转专业 …). */
export interface CohortAdmissionRow { id: number; year: number; student_no: string; reason: string; actor_open_id: string; actor_name: string | null; at: string }
export const CohortAdmissionEntity = new EntitySchema<CohortAdmissionRow>({
  name: 'CohortAdmissionRow',
  tableName: 'cohort_admissions',
  columns: { id, year: int(), student_no: str(32), reason: text(), actor_open_id: str(64), actor_name: str(64, true), at: instant() },
});

/** What a batch was submitted with (frozen results), one JSON document per batch. */
export interface BatchResultRow { batch_id: number; data: string; created_at: string }
export const BatchResultEntity = new EntitySchema<BatchResultRow>({
  name: 'BatchResultRow',
  tableName: 'batch_results',
  columns: { batch_id: { type: 'integer', primary: true }, data: text(), created_at: instant() },
});
