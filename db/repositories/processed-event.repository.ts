import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ProcessedEventEntity } from '../entities';
import { iso } from '../mapping';
import { groupCommit, isDuplicateKey, type Db } from '../runner';
import type { InboxEntry, InboxStatus, ProcessedEventRepository } from '../ports/operations';

// Feishu delivers events at least once and several instances may receive the same
// one: the primary key on event_key lets exactly one of them claim it.
//
// A chat message's claim is also its inbox entry: the row keeps the message (payload),
// status 'pending' and a lease (owner, lease_token, lease_until) until the handler has
// finished. If the instance dies first, the lease runs out and another instance takes the
// row over with one UPDATE (compare-and-set on status and lease), so no two instances ever
// hold it at once. The columns are not in ProcessedEventEntity, so this file speaks SQL.
//
// The message's id is unique too (Feishu may deliver one message under a new event_id), and
// once handled the message itself is dropped: only the ids and its SHA-256 remain.

interface InboxRow {
  event_key: string;
  payload: string | null;
  attempts: number | string;
  lease_token: string;
}

/** Rows changed by an UPDATE; needs a transaction's query runner, which `db.atomic` always gives. */
async function changed(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result = (await em.queryRunner!.query(sql, params, true)) as { affected?: number };
  return result.affected ?? 0;
}

const leaseEnd = (now: Date, leaseMs: number) => iso(new Date(now.getTime() + leaseMs));

export function processedEventRepository(db: Db): ProcessedEventRepository {
  // claims (what an acknowledgement waits for) and finishes arrive in bursts: one commit per
  // burst. SQLite's commit blocks the event loop (fsync); MariaDB's, on a busy disk, is what a
  // claim waits for (measured with npm run bench webhook: both far slower one commit each)
  const grouped = groupCommit(db);
  return {
    /** true only the first time this key is seen, across processes */
    claim: (key: string, kind: string, now?: Date): Promise<boolean> =>
      grouped(async (em) => {
        try {
          await em.getRepository(ProcessedEventEntity).insert({ event_key: key, kind, at: iso(now) });
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }),

    /**
     * Claims a chat message and keeps it as pending, leased to `owner` until now + leaseMs.
     * Resolves with the lease token, or null when the key was already claimed (by anyone).
     */
    claimMessage: (key: string, payload: string, owner: string, now: Date, leaseMs: number, messageId?: string): Promise<string | null> =>
      grouped(async (em) => {
        const token = randomUUID();
        const hash = createHash('sha256').update(payload).digest('hex');
        try {
          await em.query(
            `INSERT INTO processed_events (event_key, kind, at, status, payload, payload_sha256, message_id, owner, lease_token, lease_until, attempts, updated_at)
             VALUES (?, 'event', ?, 'pending', ?, ?, ?, ?, ?, ?, 1, ?)`,
            [key, iso(now), payload, hash, messageId ?? null, owner, token, leaseEnd(now, leaseMs), iso(now)],
          );
          return token;
        } catch (error) {
          if (isDuplicateKey(error)) return null;
          throw error;
        }
      }),

    /** Extends a lease still held; false when it was lost (expired and taken over). */
    renewMessage: (key: string, token: string, now: Date, leaseMs: number): Promise<boolean> =>
      db.atomic(
        async (em) =>
          (await changed(em, `UPDATE processed_events SET lease_until = ?, updated_at = ? WHERE event_key = ? AND lease_token = ? AND status = 'pending'`, [
            leaseEnd(now, leaseMs),
            iso(now),
            key,
            token,
          ])) === 1,
      ),

    /** Ends a held lease as done or failed, dropping the message (its hash stays); false when the lease was lost meanwhile. */
    finishMessage: (key: string, token: string, status: Exclude<InboxStatus, 'pending'>, now: Date, error?: string): Promise<boolean> =>
      grouped(
        async (em) =>
          (await changed(
            em,
            `UPDATE processed_events SET status = ?, payload = NULL, lease_until = NULL, last_error = ?, updated_at = ? WHERE event_key = ? AND lease_token = ? AND status = 'pending'`,
            [status, error?.slice(0, 2000) ?? null, iso(now), key, token],
          )) === 1,
      ),

    /**
     * Takes over up to `limit` pending messages whose lease ran out (their instance died):
     * one UPDATE gives them a fresh token, so two instances racing get disjoint sets; the
     * rows are read back by that token. Each take counts as an attempt.
     */
    takeOverMessages: (owner: string, now: Date, leaseMs: number, limit: number): Promise<InboxEntry[]> =>
      db.atomic(async (em) => {
        const token = randomUUID();
        const at = iso(now);
        const set = `owner = ?, lease_token = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?`;
        const due = `status = 'pending' AND lease_until <= ?`;
        const params = [owner, token, leaseEnd(now, leaseMs), at, at, limit];
        if (db.dialect === 'mysql') {
          await em.query(`UPDATE processed_events SET ${set} WHERE ${due} ORDER BY lease_until, event_key LIMIT ?`, params);
        } else {
          await em.query(
            `UPDATE processed_events SET ${set} WHERE event_key IN (SELECT event_key FROM processed_events WHERE ${due} ORDER BY lease_until, event_key LIMIT ?)`,
            params,
          );
        }
        const rows = (await em.query(`SELECT event_key, payload, attempts, lease_token FROM processed_events WHERE lease_token = ? ORDER BY at, event_key`, [
          token,
        ])) as InboxRow[];
        return rows.map((r) => ({ key: r.event_key, payload: r.payload ?? '', attempts: Number(r.attempts), leaseToken: r.lease_token }));
      }),

    /** A message's inbox state (tests, diagnostics); undefined for unknown keys and card clicks' claims alike when absent. */
    inboxState: (
      key: string,
    ): Promise<
      | { status: InboxStatus | null; attempts: number; owner: string | null; lastError: string | null; payload: string | null; payloadSha256: string | null; messageId: string | null }
      | undefined
    > =>
      db.run(async (em) => {
        const rows = (await em.query(
          `SELECT status, attempts, owner, last_error, payload, payload_sha256, message_id FROM processed_events WHERE event_key = ?`,
          [key],
        )) as Array<{
          status: InboxStatus | null;
          attempts: number | string;
          owner: string | null;
          last_error: string | null;
          payload: string | null;
          payload_sha256: string | null;
          message_id: string | null;
        }>;
        const r = rows[0];
        return (
          r && {
            status: r.status,
            attempts: Number(r.attempts),
            owner: r.owner,
            lastError: r.last_error,
            payload: r.payload,
            payloadSha256: r.payload_sha256,
            messageId: r.message_id,
          }
        );
      }),

    /**
     * Forget claims older than the cutoff (Feishu stops retrying after a few hours). Pending
     * messages are kept whatever their age: they are still owed an answer.
     */
    prune: (before: Date): Promise<number> =>
      db.atomic(
        async (em) => await changed(em, `DELETE FROM processed_events WHERE at < ? AND (status IS NULL OR status <> 'pending')`, [iso(before)]),
      ),
  };
}
