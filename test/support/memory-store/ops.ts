import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { iso, readJson } from '../../../db/mapping';
import type { Job } from '../../../db/records';
import { auditFromRow, newAuditRow } from '../../../db/repositories/audit.repository';
import type { Repositories } from '../../../db/ports';
import { copy, nextId, ordered, viaJson, type EventRecord, type Mem, type Tables } from './tables';

// Running the product, in memory: the event inbox, jobs, audit, chat state, meta, send slots.

const leaseEnd = (now: Date, leaseMs: number) => iso(new Date(now.getTime() + leaseMs));

export function processedEvents(mem: Mem): Repositories['processedEvents'] {
  const held = (t: Tables, key: string, token: string) => {
    const row = t.processedEvents.get(key);
    return row && row.leaseToken === token && row.status === 'pending' ? row : undefined;
  };
  const claimed = (key: string, kind: string, at: string): EventRecord => ({
    key,
    kind,
    at,
    status: null,
    payload: null,
    payloadSha256: null,
    messageId: null,
    owner: null,
    leaseToken: null,
    leaseUntil: null,
    attempts: 0,
    lastError: null,
  });
  return {
    claim: (key, kind, now) =>
      mem.write((t) => {
        if (t.processedEvents.has(key)) return false;
        t.processedEvents.set(key, claimed(key, kind, iso(now)));
        return true;
      }),
    claimMessage: (key, payload, owner, now, leaseMs, messageId) =>
      mem.write((t) => {
        if (t.processedEvents.has(key)) return null;
        if (messageId !== undefined && [...t.processedEvents.values()].some((e) => e.messageId === messageId)) return null;
        const token = randomUUID();
        t.processedEvents.set(key, {
          ...claimed(key, 'event', iso(now)),
          status: 'pending',
          payload,
          payloadSha256: createHash('sha256').update(payload).digest('hex'),
          messageId: messageId ?? null,
          owner,
          leaseToken: token,
          leaseUntil: leaseEnd(now, leaseMs),
          attempts: 1,
        });
        return token;
      }),
    renewMessage: (key, token, now, leaseMs) =>
      mem.write((t) => {
        const row = held(t, key, token);
        if (row) row.leaseUntil = leaseEnd(now, leaseMs);
        return row !== undefined;
      }),
    finishMessage: (key, token, status, _now, error) =>
      mem.write((t) => {
        const row = held(t, key, token);
        if (!row) return false;
        Object.assign(row, { status, payload: null, leaseUntil: null, lastError: error?.slice(0, 2000) ?? null });
        return true;
      }),
    takeOverMessages: (owner, now, leaseMs, limit) =>
      mem.write((t) => {
        const at = iso(now);
        const token = randomUUID();
        const due = [...t.processedEvents.values()].filter((e) => e.status === 'pending' && e.leaseUntil !== null && e.leaseUntil <= at);
        const taken = ordered(due, (e) => e.leaseUntil ?? '', (e) => e.key).slice(0, limit);
        for (const e of taken) Object.assign(e, { owner, leaseToken: token, leaseUntil: leaseEnd(now, leaseMs), attempts: e.attempts + 1 });
        return ordered(taken, (e) => e.at, (e) => e.key).map((e) => ({ key: e.key, payload: e.payload ?? '', attempts: e.attempts, leaseToken: token }));
      }),
    inboxState: (key) =>
      mem.read((t) => {
        const r = t.processedEvents.get(key);
        return r && { status: r.status, attempts: r.attempts, owner: r.owner, lastError: r.lastError, payload: r.payload, payloadSha256: r.payloadSha256, messageId: r.messageId };
      }),
    prune: (before) =>
      mem.write((t) => {
        let pruned = 0;
        for (const [key, e] of t.processedEvents) {
          if (e.at < iso(before) && e.status !== 'pending') {
            t.processedEvents.delete(key);
            pruned++;
          }
        }
        return pruned;
      }),
  };
}

// LIKE ignores ASCII case on SQLite and (with the unicode_ci collation) on MariaDB
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const hasPrefix = (key: string, prefix: string) => asciiLower(key).startsWith(asciiLower(prefix));

type JobRecord = Tables['jobs'] extends Map<number, infer J> ? J : never;
const jobOut = ({ leaseToken: _t, ...job }: JobRecord): Job => copy(job);

