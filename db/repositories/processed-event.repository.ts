import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { iso, readEnum } from '../mapping';
import { batcher, isDuplicateKey, ItemFailed, type Db } from '../runner';
import type { InboxEntry, ProcessedEventRepository } from '../ports/operations';
import { INBOX_STATUSES, type InboxStatus } from '../records';

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
// once handled the message itself is dropped: only the ids and its SHA-256 remain. A card
// click's claim has no lease; its lease_token only tells which of two racing claims won.

interface InboxRow {
  event_key: string;
  payload: string | null;
  attempts: number | string;
  lease_token: string;
}

/** Rows changed by an UPDATE or DELETE. */
const changed = async (em: EntityManager, sql: string, params: unknown[]): Promise<number> => (await statement(em, sql, params)).affected;

const leaseEnd = (now: Date, leaseMs: number) => iso(new Date(now.getTime() + leaseMs));

/** A claim as stored: a card click's is only its key; a chat message's keeps the message, leased. */
interface Claim {
  key: string;
  kind: string;
  at: string;
  /** which claim won, read back from the row: a claim is won when the row carries its token */
  token: string;
  message?: { payload: string; messageId: string | null; owner: string; leaseUntil: string };
}

const CLAIM_COLUMNS = 'event_key, kind, at, status, payload, payload_sha256, message_id, owner, lease_token, lease_until, attempts, updated_at';
const CLAIM_ROW = `(${CLAIM_COLUMNS.split(', ').map(() => '?').join(', ')})`;
const CLAIMS_PER_STATEMENT = 200;
const FINISH_GAP_MS = 50;

function claimValues(c: Claim): unknown[] {
  const m = c.message;
  if (!m) return [c.key, c.kind, c.at, null, null, null, null, null, c.token, null, 0, null];
  const hash = createHash('sha256').update(m.payload).digest('hex');
  return [c.key, c.kind, c.at, 'pending', m.payload, hash, m.messageId, m.owner, c.token, m.leaseUntil, 1, c.at];
}

/**
 * Inserts the claims with one statement (a key or message id already there is left alone)
 * and tells which of them won. Safe to repeat: a claim that won already still finds its
 * token, so a statement whose answer was lost with its connection is simply run again.
 */
async function insertClaims(em: EntityManager, db: Db, claims: Claim[]): Promise<Set<string>> {
  const won = new Set<string>();
  for (let i = 0; i < claims.length; i += CLAIMS_PER_STATEMENT) {
    const part = claims.slice(i, i + CLAIMS_PER_STATEMENT);
    // the usual case, no duplicate among them: every claim won, and the acknowledgement waits
    // for one round trip; otherwise the winners are read back by their tokens
    if (await allInserted(em, db, part)) {
      for (const c of part) won.add(c.token);
      continue;
    }
    const tokens = part.map((c) => c.token);
    const rows = (await em.query(`SELECT lease_token FROM processed_events WHERE lease_token IN (${tokens.map(() => '?').join(', ')})`, tokens)) as Array<{
      lease_token: string;
    }>;
    for (const r of rows) won.add(r.lease_token);
  }
  return won;
}

/**
 * Inserts the claims, leaving alone any whose key or message id is already there; true when
 * every row went in. MySQL counts a row left alone by ON DUPLICATE KEY as found, so there its
 * rows changed tell nothing: one claim goes in as a plain INSERT (a duplicate fails), several
 * are counted by the statement's info line ("Records: 3  Duplicates: 0  Warnings: 0", in
 * whatever language the server speaks). Anything unclear counts as not all in: read back.
 */
