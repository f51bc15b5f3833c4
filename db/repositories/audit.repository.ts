import { MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { AuditEntity, LoginAttemptEntity, type AuditRow, type LoginAttemptRow } from '../entities';
import { iso, JSON_OBJECT, num, readJson, toJson } from '../mapping';
import type { AuditAction } from '../../domain/audit';
import type { AuditEntry } from '../../domain/model/audit-entry';
import type { Db } from '../runner';
import type { AuditRepository, LoginAttemptRepository, NewAuditEntry } from '../ports/operations';

export const auditFromRow = (r: AuditRow): AuditEntry => ({
  id: num(r.id),
  at: r.at,
  actorOpenId: r.actor_open_id,
  actorName: r.actor_name ?? null,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id ?? null,
  detail: readJson('audit_log.detail', r.detail, JSON_OBJECT, {}),
});

/** The row a new entry is stored as (the tests' memory store keeps the same, read through auditFromRow). */
export const newAuditRow = (entry: NewAuditEntry): Omit<AuditRow, 'id'> => ({
  at: iso(entry.at),
  actor_open_id: entry.actorOpenId,
  actor_name: entry.actorName ?? null,
  action: entry.action,
  entity: entry.entity,
  entity_id: entry.entityId ?? null,
  detail: toJson(entry.detail ?? {}),
});

/** Who did what, when: every decision and import is recorded here. */
export function auditRepository(db: Db): AuditRepository {
  return {
    record: (entry: NewAuditEntry): Promise<void> =>
      db.run(async (em) => {
        await em.getRepository(AuditEntity).insert(newAuditRow(entry));
      }),
    /** newest first */
    list: (filter: { entity?: string; entityId?: string; actor?: string; limit: number }): Promise<AuditEntry[]> =>
      db.run(async (em) => {
        const where: FindOptionsWhere<AuditRow> = {};
        if (filter.entity) where.entity = filter.entity;
        if (filter.entityId) where.entity_id = filter.entityId;
        if (filter.actor) where.actor_open_id = filter.actor;
        return (await em.getRepository(AuditEntity).find({ where, order: { id: 'DESC' }, take: filter.limit })).map(auditFromRow);
      }),
  };
}

export function loginAttemptRepository(db: Db): LoginAttemptRepository {
  return {
    record: (openId: string, ok: boolean, at?: Date): Promise<void> =>
      db.run(async (em) => void (await em.getRepository(LoginAttemptEntity).insert({ open_id: openId, ok, at: iso(at) }))),
    /** attempts since the instant; pass ok to count only failures (false) or successes (true) */
    countSince: (openId: string, since: Date, opts: { ok?: boolean } = {}): Promise<number> =>
      db.run((em) => {
        const where: FindOptionsWhere<LoginAttemptRow> = { open_id: openId, at: MoreThanOrEqual(iso(since)) };
        if (opts.ok !== undefined) where.ok = opts.ok;
        return em.getRepository(LoginAttemptEntity).count({ where });
      }),
  };
}