export function jobs(mem: Mem): Repositories['jobs'] {
  const byKey = (t: Tables, key: string) => [...t.jobs.values()].find((j) => j.key === key);
  const held = (t: Tables, id: number, owner: string) => {
    const job = t.jobs.get(id);
    return job && job.leaseOwner === owner && job.status === 'leased' ? job : undefined;
  };
  const live = (j: JobRecord) => j.status === 'pending' || j.status === 'leased';
  return {
    schedule: (job, now) =>
      mem.write((t) => {
        const runAt = iso(job.runAt);
        const payload = viaJson(job.payload ?? {});
        const existing = byKey(t, job.key);
        if (!existing) {
          const id = nextId(t, 'jobs');
          t.jobs.set(id, {
            id,
            key: job.key,
            kind: job.kind,
            runAt,
            payload,
            status: 'pending',
            leaseOwner: null,
            leaseToken: null,
            leaseUntil: null,
            attempts: 0,
            lastError: null,
            updatedAt: iso(now),
          });
        } else if (['pending', 'cancelled', 'failed'].includes(existing.status)) {
          const same = existing.status === 'pending' && existing.runAt === runAt && JSON.stringify(existing.payload) === JSON.stringify(payload) && existing.kind === job.kind;
          if (!same) {
            Object.assign(existing, {
              kind: job.kind,
              runAt,
              payload,
              status: 'pending',
              attempts: existing.status === 'pending' ? existing.attempts : 0,
              lastError: null,
              updatedAt: iso(now),
            });
          }
        }
        return jobOut(byKey(t, job.key)!);
      }),
    lease: (owner, now, limit, leaseMs) =>
      mem.write((t) => {
        const at = iso(now);
        const token = randomUUID();
        const due = [...t.jobs.values()].filter((j) => (j.status === 'pending' && j.runAt <= at) || (j.status === 'leased' && j.leaseUntil !== null && j.leaseUntil <= at));
        const taken = ordered(due, (j) => j.runAt, (j) => j.id).slice(0, limit);
        for (const j of taken) Object.assign(j, { status: 'leased', leaseOwner: owner, leaseToken: token, leaseUntil: leaseEnd(now, leaseMs), attempts: j.attempts + 1, updatedAt: at });
        return taken.map(jobOut);
      }),
    renew: (ids, owner, now, leaseMs) =>
      mem.write((t) => {
        const mine = ids.map((id) => held(t, id, owner)).filter((j) => j !== undefined);
        for (const j of mine) Object.assign(j, { leaseUntil: leaseEnd(now, leaseMs), updatedAt: iso(now) });
        return mine.length;
      }),
    complete: (id, owner, now) =>
      mem.write((t) => {
        const job = held(t, id, owner);
        if (job) Object.assign(job, { status: 'done', leaseUntil: null, updatedAt: iso(now) });
        return job !== undefined;
      }),
    fail: (id, owner, error, retryAt, now) =>
      mem.write((t) => {
        const job = held(t, id, owner);
        if (!job) return false;
        if (retryAt) Object.assign(job, { status: 'pending', runAt: iso(retryAt), leaseUntil: null, lastError: error, updatedAt: iso(now) });
        else Object.assign(job, { status: 'failed', leaseUntil: null, lastError: error, updatedAt: iso(now) });
        return true;
      }),
    cancel: (keyPrefix, now) =>
      mem.write((t) => {
        let cancelled = 0;
        for (const j of t.jobs.values()) {
          if (hasPrefix(j.key, keyPrefix) && live(j)) {
            Object.assign(j, { status: 'cancelled', updatedAt: iso(now) });
            cancelled++;
          }
        }
        return cancelled;
      }),
    get: (key) =>
      mem.read((t) => {
        const job = byKey(t, key);
        return job && jobOut(job);
      }),
    list: (filter = {}) =>
      mem.read((t) => {
        const statuses = filter.status === undefined ? undefined : new Set(Array.isArray(filter.status) ? filter.status : [filter.status]);
        const found = [...t.jobs.values()].filter(
          (j) => (!statuses || statuses.has(j.status)) && (!filter.kind || j.kind === filter.kind) && (!filter.keyPrefix || hasPrefix(j.key, filter.keyPrefix)),
        );
        return ordered(found, (j) => j.runAt, (j) => j.id)
          .slice(0, filter.limit ?? 500)
          .map(jobOut);
      }),
  };
}

