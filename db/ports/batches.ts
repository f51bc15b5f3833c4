import type { FrozenBatch } from '../../domain/batch-results';
import type { Batch, BatchEvent, BatchStatus, Level } from '../../domain/model';

// Ports of the batches a college submits and the named counters; implemented in
// db/repositories/batch.repository.ts.

export interface NewBatch {
  college: string;
  schemeCode: string;
  major: string;
  occupation: string;
  level: Level;
  /** already in export order */
  studentNos: string[];
  /** open_id of the submitting staff member */
  createdBy: string;
  createdByName?: string | null;
  /** the same submission twice (a retried click, a second instance) yields one batch */
  submissionKey: string;
  /** what the students were submitted with; stored in the same transaction as the batch */
  results?: FrozenBatch;
  now?: Date;
}

export interface Actor {
  openId: string;
  name: string | null;
}

export type TransitionResult = { ok: true; batch: Batch } | { ok: false; current: Batch };

export interface BatchRepository {
  create(input: NewBatch): Promise<{ batch: Batch; created: boolean }>;
  get(id: number): Promise<Batch | undefined>;
  /** The results the batch was submitted with; undefined for a batch from before results were kept. */
  results(id: number): Promise<FrozenBatch | undefined>;
  /** Freezes the results again (a returned batch resubmitted unchanged takes what it is resubmitted with). */
  saveResults(id: number, results: FrozenBatch, now?: Date): Promise<void>;
  listByStatus(status: BatchStatus | BatchStatus[]): Promise<Batch[]>;
  listByCollege(college: string): Promise<Batch[]>;
  /**
   * Compare-and-set on status: the change applies only while the batch is still in one of
   * `from` (and at `version`, when given), so of two reviewers clicking at once exactly one
   * decision is recorded; the other gets the batch as it now is.
   */
  transition(
    id: number,
    change: { from: BatchStatus[]; to: BatchStatus; actor: Actor; reason?: string | null; action?: string; version?: number; now?: Date },
  ): Promise<TransitionResult>;
  /** Remembers the review cards sent for a batch so they can be updated later. */
  addReviewMessageId(id: number, messageId: string): Promise<void>;
  log(id: number): Promise<BatchEvent[]>;
}

/** Named counters (certificate serials …), each value handed out once across processes. */
export interface SequenceRepository {
  next(name: string): Promise<number>;
  /** The last value handed out (0 when none yet). */
  peek(name: string): Promise<number>;
}
