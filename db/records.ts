import type { IsoInstant } from '../domain/model';

// Records that belong to running the product rather than to the certification
// rules, so they live beside the repositories instead of in domain/model.ts.

export const UPLOAD_STATUSES = ['received', 'processing', 'accepted', 'rejected', 'failed'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

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

export const JOB_STATUSES = ['pending', 'leased', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A chat message's inbox state (processed_events.status; null for a claim that is not a message). */
export const INBOX_STATUSES = ['pending', 'done', 'failed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

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