export function audit(mem: Mem): Repositories['audit'] {
  return {
    record: (entry) =>
      mem.write((t) => {
        t.audit.push(auditFromRow({ id: nextId(t, 'audit_log'), ...newAuditRow(entry) }));
      }),
    list: (filter) =>
      mem.read((t) =>
        copy(
          t.audit
            .filter((a) => (!filter.entity || a.entity === filter.entity) && (!filter.entityId || a.entityId === filter.entityId) && (!filter.actor || a.actorOpenId === filter.actor))
            .sort((a, b) => b.id - a.id)
            .slice(0, filter.limit),
        ),
      ),
  };
}

export function loginAttempts(mem: Mem): Repositories['loginAttempts'] {
  return {
    record: (openId, ok, at) =>
      mem.write((t) => {
        t.loginAttempts.push({ id: nextId(t, 'login_attempts'), openId, ok, at: iso(at) });
      }),
    countSince: (openId, since, opts = {}) =>
      mem.read((t) => t.loginAttempts.filter((a) => a.openId === openId && a.at >= iso(since) && (opts.ok === undefined || a.ok === opts.ok)).length),
  };
}

const stateKey = (openId: string, name: string) => `${openId}\u0000${name}`;
// read through the caller's schema, as the SQL store does, so a value that does not fit fails alike
const parsed = <T>(name: string, value: string | undefined, schema: z.ZodType<T>): T | undefined =>
  value === undefined ? undefined : readJson(`chat_state.value (${name})`, value, schema);

export function chatState(mem: Mem): Repositories['chatState'] {
  return {
    get: (openId, name, schema) => mem.read((t) => parsed(name, t.chatState.get(stateKey(openId, name))?.value, schema)),
    set: (openId, name, value, now) =>
      mem.write((t) => {
        t.chatState.set(stateKey(openId, name), { value: JSON.stringify(value), updatedAt: iso(now) });
      }),
    take: (openId, name, schema) =>
      mem.write((t) => {
        const row = t.chatState.get(stateKey(openId, name));
        t.chatState.delete(stateKey(openId, name));
        return parsed(name, row?.value, schema);
      }),
    remove: (openId, name) =>
      mem.write((t) => {
        t.chatState.delete(stateKey(openId, name));
      }),
    failedLoginsSince: (openId, since) =>
      mem.read((t) => ordered(t.loginAttempts.filter((a) => a.openId === openId && !a.ok && a.at >= iso(since)), (a) => a.at).map((a) => a.at)),
  };
}

export function meta(mem: Mem): Repositories['meta'] {
  return {
    get: (key) => mem.read((t) => t.meta.get(key)),
    set: (key, value) =>
      mem.write((t) => {
        t.meta.set(key, value);
      }),
  };
}

const slotKey = (kind: string, slot: number) => `${kind}\u0000${slot}`;

export function sendSlots(mem: Mem): Repositories['sendSlots'] {
  return {
    ensure: (kind, count) =>
      mem.write((t) => {
        for (let slot = 0; slot < count; slot++) if (!t.sendSlots.has(slotKey(kind, slot))) t.sendSlots.set(slotKey(kind, slot), 0);
      }),
    candidates: (kind, count, now, limit) =>
      mem.read((t) => {
        const rows: Array<{ slot: number; freeAt: number }> = [];
        for (let slot = 0; slot < count; slot++) {
          const freeAt = t.sendSlots.get(slotKey(kind, slot));
          if (freeAt !== undefined) rows.push({ slot, freeAt });
        }
        const all = ordered(rows, (r) => r.freeAt, (r) => r.slot);
        if (!all[0]) throw new Error(`send_slots has no rows for ${kind}`);
        const free = all.filter((r) => r.freeAt <= now).slice(0, limit);
        return free.length > 0 ? free : [all[0]];
      }),
    take: (kind, slot, expected, until) =>
      mem.write((t) => {
        if (t.sendSlots.get(slotKey(kind, slot)) !== expected) return false;
        t.sendSlots.set(slotKey(kind, slot), until);
        return true;
      }),
    release: (kind, slot, freeAt) =>
      mem.write((t) => {
        if (t.sendSlots.has(slotKey(kind, slot))) t.sendSlots.set(slotKey(kind, slot), freeAt);
      }),
  };
}