async function allInserted(em: EntityManager, db: Db, part: Claim[]): Promise<boolean> {
  const insert = `INSERT INTO processed_events (${CLAIM_COLUMNS}) VALUES ${part.map(() => CLAIM_ROW).join(', ')}`;
  const params = part.flatMap(claimValues);
  if (db.dialect === 'sqlite') return (await statement(em, `${insert} ON CONFLICT DO NOTHING`, params)).affected === part.length;
  if (part.length === 1) {
    try {
      await statement(em, insert, params);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
  const counts = (await statement(em, `${insert} ON DUPLICATE KEY UPDATE event_key = event_key`, params)).info.match(/\d+/g) ?? [];
  return counts.length === 3 && Number(counts[0]) === part.length && Number(counts[1]) === 0;
}

/** A write's rows changed and, on MySQL, the server's info line; needs an EntityManager bound to a query runner (db.atomic's and db.urgent's are). */
async function statement(em: EntityManager, sql: string, params: unknown[]): Promise<{ affected: number; info: string }> {
  const result = (await em.queryRunner!.query(sql, params, true)) as { affected?: number; raw?: { info?: unknown } };
  return { affected: result.affected ?? 0, info: typeof result.raw?.info === 'string' ? result.raw.info : '' };
}

/** A held lease to end: the message handled (done) or given up (failed). */
interface Finish {
  key: string;
  token: string;
  status: Exclude<InboxStatus, 'pending'>;
  at: string;
  error: string | null;
}

const marks = (n: number) => Array<string>(n).fill('?').join(', ');

/**
 * Ends a burst of held leases with one UPDATE, dropping the messages (their hashes stay); true
 * for each lease still held. A token is its claim's or its take-over's own, so a row carrying
 * one of the burst's keys and one of its tokens is one of the burst's own. When fewer rows
 * changed than asked, the ones that did are read back.
 */
async function finishAll(em: EntityManager, finishes: Finish[]): Promise<boolean[]> {
  const keys = finishes.map((f) => f.key);
  if (new Set(keys).size < keys.length) {
    // one message's lease ended twice in a burst: one at a time, in the order asked
    const ended: boolean[] = [];
    for (const f of finishes) ended.push(...(await finishAll(em, [f])));
    return ended;
  }
  const tokens = [...new Set(finishes.map((f) => f.token))];
  const mine = `event_key IN (${marks(keys.length)}) AND lease_token IN (${marks(tokens.length)})`;
  const perRow = (column: string, value: (f: Finish) => unknown) => ({
    sql: `${column} = CASE event_key ${finishes.map(() => 'WHEN ? THEN ?').join(' ')} END`,
    params: finishes.flatMap((f) => [f.key, value(f)]),
  });
  const set = [perRow('status', (f) => f.status), perRow('last_error', (f) => f.error), perRow('updated_at', (f) => f.at)];
  const changedRows = await changed(
    em,
    `UPDATE processed_events SET ${set.map((c) => c.sql).join(', ')}, payload = NULL, lease_until = NULL WHERE ${mine} AND status = 'pending'`,
    [...set.flatMap((c) => c.params), ...keys, ...tokens],
  );
  if (changedRows === finishes.length) return finishes.map(() => true);
  const rows = (await em.query(`SELECT event_key FROM processed_events WHERE ${mine} AND status <> 'pending'`, [...keys, ...tokens])) as Array<{ event_key: string }>;
  const ended = new Set(rows.map((r) => r.event_key));
  return keys.map((k) => ended.has(k));
}

export function processedEventRepository(db: Db): ProcessedEventRepository {
  // what an acknowledgement waits for: the claims that arrived meanwhile go in one statement
  // (one commit: SQLite's fsync blocks the event loop, MariaDB's is what the claim waits for),
  // ahead of the handlers' work (db.urgent). One bad claim is retried alone, failing alone.
  const claimed = batcher(async (claims: Claim[]): Promise<Array<boolean | ItemFailed>> => {
    try {
      const won = await db.urgent((em) => insertClaims(em, db, claims));
      return claims.map((c) => won.has(c.token));
    } catch (error) {
      if (claims.length === 1) throw error;
      return Promise.all(
        claims.map((c) => db.urgent((em) => insertClaims(em, db, [c])).then((won) => won.has(c.token), (err: unknown) => new ItemFailed(err))),
      );
    }
  });
  // finishing is the handlers' side: one statement and one commit per burst, and at most one
  // every FINISH_GAP_MS, so that under load SQLite's fsyncs (each blocks the event loop) go to claims
  const finished = batcher((finishes: Finish[]) => db.atomic((em) => finishAll(em, finishes)), { gapMs: FINISH_GAP_MS });
  return {
    /** true only the first time this key is seen, across processes */
    claim: (key: string, kind: string, now?: Date): Promise<boolean> => claimed({ key, kind, at: iso(now), token: randomUUID() }),

    /**
     * Claims a chat message and keeps it as pending, leased to `owner` until now + leaseMs.
     * Resolves with the lease token, or null when the key was already claimed (by anyone).
     */
    claimMessage: async (key: string, payload: string, owner: string, now: Date, leaseMs: number, messageId?: string): Promise<string | null> => {
      const token = randomUUID();
      const message = { payload, messageId: messageId ?? null, owner, leaseUntil: leaseEnd(now, leaseMs) };
      return (await claimed({ key, kind: 'event', at: iso(now), token, message })) ? token : null;
    },

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
      finished({ key, token, status, at: iso(now), error: error?.slice(0, 2000) ?? null }),

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
          status: string | null;
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
            status: r.status == null ? null : readEnum('processed_events.status', r.status, INBOX_STATUSES),
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
