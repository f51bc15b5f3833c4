import type { z } from 'zod';
import type { AuditAction } from '../../domain/audit';
import type { AuditEntry } from '../../domain/model/audit-entry';
import type { InboxStatus, Job, JobStatus } from '../records';

// Ports of what keeps the bot running rather than what it knows: durable jobs, the inbox of
// claimed events, send slots, per-chat state, facts about the database, the audit log.
// Implemented in the matching db/repositories/*.repository.ts.

export interface NewJob {
  key: string;
  kind: string;
  runAt: Date | string;
  payload?: Record<string, unknown>;
}

export interface JobRepository {
  /**
   * Idempotent on key. A pending (or cancelled/failed) job with that key is
   * rescheduled with the new time and payload; a job that is running or done is
   * left alone, so a reminder is never sent twice.
   */
  schedule(job: NewJob, now?: Date): Promise<Job>;
  /** Claims up to `limit` due jobs for `owner`; two processes leasing at once get disjoint sets. */
  lease(owner: string, now: Date, limit: number, leaseMs: number): Promise<Job[]>;
  /**
   * Extends to now + leaseMs the leases `owner` still holds on these jobs (a job waiting for its
   * turn to send must not look abandoned); returns how many were extended.
   */
  renew(ids: number[], owner: string, now: Date, leaseMs: number): Promise<number>;
  /** false when the lease was lost (expired and claimed by someone else, or cancelled) */
  complete(id: number, owner: string, now?: Date): Promise<boolean>;
  /** With retryAt the job goes back to pending for then; with null it stays failed. */
  fail(id: number, owner: string, error: string, retryAt: Date | null, now?: Date): Promise<boolean>;
  /** Cancels every pending or running job whose key starts with the prefix; returns how many. */
  cancel(keyPrefix: string, now?: Date): Promise<number>;
  get(key: string): Promise<Job | undefined>;
  list(filter?: { status?: JobStatus | JobStatus[]; kind?: string; keyPrefix?: string; limit?: number }): Promise<Job[]>;
}

export interface InboxEntry {
  key: string;
  /** the message as the claimer stored it (JSON) */
  payload: string;
  /** how many times an instance has taken it, the first claim included */
  attempts: number;
  leaseToken: string;
}

/**
 * Feishu delivers events at least once and several instances may receive the same one:
 * exactly one of them claims it. A chat message's claim is also its inbox entry, leased to
 * the claimer until its handler has finished.
 */
export interface ProcessedEventRepository {
  /** true only the first time this key is seen, across processes */
  claim(key: string, kind: string, now?: Date): Promise<boolean>;
  /**
   * Claims a chat message and keeps it as pending, leased to `owner` until now + leaseMs.
   * Resolves with the lease token, or null when the key was already claimed (by anyone).
   */
  claimMessage(key: string, payload: string, owner: string, now: Date, leaseMs: number, messageId?: string): Promise<string | null>;
  /** Extends a lease still held; false when it was lost (expired and taken over). */
  renewMessage(key: string, token: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Ends a held lease as done or failed, dropping the message (its hash stays); false when the lease was lost meanwhile. */
  finishMessage(key: string, token: string, status: Exclude<InboxStatus, 'pending'>, now: Date, error?: string): Promise<boolean>;
  /**
   * Takes over up to `limit` pending messages whose lease ran out (their instance died);
   * two instances racing get disjoint sets. Each take counts as an attempt.
   */
  takeOverMessages(owner: string, now: Date, leaseMs: number, limit: number): Promise<InboxEntry[]>;
  /** A message's inbox state (tests, diagnostics); undefined for unknown keys. */
  inboxState(key: string): Promise<
    | {
        status: InboxStatus | null;
        attempts: number;
        owner: string | null;
        lastError: string | null;
        payload: string | null;
        payloadSha256: string | null;
        messageId: string | null;
      }
    | undefined
  >;
  /**
   * Forget claims older than the cutoff (Feishu stops retrying after a few hours). Pending
   * messages are kept whatever their age: they are still owed an answer.
   */
  prune(before: Date): Promise<number>;
}

/** Numbered rows per kind of send, each free from an instant: how instances share a rate limit. */
export interface SendSlotRepository {
  /** Makes sure rows 0 … count-1 exist for the kind (every instance may call it; existing rows are kept). */
  ensure(kind: string, count: number): Promise<void>;
  /** Up to `limit` rows free at `now` (among rows 0 … count-1); when none is, the one free first. */
  candidates(kind: string, count: number, now: number, limit: number): Promise<Array<{ slot: number; freeAt: number }>>;
  /** Takes the row if it is still free from `expected`; true when taken. */
  take(kind: string, slot: number, expected: number, until: number): Promise<boolean>;
  /** Sets when a taken row is free again. */
  release(kind: string, slot: number, freeAt: number): Promise<void>;
}

/** Named values per chat user (status card message id, pending uploads, an announced material). */
export interface ChatStateRepository {
  /** The value read through `schema`: one that does not fit it is a malformed row. */
  get<T>(openId: string, name: string, schema: z.ZodType<T>): Promise<T | undefined>;
  set(openId: string, name: string, value: unknown, now?: Date): Promise<void>;
  /** Removes the value and returns it: of two callers taking one value, only one gets it. */
  take<T>(openId: string, name: string, schema: z.ZodType<T>): Promise<T | undefined>;
  remove(openId: string, name: string): Promise<void>;
  /** instants of the failed login attempts since `since`, oldest first */
  failedLoginsSince(openId: string, since: Date): Promise<string[]>;
}

export type MetaKey = 'schema' | 'demo' | 'sample';

/** Facts about the database itself: demo mode's mark, whether the reference data is loaded. */
export interface MetaRepository {
  get(key: MetaKey): Promise<string | undefined>;
  /** Sets the key whether or not it was set before (instances racing to set it both succeed). */
  set(key: MetaKey, value: string): Promise<void>;
}

/** A new entry: its action must be one staff have words for (domain/audit.ts). */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at' | 'detail' | 'entityId' | 'actorName' | 'action'> &
  Partial<Pick<AuditEntry, 'detail' | 'entityId' | 'actorName'>> & { at?: Date; action: AuditAction };

/** Who did what, when: every decision and import is recorded here. */
export interface AuditRepository {
  record(entry: NewAuditEntry): Promise<void>;
  /** newest first */
  list(filter: { entity?: string; entityId?: string; actor?: string; limit: number }): Promise<AuditEntry[]>;
}

export interface LoginAttemptRepository {
  record(openId: string, ok: boolean, at?: Date): Promise<void>;
  /** attempts since the instant; pass ok to count only failures (false) or successes (true) */
  countSince(openId: string, since: Date, opts?: { ok?: boolean }): Promise<number>;
}
